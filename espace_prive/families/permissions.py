"""The family file's permissions, each named once (the extra codenames are declared in
the models' ``Meta.permissions``)."""

VIEW_FAMILY = "families.view_family"
CHANGE_FAMILY = "families.change_family"
ANONYMISE_FAMILY = "families.anonymise_family"
VIEW_CHILD = "families.view_child"
VIEW_HEALTH_RECORD = "families.view_health_record"  # each look is logged
VIEW_HEALTH_ACCESSES = "families.view_healthaccesslog"

# Granted to groups in Wagtail's group editor.
GRANTABLE = (
    VIEW_FAMILY,
    CHANGE_FAMILY,
    ANONYMISE_FAMILY,
    VIEW_CHILD,
    VIEW_HEALTH_RECORD,
    VIEW_HEALTH_ACCESSES,
)
