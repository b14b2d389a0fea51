"""E-mails of the accounts domain: French plain text, through ``espace_prive.notifications``.

Account and security e-mails are always sent (no preference turns them off).
"""

from espace_prive.notifications import ACCOUNT, absolute_url, notify
from espace_prive.town import town_name

__all__ = ["absolute_url", "send_mail_after_commit"]


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
