"""What guardians are told of new messages (e-mail after commit).

The e-mail says that a message is waiting and links to the portal: never its text
(it may speak of a child's health). One function per event, so that the shared
notification service (issue 10.6) takes over here without touching the services.
"""

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string

from espace_prive.accounts.emails import absolute_url, town_name
from espace_prive.families.models import Guardian

from .models import NotificationTopic
from .preferences import wanted_addresses


def _addresses_by_family(family_ids):
    """Each family's guardians' addresses (a login's own first), preferences applied."""
    addresses = {}
    guardians = Guardian.objects.filter(family_id__in=family_ids).select_related("user")
    for guardian in guardians:
        email = (guardian.user.email if guardian.user_id else "") or guardian.email
        known = addresses.setdefault(guardian.family_id, [])
        if email and email.lower() not in {a.lower() for a in known}:
            known.append(email)
    wanted = set(wanted_addresses([a for known in addresses.values() for a in known],
                                  NotificationTopic.MESSAGES))  # fmt: skip
    return {family_id: [a for a in known if a in wanted] for family_id, known in addresses.items()}


def _new_message_mail(to, context):
    subject = render_to_string("messaging/emails/new_message_subject.txt", context).strip()
    body = render_to_string("messaging/emails/new_message.txt", context)
    return mail.EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )


def _context(url):
    return {"town_name": town_name(), "url": url}


def family_told(message):
    """A message from the service: each guardian of the family gets an e-mail."""
    addresses = _addresses_by_family([message.thread.family_id]).get(message.thread.family_id)
    if not addresses:
        return
    url = absolute_url("espace_prive:messaging:thread", message.thread.public_id)
    email = _new_message_mail(addresses, _context(url))
    transaction.on_commit(email.send)


def families_told_of_broadcast(broadcast, messages):
    """A message to many families: one e-mail per family, sent after the batch commits."""
    threads = {message.thread.family_id: message.thread for message in messages}
    addresses = _addresses_by_family(list(threads))
    emails = [
        _new_message_mail(
            addresses[family_id],
            _context(absolute_url("espace_prive:messaging:thread", thread.public_id)),
        )
        for family_id, thread in threads.items()
        if addresses.get(family_id)
    ]

    def send():
        with mail.mailers.default as connection:
            connection.send_messages(emails)

    if emails:
        transaction.on_commit(send)
