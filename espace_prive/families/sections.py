"""The parts of the family file a family edits, each one a group of fields.

A section names the model it changes, its fields (the explicit list every form, request
and API route of that section uses) and the operations a family may ask for. Requests
(``espace_prive.demandes``) carry a field-level diff of one section; this module also
turns field values into JSON for that diff and back, and into French text for display.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst

from espace_prive.choice_list import ChoiceListField

from .models import Child, Family, Guardian, HealthRecord, PickupPerson
from .validators import format_iban

EMPTY_DISPLAY = "Non renseigné"

# Fields whose change always waits for staff, whatever the configuration says: the
# quotient familial sets the family's tariff, and only staff fix its validity when they
# accept it, after reading the certificate.
ALWAYS_VALIDATED_FIELDS = frozenset({"quotient_familial", "qf_proof"})

# The bank details a SEPA mandate debits: changing or removing one ends the mandate.
SEPA_MANDATE_FIELDS = frozenset({"account_holder", "iban", "bic"})


class Operation(models.TextChoices):
    CREATE = "ajout", "Ajout"
    UPDATE = "modification", "Modification"
    DELETE = "suppression", "Suppression"


class Scope(models.TextChoices):
    FAMILY = "famille", "Foyer"
    GUARDIAN = "responsable", "Responsable légal"
    CHILD = "enfant", "Enfant"
    HEALTH = "sante", "Données sanitaires"
    PICKUP = "personne", "Personne autorisée"


SCOPE_MODELS = {
    Scope.FAMILY: Family,
    Scope.GUARDIAN: Guardian,
    Scope.CHILD: Child,
    Scope.HEALTH: HealthRecord,
    Scope.PICKUP: PickupPerson,
}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    scope: str
    fields: tuple
    operations: tuple = (Operation.UPDATE,)
    help_text: str = ""

    @property
    def model(self):
        return SCOPE_MODELS[self.scope]

    @property
    def is_health(self):
        return self.scope == Scope.HEALTH

    @property
    def file_fields(self):
        return tuple(name for name in self.fields if isinstance(self.field(name), models.FileField))

    def field(self, name):
        return self.model._meta.get_field(name)

    def field_label(self, name):
        return capfirst(self.field(name).verbose_name)

    def allows(self, operation):
        return operation in self.operations

    @property
    def always_validated(self):
        """True when the section holds a field that only staff may let through."""
        return bool(ALWAYS_VALIDATED_FIELDS & set(self.fields))

    def title(self, operation=Operation.UPDATE):
        """What a request of this section is called in lists."""
        if operation == Operation.UPDATE or self.operations == (operation,):
            return self.label
        return f"{self.label} : {Operation(operation).label.lower()}"


SECTIONS = {
    section.key: section
    for section in [
        Section(
            "family_address",
            "Adresse du foyer",
            Scope.FAMILY,
            ("address", "address_complement", "postcode", "city"),
        ),
        Section(
            "family_situation",
            "Situation familiale et factures",
            Scope.FAMILY,
            ("situation", "paperless_invoices"),
        ),
        Section(
            "family_fiscal",
            "Données fiscales",
            Scope.FAMILY,
            ("tax_number", "tax_year", "reference_tax_income", "tax_shares"),
            help_text="Reportez les informations de votre dernier avis d'impôt sur le revenu.",
        ),
        Section(
            "family_caf",
            "CAF / MSA et quotient familial",
            Scope.FAMILY,
            ("allowance_body", "allowance_number", "quotient_familial", "qf_proof"),
            help_text=(
                "Le service fixe la période de validité du quotient familial en validant "
                "votre demande, au vu du justificatif."
            ),
        ),
        Section(
            "family_bank",
            "Coordonnées bancaires",
            Scope.FAMILY,
            ("account_holder", "iban", "bic"),
            help_text=(
                "Pour le prélèvement automatique : le service prépare ensuite le mandat SEPA "
                "à signer."
            ),
        ),
        Section(
            "guardian_identity",
            "Identité",
            Scope.GUARDIAN,
            ("civility", "last_name", "first_name", "birth_date"),
        ),
        Section(
            "guardian_phones",
            "Téléphones",
            Scope.GUARDIAN,
            ("mobile_phone", "home_phone", "work_phone"),
        ),
        Section("guardian_email", "Adresse e-mail de contact", Scope.GUARDIAN, ("email",)),
        Section(
            "guardian_employer",
            "Profession et employeur",
            Scope.GUARDIAN,
            ("profession", "employer_name", "employer_address", "employer_phone"),
        ),
        Section(
            "guardian_new",
            "Ajout du second responsable",
            Scope.GUARDIAN,
            ("civility", "last_name", "first_name", "birth_date", "email", "mobile_phone"),
            operations=(Operation.CREATE,),
        ),
        Section(
            "child_identity",
            "Identité",
            Scope.CHILD,
            ("last_name", "first_name", "birth_date", "sex"),
        ),
        Section("child_schooling", "Scolarité", Scope.CHILD, ("school", "class_level")),
        Section(
            "child_photo",
            "Photo",
            Scope.CHILD,
            ("photo",),
            help_text="Une photo d'identité récente : JPEG ou PNG, 5 Mo au plus.",
        ),
        Section(
            "child_authorisations",
            "Autorisations",
            Scope.CHILD,
            ("photo_rights", "may_leave_alone", "emergency_care", "transport"),
        ),
        Section(
            "child_complementary",
            "Données complémentaires",
            Scope.CHILD,
            ("insurance_company", "insurance_number", "can_swim", "other_information"),
        ),
        Section(
            "child_new",
            "Ajout d'un enfant",
            Scope.CHILD,
            ("last_name", "first_name", "birth_date", "sex", "school", "class_level"),
            operations=(Operation.CREATE,),
        ),
        Section(
            "health_allergies",
            "Allergies et régime alimentaire",
            Scope.HEALTH,
            ("food_allergens", "allergies", "diet", "diet_details"),
        ),
        Section(
            "health_pai",
            "Projet d'accueil individualisé (PAI)",
            Scope.HEALTH,
            ("has_pai", "pai_details", "pai_document"),
            help_text="Joignez le PAI signé (PDF, JPEG ou PNG, 5 Mo au plus).",
        ),
        Section(
            "health_medical",
            "Vaccinations et médecin",
            Scope.HEALTH,
            (
                "vaccinations_up_to_date",
                "last_dtp_booster",
                "doctor_name",
                "doctor_phone",
                "medical_notes",
            ),
        ),
        Section(
            "pickup_person",
            "Personne autorisée à récupérer l'enfant",
            Scope.PICKUP,
            ("first_name", "last_name", "relationship", "phone"),
            operations=(Operation.CREATE, Operation.UPDATE, Operation.DELETE),
        ),
    ]
}

SECTION_CHOICES = [
    (section.key, f"{Scope(section.scope).label} : {section.label}")
    for section in SECTIONS.values()
]

FAMILY_SECTIONS = [s for s in SECTIONS.values() if s.scope == Scope.FAMILY]
GUARDIAN_SECTIONS = [
    s for s in SECTIONS.values() if s.scope == Scope.GUARDIAN and s.allows(Operation.UPDATE)
]
CHILD_SECTIONS = [
    s
    for s in SECTIONS.values()
    if s.scope == Scope.CHILD and s.allows(Operation.UPDATE) and s.key != "child_photo"
]
HEALTH_SECTIONS = [s for s in SECTIONS.values() if s.scope == Scope.HEALTH]


def get_section(key):
    """The section called ``key``; KeyError for an unknown one."""
    return SECTIONS[key]


# --- What a request targets ----------------------------------------------------------------

TARGET_NAMES = ("guardian", "child", "pickup_person")


def target_names(section, operation=Operation.UPDATE):
    """The objects (by keyword) a request of ``section`` and ``operation`` must name.

    The family is always known; an addition names the child a pick-up person is for, a
    change names the row it changes. Pages, API and services all ask this.
    """
    creating = operation == Operation.CREATE
    return {
        Scope.FAMILY: (),
        Scope.GUARDIAN: () if creating else ("guardian",),
        Scope.CHILD: () if creating else ("child",),
        Scope.HEALTH: ("child",),
        Scope.PICKUP: ("child",) if creating else ("child", "pickup_person"),
    }[section.scope]


def _locked(model, row):
    if row is None:
        return None
    return model.objects.select_for_update().filter(pk=row.pk).first()


def _health_record(child, *, lock):
    records = HealthRecord.objects.filter(child=child)
    if lock:
        _locked(Child, child)  # serialises the creation of the record
        records = records.select_for_update()
    return records.first() or HealthRecord(child=child)


def resolve_target(
    section,
    operation=Operation.UPDATE,
    *,
    family,
    guardian=None,
    child=None,
    pickup_person=None,
    lock=False,
):
    """The row a request of ``section`` changes, or for an addition the unsaved row it
    would create (the second guardian is always the conjoint).

    The objects named must be those ``target_names`` asks for, already checked to be the
    family's own. A child's health record is read now (an unsaved empty one if nothing
    was entered yet). With ``lock``, the row is re-read ``SELECT … FOR UPDATE`` (inside a
    transaction) and ``None`` means it is gone.
    """
    if operation == Operation.CREATE:
        if section.scope == Scope.CHILD:
            return Child(family=family)
        if section.scope == Scope.GUARDIAN:
            return Guardian(family=family, role=Guardian.Role.PARTNER)
        if section.scope == Scope.PICKUP:
            return PickupPerson(child=child)
        raise ValueError(f"Section {section.key} creates nothing.")
    if section.scope == Scope.HEALTH:
        return _health_record(child, lock=lock)
    row, model = {
        Scope.FAMILY: (family, Family),
        Scope.GUARDIAN: (guardian, Guardian),
        Scope.CHILD: (child, Child),
        Scope.PICKUP: (pickup_person, PickupPerson),
    }[section.scope]
    return _locked(model, row) if lock else row


def target_key(section, *, family=None, guardian=None, child=None, pickup_person=None):
    """What a request of this section changes, as a short string (one pending request each)."""
    if section.scope == Scope.FAMILY:
        return f"famille:{family.pk}"
    if section.scope == Scope.GUARDIAN:
        return f"responsable:{guardian.pk}"
    if section.scope in (Scope.CHILD, Scope.HEALTH):
        return f"enfant:{child.pk}"
    return f"personne:{pickup_person.pk}"


# --- Values: Python ⇄ JSON ⇄ French text -------------------------------------------------


def _is_choice_list(field):
    return isinstance(field, ChoiceListField)


def to_json(field, value):
    """A field's Python value as stored in a request's diff (JSON)."""
    if _is_choice_list(field):
        return _choice_list(field, value)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        quantum = Decimal(1).scaleb(-field.decimal_places)
        return str(Decimal(value).quantize(quantum))
    if isinstance(field, models.BooleanField):
        return bool(value)
    if isinstance(field, (models.IntegerField,)):
        return int(value)
    return str(value)


def current_json(instance, name):
    """The JSON form of ``instance.name`` as it is now (what a diff's "old" records)."""
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)
    return to_json(field, getattr(instance, name))


