from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Régies, monthly invoices from bookings, credit notes, payments."""

    name = "espace_prive.billing"
    label = "billing"
    verbose_name = "Facturation"

    def ready(self):
        from espace_prive.bookings.services._common import register_booking_check

        from .booking_block import refuse_if_unpaid

        register_booking_check(refuse_if_unpaid)
