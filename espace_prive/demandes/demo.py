"""Pending requests of several kinds, so that the staff queue has work in the demo."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from espace_prive.families.demo import demo_pdf
from espace_prive.families.models import Guardian
from espace_prive.families.sections import Operation

from .models import ChangeRequest
from .services import request_create


def _once(*, family, section, days_ago, **kwargs):
    """Create the request unless one of that kind already exists (seeding stays idempotent)."""
    lookup = {
        "family": family,
        "section": section,
        "operation": kwargs.get("operation", Operation.UPDATE),
    }
    for name in ("guardian", "child"):
        if kwargs.get(name) is not None:
            lookup[name] = kwargs[name]
    if ChangeRequest.objects.filter(**lookup).exists():
        return
    change_request = request_create(family=family, section=section, **kwargs)
    ChangeRequest.objects.filter(pk=change_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago, hours=2)
    )


def seed(demo):
    families = demo.objects["families"]
    children = demo.objects["children"]
    family_user = demo.objects["family_user"]
    martin, bernard, petit = families["martin"], families["bernard"], families["petit"]
    sophie = martin.guardians.get(role=Guardian.Role.PRIMARY)

    # Martin (the demo login): a new mobile number, and an allergy found for Hugo.
    _once(
        family=martin,
        section="guardian_phones",
        guardian=sophie,
        actor=family_user,
        values={"mobile_phone": "06 22 33 44 55"},
        days_ago=1,
    )
    _once(
        family=martin,
        section="health_allergies",
        child=children["hugo"],
        actor=family_user,
        values={"allergies": "Kiwi : démangeaisons de la bouche."},
        days_ago=3,
    )
    # Bernard: a new baby, and the grandfather to collect Inès.
    _once(
        family=bernard,
        section="child_new",
        operation=Operation.CREATE,
        actor=None,
        values={
            "first_name": "Lina",
            "last_name": "Bernard",
            "birth_date": datetime.date(2025, 2, 11),
            "sex": "F",
        },
        days_ago=9,
    )
    _once(
        family=bernard,
        section="pickup_person",
        operation=Operation.CREATE,
        child=children["ines"],
        actor=None,
        values={
            "first_name": "Ahmed",
            "last_name": "Bernard",
            "relationship": "Grand-père",
            "phone": "06 31 31 31 31",
        },
        days_ago=2,
    )
    # Petit: a move, and a new quotient familial with its CAF/MSA certificate.
    _once(
        family=petit,
        section="family_address",
        actor=None,
        values={"address": "12 rue Victor-Hugo", "address_complement": "Bâtiment B"},
        days_ago=12,
    )
    _once(
        family=petit,
        section="family_caf",
        actor=None,
        values={
            "quotient_familial": Decimal("498.00"),
            "qf_proof": ContentFile(
                demo_pdf(
                    "Attestation de quotient familial (demonstration)",
                    ["Allocataire MSA-88812", "Quotient familial : 498 euros"],
                ),
                name="attestation.pdf",
            ),
        },
        days_ago=5,
    )
