"""Staff groups a town can use out of the box, for the private area's back office.

- « Agents Enfance-Jeunesse » : dossiers des familles (dont les informations réservées au
  service), file des demandes (voir, accepter, refuser), pré-inscriptions, import des
  familles et invitations. Aucune donnée sanitaire : les demandes qui en portent restent
  fermées et ne peuvent être ni lues ni traitées.
- « Agents Enfance-Jeunesse habilités santé » : les mêmes, plus les données sanitaires des
  enfants (chaque consultation est journalisée).
- « Responsables Enfance-Jeunesse » : les mêmes, plus le journal des accès aux données
  sanitaires, le journal de sécurité, l'anonymisation des familles parties et le
  catalogue (services, sites, grilles tarifaires).

Created here so that they exist on every database; administrators adjust them in
Paramètres → Groupes. A group already present under one of these names is completed, not
emptied.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"

AGENT_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("families", "view_family"),
    ("families", "change_family"),
    ("families", "view_child"),
    ("demandes", "view_changerequest"),
    ("demandes", "decide_changerequest"),
    ("accounts", "review_registration"),
    ("accounts", "manage_invitations"),
]
HEALTH_PERMISSIONS = [("families", "view_health_record")]
MANAGER_PERMISSIONS = [
    ("families", "view_healthaccesslog"),
    ("families", "anonymise_family"),
    ("accounts", "view_auditevent"),
    *[
        ("catalogue", f"{action}_{model}")
        for model in ("service", "site", "tariffgrid")
        for action in ("add", "change", "view")
    ],
]
GROUPS = {
    AGENTS: AGENT_PERMISSIONS,
    HEALTH_AGENTS: AGENT_PERMISSIONS + HEALTH_PERMISSIONS,
    MANAGERS: AGENT_PERMISSIONS + HEALTH_PERMISSIONS + MANAGER_PERMISSIONS,
}


def _ensure_permissions(apps):
    # Django creates permissions after migrating; this migration needs them now.
    for label in ("accounts", "families", "demandes", "catalogue"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in permissions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("demandes", "0001_initial"),
        ("families", "0002_family_file"),
        ("accounts", "0002_security"),
        ("catalogue", "0003_tariff_exclusion_constraints"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
