"""What guardians are told of new messages (``espace_prive.notifications``).

The e-mail says that a message is waiting and links to the portal: never its text
(it may speak of a child's health).
"""

from espace_prive.notifications import absolute_url, guardian_addresses, notify, notify_many

from .models import NotificationTopic

TEMPLATE = "messaging/emails/new_message"


def _thread_url(thread):
    return absolute_url("espace_prive:messaging:thread", thread.public_id)


def family_told(message):
    """A message from the service: each guardian of the family gets an e-mail."""
    thread = message.thread
    notify(
        to=guardian_addresses([thread.family_id])[thread.family_id],
        kind=NotificationTopic.MESSAGES,
        template=TEMPLATE,
        context={"url": _thread_url(thread)},
    )


def families_told_of_broadcast(broadcast, messages):
    """A message to many families: one e-mail per family, sent after the batch commits."""
    threads = {message.thread.family_id: message.thread for message in messages}
    addresses = guardian_addresses(list(threads))
    notify_many(
        [
            (addresses[family_id], {"url": _thread_url(thread)})
            for family_id, thread in threads.items()
        ],
        kind=NotificationTopic.MESSAGES,
        template=TEMPLATE,
    )