def _choice_list(field, value):
    """A list of choices in the choices' order, each once (so that order never makes a
    change)."""
    order = {code: position for position, code in enumerate(field.choices_class.values)}
    return sorted({str(code) for code in value or ()}, key=lambda code: order.get(code, len(order)))


def from_json(field, raw):
    if _is_choice_list(field):
        return _choice_list(field, raw)
    if isinstance(field, models.FileField):
        return raw or ""
    if raw is None:
        return None
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(raw)
    if isinstance(field, models.DecimalField):
        return Decimal(raw)
    return raw


def assign(instance, name, raw):
    """Set ``instance.name`` from its JSON form (foreign keys by id, files by storage name)."""
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        setattr(instance, field.attname, raw)
    else:
        setattr(instance, name, from_json(field, raw))


def display(field, value):
    """A Python value of ``field`` in French, for people."""
    if isinstance(field, models.FileField):
        return "Fichier transmis" if getattr(value, "name", value) else "Aucun fichier"
    if _is_choice_list(field):
        labels = dict(field.choices_class.choices)
        return ", ".join(str(labels.get(code, code)) for code in _choice_list(field, value)) or (
            "Aucun"
        )
    if value is None or value == "":
        if field.choices and value == "":
            label = dict(field.flatchoices).get("")
            if label:
                return str(label)
        return EMPTY_DISPLAY
    if isinstance(field, models.BooleanField):
        return "Oui" if value else "Non"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateField):
        return value.strftime("%d/%m/%Y")
    if isinstance(field, models.DecimalField):
        return number_format(value, decimal_pos=field.decimal_places, use_l10n=True)
    if field.name == "iban":
        return format_iban(value)
    return str(value)


def display_current(instance, name):
    return display(instance._meta.get_field(name), getattr(instance, name))


def display_json(field, raw):
    """French text for a value in its JSON form (foreign keys are looked up)."""
    if isinstance(field, models.ForeignKey):
        if raw is None:
            return EMPTY_DISPLAY
        related = field.related_model._default_manager.filter(pk=raw).first()
        return str(related) if related else "(supprimé)"
    return display(field, from_json(field, raw))
