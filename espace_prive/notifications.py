"""One way to tell a person something: ``notify()``.

Every e-mail of the portal goes through here:

1. ``notify()`` renders the message **now** (so it describes the state being saved) from
   ``templates/<app>/emails/<name>.txt``, and its subject from ``<name>_subject.txt``
   unless one is given;
2. an optional kind (``messaging.models.NotificationTopic``: messages, requests,
   documents) drops the addresses of the logins that turned it off; the account and
   security kinds (``ACCOUNT``, ``SECURITY``) are always sent;
3. once the transaction commits, the sending is queued as a ``django.tasks`` task
   (``send_notification``): the immediate backend runs it at once (tests, embedded
   default), django-tasks-db in a worker (production);
4. the task sends through Django's mail API. A mail server error is logged and the
   message queued again after each delay of ``NOTIFICATION_RETRY_DELAYS`` (seconds;
   at once with a backend that cannot defer), then given up with an error in the log.
   It never reaches the person whose work was saved.
"""

import logging
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from espace_prive.town import town_name

logger = logging.getLogger(__name__)

# Kinds that nobody can turn off (the optional ones are messaging's NotificationTopic).
ACCOUNT = "account"
SECURITY = "security"


def absolute_url(path_or_name, *args):
    """A link for an e-mail or a letter: the public base URL + a path or a URL name."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name, args=args)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def guardian_addresses(family_ids):
    """``{family_id: [address, …]}``: each guardian's login address, else the one on file
    (one query; no address twice in a family)."""
    from espace_prive.families.models import Guardian

    addresses = {family_id: [] for family_id in family_ids}
    guardians = Guardian.objects.filter(family_id__in=family_ids).select_related("user")
    for guardian in guardians:
        email = (guardian.user.email if guardian.user_id else "") or guardian.email
        known = addresses[guardian.family_id]
        if email and email.lower() not in {a.lower() for a in known}:
            known.append(email)
    return addresses


def family_addresses(family):
    """The addresses of ``family``'s guardians (see ``guardian_addresses``)."""
    return guardian_addresses([family.pk])[family.pk]


# Filters an app registers from its ``AppConfig.ready()`` (the messaging app: the
# e-mail preferences), so that this module depends on no app: each takes the addresses
# and the kind and returns the addresses kept.
_recipient_filters = []


def register_recipient_filter(function):
    if function not in _recipient_filters:
        _recipient_filters.append(function)


def _wanted(addresses, kind):
    for keep in _recipient_filters:
        addresses = keep(addresses, kind)
    return addresses


def _render(template, context, subject):
    if subject is None:
        subject = render_to_string(f"{template}_subject.txt", context)
    return {
        "subject": " ".join(subject.split()),
        "body": render_to_string(f"{template}.txt", context),
        "from_email": _sender(context["town_name"]),
    }


def _sender(town):
    """``DEFAULT_FROM_EMAIL``, named after the town unless it carries its own name."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name or not address:
        return settings.DEFAULT_FROM_EMAIL
    return str(Address(display_name=town, addr_spec=address))


def _base_context(context):
    base = {"base_url": absolute_url("/")}
    if "town_name" not in context:
        base["town_name"] = town_name()
    return {**base, **context}


def notify(*, to, kind, template, context=None, subject=None):
    """Tell ``to`` (an address or a list) something by e-mail, after the commit.

    ``template`` names the text without its extension (``"demandes/emails/decided"``).
    Returns the number of recipients kept (0: nobody wants it, nothing is queued).
    """
    addresses = [to] if isinstance(to, str) else [address for address in to if address]
    addresses = _wanted(addresses, kind)
    if not addresses:
        return 0
    message = _render(template, _base_context(context or {}), subject)
    _send_on_commit([{**message, "to": addresses}])
    return len(addresses)


def notify_many(deliveries, *, kind, template, context=None):
    """The same kind of e-mail to many: ``deliveries`` is ``[(to, context), …]``.

    Preferences are read in one query and the messages queued as one task, which sends
    them over one connection (a broadcast to thousands of families).
    """
    deliveries = [(list(to), own) for to, own in deliveries]
    wanted = set(_wanted([a for to, _own in deliveries for a in to], kind))
    shared = _base_context(context or {})
    messages = []
    for to, own in deliveries:
        addresses = [address for address in to if address in wanted]
        if addresses:
            messages.append({**_render(template, {**shared, **own}, None), "to": addresses})
    if messages:
        _send_on_commit(messages)
    return len(messages)


def _send_on_commit(messages):
    transaction.on_commit(lambda: _enqueue(messages, attempt=0), robust=True)


def _enqueue(messages, *, attempt, delay=0):
    queued = send_notification
    if delay and send_notification.get_backend().supports_defer:
        queued = send_notification.using(run_after=timezone.now() + timedelta(seconds=delay))
    queued.enqueue(messages, attempt)


def _email(message):
    return mail.EmailMessage(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
    )


@task
def send_notification(messages, attempt=0):
    """Send ``messages`` (rendered by ``notify``); queue the failed ones again later."""
    failed = []
    try:
        connection = mail.mailers.default
        connection.open()
    except Exception:
        logger.warning("Mail server unreachable (attempt %s)", attempt + 1, exc_info=True)
        failed = list(messages)
    else:
        try:
            for message in messages:
                try:
                    connection.send_messages([_email(message)])
                except Exception:
                    logger.warning(
                        "Could not send the e-mail %r (attempt %s)",
                        message["subject"],
                        attempt + 1,
                        exc_info=True,
                    )
                    failed.append(message)
        finally:
            try:
                connection.close()
            except Exception:
                logger.warning("Could not close the mail connection", exc_info=True)
    if failed:
        _retry(failed, attempt)
    return len(messages) - len(failed)


def _retry(failed, attempt):
    delays = list(settings.NOTIFICATION_RETRY_DELAYS)
    if attempt >= len(delays):
        for message in failed:
            logger.error(
                "Gave up sending the e-mail %r to %s recipient(s) after %s attempts",
                message["subject"],
                len(message["to"]),
                attempt + 1,
            )
        return
    logger.info("Sending %s e-mail(s) again in %s s", len(failed), delays[attempt])
    _enqueue(failed, attempt=attempt + 1, delay=delays[attempt])
