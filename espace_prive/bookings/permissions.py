"""The bookings' permissions, each named once (the extra codenames are declared in
``Enrolment.Meta.permissions`` and ``Booking.Meta.permissions``)."""

VIEW_ENROLMENT = "bookings.view_enrolment"
DECIDE_ENROLMENT = "bookings.decide_enrolment"
VIEW_BOOKING = "bookings.view_booking"
# Book and cancel for a family, past the deadlines too (recorded as done by staff).
BOOK_FOR_FAMILY = "bookings.book_for_family"

REFERENCE_MODELS = (
    "commune",
    "schoolyear",
    "period",
    "activityunit",
    "unitcapacity",
    "unitday",
    "closure",
    "deadlinerule",
    "servicerules",
    "absencereason",
    "schoolholiday",
)

# Granted to groups in Wagtail's group editor (with the reference data's own).
GRANTABLE = (
    VIEW_ENROLMENT,
    DECIDE_ENROLMENT,
    VIEW_BOOKING,
    BOOK_FOR_FAMILY,
    *(
        f"bookings.{action}_{model}"
        for model in REFERENCE_MODELS
        for action in ("add", "change", "view")
    ),
)
