"""Where the families' messages go, and the staff groups' rights on the messaging.

Every topic goes to « Agents Enfance-Jeunesse » until the town routes them elsewhere
(Messagerie → Destinataires des sujets): its agents, and those of the two other
Enfance-Jeunesse groups, read and answer; the managers also see every service's threads,
write to many families, and keep the reply templates and the routes. The Communication group gets nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"
TOPICS = ["inscriptions", "facturation", "restauration", "autre"]
AGENT_PERMISSIONS = ["view_thread", "reply_thread", "view_replytemplate"]
MANAGER_PERMISSIONS = [
    "view_all_threads",
    "send_broadcast",
    *[f"{a}_{m}" for m in ("replytemplate", "topicroute") for a in ("add", "change", "view")],
]
GROUPS = {
    AGENTS: AGENT_PERMISSIONS,
    HEALTH_AGENTS: AGENT_PERMISSIONS,
    MANAGERS: [*AGENT_PERMISSIONS, *MANAGER_PERMISSIONS],
}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("messaging")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    TopicRoute = apps.get_model("messaging", "TopicRoute")
    agents = Group.objects.filter(name=AGENTS).first()
    if agents is not None:
        for topic in TOPICS:
            TopicRoute.objects.get_or_create(topic=topic, defaults={"group": agents})
    for name, codenames in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="messaging", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0001_initial"),
        ("demandes", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
