"""The staff groups' rights on enrolments and bookings: every Enfance-Jeunesse group sees
enrolments, day lists and occupancy, decides enrolments and books for families (past the
deadlines too, recorded as staff); the managers also keep the calendar's reference data
(communes, school years, periods, units, capacities, closures, deadlines, absence
reasons). The Communication group gets nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"
REFERENCE = (
    "commune",
    "schoolyear",
    "period",
    "activityunit",
    "unitcapacity",
    "unitday",
    "closure",
    "deadlinerule",
    "servicerules",
    "absencereason",
    "schoolholiday",
)
AGENT_PERMISSIONS = [
    "view_enrolment",
    "decide_enrolment",
    "view_booking",
    "book_for_family",
    *[f"view_{model}" for model in REFERENCE],
]
MANAGER_PERMISSIONS = [f"{a}_{m}" for m in REFERENCE for a in ("add", "change")]
GROUPS = {
    AGENTS: AGENT_PERMISSIONS,
    HEALTH_AGENTS: AGENT_PERMISSIONS,
    MANAGERS: [*AGENT_PERMISSIONS, *MANAGER_PERMISSIONS],
}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("bookings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="bookings", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_school_holidays_and_absence_reasons"),
        ("demandes", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
