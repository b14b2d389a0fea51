from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """On-site operations: daily lists of the expected children and the attendance
    register (pointage) of each site, unit and day, taken on a tablet."""

    name = "espace_prive.attendance"
    label = "attendance"
    verbose_name = "Listes du jour et pointage"
