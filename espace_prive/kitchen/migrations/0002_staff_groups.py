"""The staff groups' rights on the kitchen's pages: every Enfance-Jeunesse group sees the
meal counts and the occupancy dashboard; the managers also keep the kitchens (e-mail,
sites served). The Communication group gets nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"
AGENT_PERMISSIONS = ["view_meal_counts", "view_occupancy", "view_kitchen"]
GROUPS = {
    AGENTS: AGENT_PERMISSIONS,
    HEALTH_AGENTS: AGENT_PERMISSIONS,
    MANAGERS: [*AGENT_PERMISSIONS, "add_kitchen", "change_kitchen"],
}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("kitchen")
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
                    content_type__app_label="kitchen", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kitchen", "0001_initial"),
        ("bookings", "0003_staff_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
