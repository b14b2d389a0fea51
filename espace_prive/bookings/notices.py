"""What the family is told of its bookings: e-mails through the portal's one path
(``espace_prive.notifications``), rendered now from ``templates/bookings/emails/`` and
sent after the commit; a granted place is also a message in the family's inbox
(``templates/bookings/notices/``). Never the child's health data."""

from django.template.loader import render_to_string
from django.urls import reverse

from espace_prive.messaging.models import NotificationTopic, Topic
from espace_prive.messaging.services import notice_post
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
    """A waiting-list place became a booking: always told, by e-mail like the account's
    e-mails and in the inbox of the portal (the day will be billed unless the family
    cancels in time)."""
    context = {
        "booking": booking,
        "child": booking.child,
        "unit": booking.unit,
        "portal_url": absolute_url("espace_prive:home"),
        "agenda_url": absolute_url(f"{_agenda_path(booking)}?mois={booking.day:%Y-%m}"),
    }
    notice_post(
        family=booking.child.family,
        subject=render_to_string("bookings/notices/place_granted_subject.txt", context),
        body=render_to_string("bookings/notices/place_granted.txt", context),
        topic=Topic.ENROLMENT,
    )
    notify(
        to=family_addresses(booking.child.family),
        kind=ACCOUNT,
        template="bookings/emails/place_granted",
        context=context,
    )


def _agenda_path(booking):
    return reverse("espace_prive:bookings:agenda", kwargs={"child_id": booking.child.public_id})
