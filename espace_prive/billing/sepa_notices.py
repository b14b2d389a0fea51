"""What a family is told of its direct debits: a rejected debit (always sent, like the
account's e-mails: the amount is due again)."""

from espace_prive.notifications import ACCOUNT, absolute_url, family_addresses, notify


def debit_rejected(debit):
    notify(
        to=family_addresses(debit.family),
        kind=ACCOUNT,
        template="billing/emails/debit_rejected",
        context={
            "debit": debit,
            "invoice": debit.invoice,
            "regie": debit.batch.regie,
            "reason": debit.get_reject_reason_display(),
            "portal_url": absolute_url("espace_prive:home"),
        },
    )
