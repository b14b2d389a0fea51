from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Régies, monthly invoices from bookings, credit notes, payments."""

    name = "espace_prive.billing"
    label = "billing"
    verbose_name = "Facturation"
