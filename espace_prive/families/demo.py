import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from .models import Child, Family, Guardian, HealthRecord, PickupPerson

MARTIN_REFERENCE = "FAM-00001"
BERNARD_REFERENCE = "FAM-00002"
PETIT_REFERENCE = "FAM-00003"
PAI_DOCUMENT_NAME = "demo/pai-lea-martin.pdf"


def demo_pdf(title, lines):
    """A small, valid one-page PDF written by hand (no renderer needed at seed time)."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 16 Tf 60 780 Td (" + escape(title) + ") Tj /F1 11 Tf"
    for line in lines:
        text += " 0 -22 Td (" + escape(line) + ") Tj"
    text += " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    output = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(output)
    output += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        output += f"{offset:010d} 00000 n \n".encode()
    output += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return output


def _store(name, data):
    """Write a demo file under a fixed name (replaced, so that seeding stays idempotent)."""
    storage = storages["private"]
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(data))


def _family(reference, **fields):
    family, _ = Family.objects.update_or_create(reference=reference, defaults=fields)
    return family


def _guardian(family, role, **fields):
    guardian, _ = Guardian.objects.update_or_create(family=family, role=role, defaults=fields)
    return guardian


def _child(family, first_name, birth_date, **fields):
    child, _ = Child.objects.update_or_create(
        family=family, first_name=first_name, birth_date=birth_date, defaults=fields
    )
    return child


def _health(child, **fields):
    defaults = {
        "food_allergens": [],
        "allergies": "",
        "diet": "",
        "diet_details": "",
        "has_pai": False,
        "pai_details": "",
        "pai_document": "",
        "vaccinations_up_to_date": True,
        "last_dtp_booster": None,
        "doctor_name": "",
        "doctor_phone": "",
        "medical_notes": "",
    }
    record, _ = HealthRecord.objects.update_or_create(child=child, defaults={**defaults, **fields})
    return record


def _pickup(child, first_name, last_name, **fields):
    PickupPerson.objects.update_or_create(
        child=child, first_name=first_name, last_name=last_name, defaults=fields
    )


def seed(demo):
    """Three families with children and health data; the Martins are the demo login.

    Léa Martin has a PAI for a peanut allergy. The quotient familial of the year is
    valid for the current calendar year, so that the demo never shows it expired.
    """
    sites = demo.objects["sites"]
    year = timezone.localdate().year
    this_year = {
        "qf_valid_from": datetime.date(year, 1, 1),
        "qf_valid_to": datetime.date(year, 12, 31),
    }
    authorised = {
        "photo_rights": True,
        "may_leave_alone": False,
        "emergency_care": True,
        "transport": True,
    }

    # --- Martin: two children, Léa has a PAI (peanut allergy) ---------------------------
    martin = _family(
        MARTIN_REFERENCE,
        address="8 rue des Lilas",
        postcode="45000",
        city="Belval",
        situation=Family.Situation.MARRIED,
        paperless_invoices=True,
        tax_number="1234567890123",
        tax_year=year - 1,
        reference_tax_income=Decimal("41250.00"),
        tax_shares=Decimal("3.00"),
        allowance_body="caf",
        allowance_number="1234567",
        quotient_familial=Decimal("812.00"),
        **this_year,
        account_holder="Sophie Martin",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        sepa_mandate_reference="BELVAL-FAM-00001-01",
        sepa_mandate_signed_on=datetime.date(2024, 9, 2),
    )
    _guardian(
        martin,
        Guardian.Role.PRIMARY,
        civility=Guardian.Civility.MADAME,
        first_name="Sophie",
        last_name="Martin",
        email=demo.objects["family_user"].email,
        mobile_phone="06 12 34 56 78",
        work_phone="02 38 00 11 22",
        birth_date=datetime.date(1986, 4, 23),
        profession="Infirmière",
        employer_name="Centre hospitalier de Belval",
        employer_phone="02 38 00 11 00",
        user=demo.objects["family_user"],
    )
    _guardian(
        martin,
        Guardian.Role.PARTNER,
        civility=Guardian.Civility.MONSIEUR,
        first_name="Thomas",
        last_name="Martin",
        email="thomas.martin@demo.portail-famille.fr",
        mobile_phone="06 87 65 43 21",
        birth_date=datetime.date(1984, 11, 5),
        profession="Technicien",
        employer_name="Transports Belvalais",
    )
    lea = _child(
        martin,
        "Léa",
        datetime.date(2017, 3, 14),
        last_name="Martin",
        sex=Child.Sex.GIRL,
        school=sites["École élémentaire Jules-Ferry"],
        class_level="CE2",
        insurance_company="MAIF",
        insurance_number="RC-4471-2209",
        can_swim=True,
        **authorised,
    )
    _health(
        lea,
        food_allergens=["peanuts"],
        allergies="Arachide (cacahuète) : allergie sévère, y compris aux traces.",
        has_pai=True,
        pai_details=(
            "Éviction stricte de l'arachide. En cas de réaction : adrénaline "
            "auto-injectable (trousse d'urgence dans le bureau de la direction), "
            "puis appeler le 15."
        ),
        pai_document=_store(
            PAI_DOCUMENT_NAME,
            demo_pdf(
                "PAI - Lea Martin",
                [
                    "Projet d'accueil individualise (document de demonstration)",
                    "Allergie : arachide. Eviction stricte.",
                    "Trousse d'urgence : adrenaline auto-injectable.",
                ],
            ),
        ),
        last_dtp_booster=datetime.date(2023, 3, 20),
        doctor_name="Dr Claire Lefèvre",
        doctor_phone="02 38 55 66 77",
    )
    _pickup(lea, "Monique", "Martin", relationship="Grand-mère", phone="06 98 76 54 32")
    hugo = _child(
        martin,
        "Hugo",
        datetime.date(2021, 9, 2),
        last_name="Martin",
        sex=Child.Sex.BOY,
        school=sites["École maternelle Les Tilleuls"],
        class_level="MS",
        photo_rights=True,
        emergency_care=True,
        # may_leave_alone and transport not answered yet: the home page says so.
    )
    _health(hugo, diet="sans_porc", doctor_name="Dr Claire Lefèvre", doctor_phone="02 38 55 66 77")

    # --- Bernard: two children, a vegetarian diet and asthma --------------------------
    bernard = _family(
        BERNARD_REFERENCE,
        address="27 avenue de la Gare",
        postcode="45000",
        city="Belval",
        situation=Family.Situation.CIVIL_UNION,
        allowance_body="caf",
        allowance_number="7654321",
        quotient_familial=Decimal("1180.00"),
        **this_year,
    )
    _guardian(
        bernard,
        Guardian.Role.PRIMARY,
        civility=Guardian.Civility.MONSIEUR,
        first_name="Karim",
        last_name="Bernard",
        email="karim.bernard@demo.portail-famille.fr",
        mobile_phone="07 11 22 33 44",
    )
    _guardian(
        bernard,
        Guardian.Role.PARTNER,
        civility=Guardian.Civility.MADAME,
        first_name="Nadia",
        last_name="Bernard",
        mobile_phone="07 55 66 77 88",
    )
    ines = _child(
        bernard,
        "Inès",
        datetime.date(2018, 6, 30),
        last_name="Bernard",
        sex=Child.Sex.GIRL,
        school=sites["École élémentaire Jules-Ferry"],
        class_level="CM1",
        **authorised,
    )
    _health(ines, diet="vegetarien", doctor_name="Dr Paul Morel", doctor_phone="02 38 12 34 56")
    noah = _child(
        bernard,
        "Noah",
        datetime.date(2020, 1, 17),
        last_name="Bernard",
        sex=Child.Sex.BOY,
        school=sites["École maternelle Les Tilleuls"],
        class_level="GS",
        **authorised,
    )
    _health(
        noah,
        medical_notes="Asthme léger : inhalateur (Ventoline) dans son cartable.",
        doctor_name="Dr Paul Morel",
        doctor_phone="02 38 12 34 56",
    )

    # --- Petit: one parent, one child, a lactose intolerance --------------------------
    petit = _family(
        PETIT_REFERENCE,
        address="3 impasse des Tilleuls",
        postcode="45000",
        city="Belval",
        situation=Family.Situation.SINGLE,
        allowance_body="msa",
        allowance_number="MSA-88812",
        quotient_familial=Decimal("540.00"),
        **this_year,
    )
    _guardian(
        petit,
        Guardian.Role.PRIMARY,
        civility=Guardian.Civility.MADAME,
        first_name="Julie",
        last_name="Petit",
        email="julie.petit@demo.portail-famille.fr",
        mobile_phone="06 45 45 45 45",
    )
    emma = _child(
        petit,
        "Emma",
        datetime.date(2019, 10, 8),
        last_name="Petit",
        sex=Child.Sex.GIRL,
        school=sites["École maternelle Les Tilleuls"],
        class_level="GS",
        **authorised,
    )
    _health(emma, allergies="Intolérance au lactose.", diet="autre", diet_details="Sans lactose")

    demo.objects["martin_family"] = martin
    demo.objects["families"] = {"martin": martin, "bernard": bernard, "petit": petit}
    demo.objects["children"] = {
        "lea": lea,
        "hugo": hugo,
        "ines": ines,
        "noah": noah,
        "emma": emma,
    }
