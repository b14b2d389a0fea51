"""E-mails of the accounts domain: French plain text, sent once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse


def town_name():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.PORTAIL_TOWN_NAME


def absolute_url(path_or_name, *args):
    """A link for an e-mail or a letter: the public base URL + a path or a URL name."""
    path = path_or_name if path_or_name.startswith("/") else reverse(path_or_name, args=args)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_mail_after_commit(*, to, subject, template, context):
    """Render ``accounts/emails/<template>.txt`` and send it once the transaction commits.

    Rendering happens now, so the message describes the state being committed.
    """
    context = {"town_name": town_name(), "base_url": absolute_url("/"), **context}
    text = render_to_string(f"accounts/emails/{template}.txt", context)
    message = EmailMessage(
        subject=f"{subject} — {context['town_name']}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    transaction.on_commit(message.send)
