"""The billing's permissions, each named once (``run_billing`` and ``record_payment`` are
declared in ``Regie.Meta.permissions``; the others are Django's view permissions)."""

VIEW_INVOICE = "billing.view_invoice"  # invoices, runs, their exports
VIEW_PAYMENT = "billing.view_payment"  # payments, journal de caisse, Stripe reviews
RUN_BILLING = "billing.run_billing"  # draft, issue, credit notes
RECORD_PAYMENT = "billing.record_payment"  # manual payments and refunds
VIEW_JOURNAL = "billing.view_billingauditentry"  # the billing journal

ALL = (VIEW_INVOICE, VIEW_PAYMENT, RUN_BILLING, RECORD_PAYMENT, VIEW_JOURNAL)

# The régies and the services they bill (snippets), kept by the managers.
REFERENCE_MODELS = ("regie", "billedservice")

# Granted to groups in Wagtail's group editor.
GRANTABLE = (
    *ALL,
    *(
        f"billing.{action}_{model}"
        for model in REFERENCE_MODELS
        for action in ("add", "change", "view")
    ),
)


def has_any(user):
    """The « Facturation » menu and section are for users holding one of these."""
    return any(user.has_perm(permission) for permission in ALL)
