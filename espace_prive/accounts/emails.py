"""E-mails of the accounts domain: French plain text, through ``espace_prive.notifications``.

Account and security e-mails are always sent (no preference turns them off).
"""

from django.conf import settings

from espace_prive.notifications import ACCOUNT, absolute_url, notify

__all__ = ["absolute_url", "send_mail_after_commit", "town_name"]


def town_name():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.PORTAIL_TOWN_NAME


def send_mail_after_commit(*, to, subject, template, context, kind=ACCOUNT):
    """Render ``accounts/emails/<template>.txt`` now and send it once the transaction
    commits (queued, retried: see ``notify``)."""
    town = town_name()
    notify(
        to=to,
        kind=kind,
        template=f"accounts/emails/{template}",
        subject=f"{subject} — {town}",
        context={"town_name": town, **context},
    )
