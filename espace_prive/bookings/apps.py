from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Yearly enrolments, day bookings with capacity and waiting lists, absences."""

    name = "espace_prive.bookings"
    label = "bookings"
    verbose_name = "Inscriptions et réservations"

    def ready(self):
        from . import reference_cache

        # The agenda's reference data is cached: every change of it starts afresh.
        reference_cache.connect()
