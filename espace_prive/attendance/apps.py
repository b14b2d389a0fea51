from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """On-site operations: daily lists of the expected children and the attendance
    register (pointage) of each site, unit and day, taken on a tablet."""

    name = "espace_prive.attendance"
    label = "attendance"
    verbose_name = "Listes du jour et pointage"

    def ready(self):
        from espace_prive.families.selectors import register_staff_child_scope
        from espace_prive.kitchen.occupancy import register_attendance_provider

        from .rates import attendance_by_service_and_site
        from .selectors import children_of_staff_sites

        # An animator opens the family file's pages (health) of their sites' children only.
        register_staff_child_scope(children_of_staff_sites)

        # The occupancy dashboard shows last month's attendance rate from the registers.
        register_attendance_provider(attendance_by_service_and_site)
