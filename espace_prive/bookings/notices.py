"""E-mails of the bookings, through the portal's one path (``espace_prive.notifications``):
rendered now from ``templates/bookings/emails/``, sent after the commit; never the
child's health data."""

from espace_prive.messaging.models import NotificationTopic
from espace_prive.notifications import ACCOUNT, absolute_url, family_addresses, notify


def enrolment_decided(enrolment):
    """The family's enrolment request was accepted or refused (a « demande »)."""
    notify(
        to=family_addresses(enrolment.child.family),
        kind=NotificationTopic.REQUESTS,
        template="bookings/emails/enrolment_decided",
        context={
            "enrolment": enrolment,
            "child": enrolment.child,
            "accepted": enrolment.state == enrolment.State.ACCEPTED,
            "portal_url": absolute_url("espace_prive:home"),
        },
    )


def place_granted(booking):
    """A waiting-list place became a booking: always told, like the account's e-mails
    (the day will be billed unless the family cancels in time)."""
    notify(
        to=family_addresses(booking.child.family),
        kind=ACCOUNT,
        template="bookings/emails/place_granted",
        context={
            "booking": booking,
            "child": booking.child,
            "unit": booking.unit,
            "portal_url": absolute_url("espace_prive:home"),
        },
    )
