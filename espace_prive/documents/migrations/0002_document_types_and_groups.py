"""The document types a town asks for, and the staff groups' rights on documents.

The types are reference data the town then keeps in the admin (Documents → Types de
documents); codes are stable (the API and the pièces à fournir name them). The three
Enfance-Jeunesse groups view and review documents (the managers also keep the types and
the pièces à fournir); health types (carnet de vaccination,
certificat médical) stay closed to those without the health permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TYPES = [
    # code, name, help text, expiry rule, months, per child, health
    ("attestation_caf", "Attestation CAF / MSA (quotient familial)",
     "Attestation de quotient familial de l'année en cours.", "fin_annee_civile", None, False,
     False),
    ("avis_imposition", "Avis d'imposition", "Dernier avis d'impôt sur le revenu reçu.",
     "fin_annee_scolaire", None, False, False),
    ("attestation_assurance", "Attestation d'assurance",
     "Responsabilité civile et individuelle accident pour l'année scolaire.",
     "fin_annee_scolaire", None, True, False),
    ("carnet_vaccination", "Carnet de vaccination",
     "Pages des vaccinations obligatoires du carnet de santé.", "aucune", None, True, True),
    ("justificatif_domicile", "Justificatif de domicile",
     "Facture d'énergie, de téléphone ou quittance de loyer de moins de 3 mois.", "mois", 3,
     False, False),
    ("jugement_garde", "Jugement de garde",
     "Décision fixant la résidence de l'enfant et l'autorité parentale.", "aucune", None,
     False, False),
    ("certificat_medical", "Certificat médical",
     "Certificat de non contre-indication ou d'aptitude, selon l'activité.",
     "fin_annee_scolaire", None, True, True),
    ("autre", "Autre document", "", "aucune", None, False, False),
]  # fmt: skip
GROUPS = [
    "Agents Enfance-Jeunesse",
    "Agents Enfance-Jeunesse habilités santé",
    "Responsables Enfance-Jeunesse",
]
PERMISSIONS = ["view_document", "review_document"]
# The managers also keep the reference data (types, pièces à fournir).
MANAGERS = "Responsables Enfance-Jeunesse"
MANAGER_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("documenttype", "requireddocument")
    for action in ("add", "change", "view")
]


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, help_text, rule, months, per_child, health) in enumerate(TYPES):
        DocumentType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "help_text": help_text,
                "expiry_rule": rule,
                "validity_months": months,
                "per_child": per_child,
                "is_health": health,
                "sort_order": order * 10,
            },
        )
    app_config = apps.get_app_config("documents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="documents", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name=MANAGERS):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="documents", codename__in=MANAGER_PERMISSIONS
            )
        )


def unseed(apps, schema_editor):
    apps.get_model("documents", "DocumentType").objects.filter(
        code__in=[row[0] for row in TYPES], documents__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("demandes", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
