"""E-mails of the bookings: rendered at once from ``templates/bookings/emails/``, sent
after the transaction commits (never the child's health data)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from espace_prive.accounts.emails import absolute_url, town_name
from espace_prive.messaging.models import NotificationTopic
from espace_prive.messaging.preferences import wanted_addresses

logger = logging.getLogger(__name__)


def family_addresses(family):
    addresses = []
    for guardian in family.guardians.select_related("user"):
        for email in (guardian.user.email if guardian.user_id else "", guardian.email):
            if email and email.lower() not in {a.lower() for a in addresses}:
                addresses.append(email)
    return addresses


def _send_after_commit(*, to, subject, template, context):
    if not to:
        return
    context = {"town_name": town_name(), "portal_url": absolute_url("espace_prive:home"), **context}
    message = EmailMessage(
        subject=f"{subject} — {context['town_name']}",
        body=render_to_string(f"bookings/emails/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )

    def send():
        try:
            message.send()
        except Exception:  # the booking stands even if the mail server is down
            logger.exception("Could not send the bookings e-mail %s", template)

    transaction.on_commit(send)


def enrolment_decided(enrolment):
    family = enrolment.child.family
    accepted = enrolment.state == enrolment.State.ACCEPTED
    _send_after_commit(
        to=wanted_addresses(family_addresses(family), NotificationTopic.REQUESTS),
        subject="Inscription acceptée" if accepted else "Inscription refusée",
        template="enrolment_decided",
        context={"enrolment": enrolment, "child": enrolment.child, "accepted": accepted},
    )


def place_granted(booking):
    """A waiting-list place became a booking: always told (it will be billed)."""
    _send_after_commit(
        to=family_addresses(booking.child.family),
        subject="Une place s'est libérée",
        template="place_granted",
        context={"booking": booking, "child": booking.child, "unit": booking.unit},
    )
