from django.apps import AppConfig


class BookingsConfig(AppConfig):
    """Yearly enrolments, day bookings with capacity and waiting lists, absences."""

    name = "espace_prive.bookings"
    label = "bookings"
    verbose_name = "Inscriptions et réservations"
