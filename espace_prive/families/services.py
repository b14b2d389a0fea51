"""Writes of the family domain: plain functions called by views, API, admin and commands."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Child, Family, Guardian, HealthAccessLog, HealthRecord, PickupPerson
from .permissions import ANONYMISE_FAMILY

REFERENCE_PATTERN = re.compile(r"^FAM-(\d+)$")


def next_family_reference():
    """The next free reference of the form FAM-00001 (the unique constraint is the guard)."""
    highest = 0
    for reference in Family.objects.filter(reference__startswith="FAM-").values_list(
        "reference", flat=True
    ):
        match = REFERENCE_PATTERN.match(reference)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"FAM-{highest + 1:05d}"


def child_validate_birth_date(birth_date):
    if birth_date > timezone.localdate():
        raise ValidationError(
            {"birth_date": "La date de naissance ne peut pas être dans le futur."}
        )


@transaction.atomic
def family_create(*, actor, reference=None, **fields):
    """Create a family; without a reference, the next FAM-xxxxx is taken."""
    if reference:
        return Family.objects.create(reference=reference, **fields)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Family.objects.create(reference=next_family_reference(), **fields)
        except IntegrityError:
            continue  # another request took that reference meanwhile
    raise RuntimeError("Impossible d'attribuer une référence de famille.")


def guardian_add(*, actor, family, role, first_name, last_name, user=None, **fields):
    guardian = Guardian(
        family=family, role=role, first_name=first_name, last_name=last_name, user=user, **fields
    )
    guardian.full_clean()
    guardian.save()
    return guardian


def child_add(*, actor, family, first_name, last_name, birth_date, **fields):
    child_validate_birth_date(birth_date)
    child = Child(
        family=family, first_name=first_name, last_name=last_name, birth_date=birth_date, **fields
    )
    child.full_clean()
    child.save()
    return child


# --- Health data: every staff access is logged ------------------------------------------


def health_access_log(*, actor, child, context):
    """Record that a member of staff looked at ``child``'s health data (never the content)."""
    return HealthAccessLog.objects.create(
        child=child,
        user=actor,
        user_label=(actor.get_full_name() or actor.email)[:255],
        context=context,
    )


def health_access_log_many(*, actor, children, context):
    """``health_access_log`` for several children seen at once (a day list): one query."""
    label = (actor.get_full_name() or actor.email)[:255]
    return HealthAccessLog.objects.bulk_create(
        [
            HealthAccessLog(child=child, user=actor, user_label=label, context=context)
            for child in children
        ]
    )


# --- Staff-only fields -----------------------------------------------------------------------

STAFF_FIELDS = (
    "reference",
    "qf_valid_from",
    "qf_valid_to",
    "sepa_mandate_reference",
    "sepa_mandate_signed_on",
    "left_on",
)


@transaction.atomic
def family_update_staff_fields(*, actor, family, **fields):
    """Fields only staff set: reference, QF validity, SEPA mandate, departure date."""
    unknown = set(fields) - set(STAFF_FIELDS)
    if unknown:
        raise ValidationError(f"Champs non modifiables ici : {', '.join(sorted(unknown))}.")
    if family.is_anonymised:
        raise ValidationError("Une famille anonymisée ne se modifie plus.")
    family = Family.objects.select_for_update().get(pk=family.pk)
    for name, value in fields.items():
        setattr(family, name, value)
    family.full_clean()
    family.save(update_fields=list(fields))
    return family


# --- RGPD: anonymisation of a family that has left -----------------------------------------

ANONYMOUS = "anonymisé"


def private_files_of(family):
    """Storage names of the files of the family file itself (not of its requests)."""
    names = [family.qf_proof.name]
    names += Child.objects.filter(family=family).values_list("photo", flat=True)
    names += HealthRecord.objects.filter(child__family=family).values_list(
        "pai_document", flat=True
    )
    return [name for name in names if name]


def anonymise_refusal(family):
    """Why ``family`` cannot be anonymised now, or None when it can."""
    if family.anonymised_at:
        return "Cette famille est déjà anonymisée."
    if family.left_on is None:
        return (
            "Indiquez d'abord la date de départ de la famille : seule une famille partie "
            "peut être anonymisée."
        )
    return None


@transaction.atomic
def family_file_anonymise(*, actor, family):
    """Irreversibly wipe the family file of a family that has left.

    Kept: the skeleton billing needs (the family row with its reference and dates, the
    guardians and children rows with their ids, school and class). Wiped: names, contacts,
    address, fiscal, CAF and bank data, health records, pick-up persons, requests and
    every private file; the guardians' logins are detached. Only the private area's
    ``rgpd.family_anonymise`` calls this, in the same transaction as it wipes the logins.
    """
    if not actor.has_perm(ANONYMISE_FAMILY):
        raise PermissionDenied("Vous n'avez pas le droit d'anonymiser une famille.")
    family = Family.objects.select_for_update().get(pk=family.pk)
    refusal = anonymise_refusal(family)
    if refusal:
        raise ValidationError(refusal)
    files = private_files_of(family)
    # Requests hold old and new values of the file, and their files.
    for change_request in family.change_requests.all():
        files += change_request.file_names("new") + change_request.file_names("old")
    family.change_requests.all().delete()

    for name in (
        "address", "address_complement", "postcode", "city", "situation", "tax_number",
        "allowance_body", "allowance_number", "account_holder", "iban", "bic",
        "sepa_mandate_reference",
    ):  # fmt: skip
        setattr(family, name, "")
    for name in (
        "tax_year", "reference_tax_income", "tax_shares", "quotient_familial", "qf_valid_from",
        "qf_valid_to", "sepa_mandate_signed_on",
    ):  # fmt: skip
        setattr(family, name, None)
    family.qf_proof = ""
    family.anonymised_at = timezone.now()
    family.save()

    for guardian in family.guardians.all():
        guardian.civility = ""
        guardian.first_name = "Responsable"
        guardian.last_name = ANONYMOUS
        for name in (
            "email", "mobile_phone", "home_phone", "work_phone", "profession",
            "employer_name", "employer_address", "employer_phone",
        ):  # fmt: skip
            setattr(guardian, name, "")
        guardian.birth_date = None
        guardian.user = None
        guardian.save()

    for number, child in enumerate(family.children.order_by("birth_date", "pk"), start=1):
        child.first_name = f"Enfant {number}"
        child.last_name = ANONYMOUS
        child.birth_date = child.birth_date.replace(month=1, day=1)
        child.sex = ""
        child.photo = ""
        child.photo_rights = child.may_leave_alone = child.emergency_care = None
        child.transport = child.can_swim = None
        child.insurance_company = child.insurance_number = child.other_information = ""
        child.save()
    HealthRecord.objects.filter(child__family=family).delete()
    PickupPerson.objects.filter(child__family=family).delete()

    def delete_files():
        storage = storages["private"]
        for name in set(files):
            storage.delete(name)

    transaction.on_commit(delete_files)
    return family
