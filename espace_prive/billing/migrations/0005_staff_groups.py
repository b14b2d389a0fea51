"""The staff groups' rights on billing: every Enfance-Jeunesse agent sees the invoices
and payments (to answer a family at the desk) and records a payment handed over; the
managers also run the monthly billing, issue credit notes, read the billing journal and
keep the régies and the services they bill.
The Communication group gets nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"
AGENT_PERMISSIONS = ["view_invoice", "view_payment", "record_payment"]
MANAGER_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "run_billing",
    "view_billingauditentry",
    *[f"{a}_{m}" for m in ("regie", "billedservice") for a in ("add", "change", "view")],
]
GROUPS = {AGENTS: AGENT_PERMISSIONS, HEALTH_AGENTS: AGENT_PERMISSIONS, MANAGERS: MANAGER_PERMISSIONS}


def seed(apps, schema_editor):
    app_config = apps.get_app_config("billing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="billing", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_staff_side_jobs_audit_review"),
        ("demandes", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
