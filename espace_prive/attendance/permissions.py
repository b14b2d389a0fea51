"""The attendance's permissions, each named once (codenames declared in
``Register.Meta.permissions``). Which sites an agent works at is a row of
``SiteAssignment``; ``ALL_SITES`` lifts that scoping (managers, office staff)."""

VIEW_REGISTER = "attendance.view_register"
TAKE_ATTENDANCE = "attendance.take_attendance"
REOPEN_REGISTER = "attendance.reopen_register"
ALL_SITES = "attendance.all_sites"
# Health alerts on the lists are the family file's health permission (each look logged).
VIEW_HEALTH_RECORD = "families.view_health_record"

GRANTABLE = (
    VIEW_REGISTER,
    TAKE_ATTENDANCE,
    REOPEN_REGISTER,
    ALL_SITES,
    "attendance.add_siteassignment",
    "attendance.change_siteassignment",
    "attendance.delete_siteassignment",
    "attendance.view_siteassignment",
)
