"""The staff groups' rights on the daily lists and the attendance registers.

- « Animateurs » (new): the daily lists and the attendance of the sites they are
  assigned to (Listes du jour → Affectations), nothing else: no billing, no family file.
- « Animateurs habilités santé » (new): the same, plus the children's health alerts on
  the lists (each look is logged).
- The Enfance-Jeunesse agents: the lists and the attendance of every site; the
  managers also reopen a closed register and assign the agents to their sites.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANIMATORS = "Animateurs"
HEALTH_ANIMATORS = "Animateurs habilités santé"
AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"

ANIMATOR_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("attendance", "view_register"),
    ("attendance", "take_attendance"),
]
HEALTH = [("families", "view_health_record")]
AGENT_PERMISSIONS = [*ANIMATOR_PERMISSIONS, ("attendance", "all_sites")]
MANAGER_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    ("attendance", "reopen_register"),
    *[
        ("attendance", f"{action}_siteassignment")
        # No delete right, as for every group: an assignment is ended by changing it.
        for action in ("add", "change", "view")
    ],
]
NEW_GROUPS = {ANIMATORS: ANIMATOR_PERMISSIONS, HEALTH_ANIMATORS: ANIMATOR_PERMISSIONS + HEALTH}
EXISTING_GROUPS = {
    AGENTS: AGENT_PERMISSIONS,
    HEALTH_AGENTS: AGENT_PERMISSIONS,
    MANAGERS: MANAGER_PERMISSIONS,
}


def seed(apps, schema_editor):
    for label in ("attendance", "families"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def grant(group, permissions):
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    for name, permissions in NEW_GROUPS.items():
        grant(Group.objects.get_or_create(name=name)[0], permissions)
    for name, permissions in EXISTING_GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            grant(group, permissions)


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=NEW_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("demandes", "0002_staff_groups"),
        ("families", "0005_health_access_day_list"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
