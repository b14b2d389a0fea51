"""The receipt e-mailed to a family when its card payment is recorded (by the signed
webhook or the reconciliation: both go through ``checkout_apply``)."""

from espace_prive.notifications import ACCOUNT, absolute_url, family_addresses, notify


def card_receipt_send(payment):
    """Queue the receipt of ``payment`` (sent once the transaction commits: a replayed
    webhook, which records nothing, sends nothing)."""
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice__issued_at"))
    return notify(
        to=family_addresses(payment.family),
        kind=ACCOUNT,
        template="billing/emails/receipt_card",
        context={
            "payment": payment,
            "regie": payment.regie,
            "allocations": allocations,
            "link": absolute_url("espace_prive:billing:statement"),
        },
    )
