"""Write the billing journal (``BillingAuditEntry``): one row per billing act, in the
transaction of the act, and one line in the ``portail.billing`` log.

Services take who acted (``actor``) and where from (``ip``, ``user_agent``: what
``espace_prive.accounts.security.request_origin(request)`` gives a view).
"""

import logging

from .models import BillingAuditEntry

logger = logging.getLogger("portail.billing")


def billing_audit(action, *, regie, summary, actor=None, ip=None, user_agent="", **refs):
    """Store one act. ``refs``: family, run, invoice, credit_note, payment, amount."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = BillingAuditEntry.objects.create(
        action=action,
        regie=regie,
        actor=actor,
        ip_address=ip or None,
        user_agent=(user_agent or "")[:300],
        summary=summary[:255],
        **refs,
    )
    logger.info(
        "%s regie=%s actor=%s ip=%s %s",
        action,
        regie.pk,
        entry.actor_id or "-",
        ip or "-",
        entry.summary,
    )
    return entry
