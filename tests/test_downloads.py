"""Every file a family or staff downloads: a meaningful name with its extension, an
RFC 6266 header with both parts (ASCII fallback, UTF-8 ``filename*``), ``attachment``,
``nosniff``, never stored (``espace_prive.downloads``).

The walk reads the routes from the URL resolver: a download added later fails here
until its expected name is listed.
"""

import datetime
from email.message import EmailMessage
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.accounts import services as account_services
from espace_prive.downloads import ascii_filename, content_disposition, download_filename
from espace_prive.families.models import Family
from tests.conftest import sign_in
from tests.factories import make_family, make_guardian
from tests.routes import routes_under, url_of

pytestmark = pytest.mark.django_db

# Pages shown inside another page, not downloaded: the QR code of the second factor.
INLINE = {"espace_prive:accounts:otp_qrcode"}
OUR_ADMIN_MODULES = ("espace_prive", "pages", "api", "cms")
TEXT_TYPES = ("text/html", "application/json")


# --- The header itself ---------------------------------------------------------------------


def test_a_name_keeps_its_accents_and_the_fallback_folds_them():
    name = download_filename("fiche enfant", "Léa Martin", extension="pdf")
    assert name == "fiche-enfant-léa-martin.pdf"
    assert ascii_filename(name) == "fiche-enfant-lea-martin.pdf"
    assert content_disposition(name) == (
        'attachment; filename="fiche-enfant-lea-martin.pdf"; '
        "filename*=UTF-8''fiche-enfant-l%C3%A9a-martin.pdf"
    )


@pytest.mark.parametrize(
    ("words", "utf8", "fallback"),
    [
        (
            ("photo", "Lætitia Cœur-Joie"),
            "photo-lætitia-cœur-joie.jpg",
            "photo-laetitia-coeur-joie.jpg",
        ),
        (("pai", "Jean-Noël d'Arc"), "pai-jean-noël-darc.jpg", "pai-jean-noel-darc.jpg"),
        (("attestation qf", 2026), "attestation-qf-2026.jpg", "attestation-qf-2026.jpg"),
        (("李小龙",), "李小龙.jpg", "fichier.jpg"),
        (("",), "fichier.jpg", "fichier.jpg"),
        (('a"b\\c/..', "é"), "abc-é.jpg", "abc-e.jpg"),
    ],
)
def test_every_name_is_a_safe_slug_with_its_extension(words, utf8, fallback):
    name = download_filename(*words, extension=".JPG")
    assert name == utf8
    assert ascii_filename(name) == fallback
    header = content_disposition(name)
    assert header.isascii()
    disposition, plain, extended = header.split("; ")
    assert disposition == "attachment"
    # Each part, read alone by an RFC 2231 reader (Python's e-mail parser), gives the
    # ASCII fallback and the UTF-8 name.
    for part, expected in ((plain, fallback), (extended, utf8)):
        message = EmailMessage()
        message["Content-Disposition"] = f"attachment; {part}"
        assert message.get_filename() == expected


# --- Every download view -------------------------------------------------------------------


def _expected_header(name):
    return (
        f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )


def _check(response, name, content_type):
    assert response.status_code == 200, (name, response.status_code)
    assert response["Content-Disposition"] == _expected_header(name)
    assert response["Content-Type"].startswith(content_type), response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body


@pytest.fixture
def names(secrets_of_a, family_a):
    """The name each download route of the walk must carry (family A's child: Zéphyrine)."""
    family = family_a.family
    child = family.children.get()
    person = f"zéphyrine-{child.last_name.lower()}"
    year = timezone.localdate().year
    photo = (f"photo-{person}.jpg", "image/jpeg")
    pai = (f"pai-{person}.pdf", "application/pdf")
    sheet = (f"fiche-enfant-{person}.pdf", "application/pdf")
    complete = (f"fiche-enfant-complète-{person}.pdf", "application/pdf")
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    document = (f"carnet-de-vaccination-{person}.pdf", "application/pdf")
    attachment = ("pièce-jointe-piece.pdf", "application/pdf")
    from espace_prive.billing.models import Invoice

    invoice = (f"facture-{Invoice.objects.get(family=family).number}.pdf", "application/pdf")
    return {
        "espace_prive:families:qf_proof": (f"attestation-qf-{year}.pdf", "application/pdf"),
        "espace_prive:families:export": (
            f"dossier-famille-secret-a-0001-{today}.zip",
            "application/zip",
        ),
        "espace_prive:families:child_photo": photo,
        "espace_prive:families:child_pai_document": pai,
        "espace_prive:families:child_sheet": sheet,
        "espace_prive:families:child_sheet_complete": complete,
        "espace_prive:families:preregistration_sheet": (
            "fiche-de-pré-inscription.pdf",
            "application/pdf",
        ),
        "espace_prive:demandes:file": photo,  # the new photo the request sends
        "api:child-photo": photo,
        "families_admin:photo": photo,
        "families_admin:pai_document": pai,
        "families_admin:sheet": sheet,
        "families_admin:sheet_complete": complete,
        "demandes_admin:file": photo,
        "accounts_admin:import_example": ("familles-exemple.csv", "text/csv; charset=utf-8"),
        # Issue 10: a document (named by its type and child), a message's attachment.
        "espace_prive:documents:file": document,
        "api:document-file": document,
        "documents_admin:file": document,
        "espace_prive:messaging:attachment": attachment,
        "api:attachment-detail": attachment,
        "messaging_admin:attachment": attachment,
        # Issue 12: the kitchens' meal counts (from tomorrow) and the month's occupancy.
        "kitchen_admin:meals_csv": (f"effectifs-repas-{tomorrow}.csv", "text/csv; charset=utf-8"),
        "kitchen_admin:meals_pdf": (f"effectifs-repas-{tomorrow}.pdf", "application/pdf"),
        "kitchen_admin:occupancy_csv": (
            f"frequentation-{timezone.localdate():%Y-%m}.csv",
            "text/csv; charset=utf-8",
        ),
        # Issue 11: an absence's certificate.
        "api:absence-certificate": (
            f"justificatif-absence-{person}-2027-01-14.pdf",
            "application/pdf",
        ),
        "espace_prive:bookings:absence_certificate": (
            f"justificatif-absence-{person}-2027-01-14.pdf",
            "application/pdf",
        ),
        # Issue 13: an invoice's PDF (family and staff).
        "espace_prive:billing:invoice_pdf": invoice,
        "billing_admin:invoice_pdf": invoice,
        "api:invoice-pdf": invoice,
        # Issue 12: a child's photo on the daily lists (the agent's sites only), and the
        # printable daily list of the site, unit and day.
        "attendance_admin:photo": photo,
        "attendance_admin:pdf": (_day_list_name(secrets_of_a["ids"]), "application/pdf"),
    }


def _day_list_name(ids):
    from espace_prive.bookings.models import ActivityUnit
    from espace_prive.catalogue.models import Site

    site = Site.objects.get(public_id=ids["site_id"])
    unit = ActivityUnit.objects.get(public_id=ids["unit_id"])
    return download_filename("liste", site.name, unit.name, ids["day"], extension="pdf")


def _is_download(response):
    if response.status_code != 200:
        return False
    return "Content-Disposition" in response or not response.get("Content-Type", "").startswith(
        TEXT_TYPES
    )


def test_every_download_view_names_its_file(secrets_of_a, family_a, staff_user, names):
    family_client = Client()
    family_client.force_login(family_a.user)
    api_client = APIClient()
    api_client.force_authenticate(family_a.user)
    staff_client = sign_in(Client(), staff_user)
    found = {}
    for route in routes_under(("espace-famille/", "api/v1/", "admin/")):
        if route.path.startswith("admin/"):
            if not route.module.startswith(OUR_ADMIN_MODULES):
                continue  # Wagtail's own views
            client = staff_client
        else:
            client = api_client if route.path.startswith("api/") else family_client
        if route.name in INLINE:
            continue
        response = client.get(url_of(route, secrets_of_a["ids"], strict=False))
        if _is_download(response):
            found[route.name] = response
    assert set(found) == set(names), "download routes to name here: " + ", ".join(
        sorted(set(found) ^ set(names))
    )
    for route_name, response in found.items():
        _check(response, *names[route_name])


def test_the_qf_attestation_is_named_after_the_year_it_proves(client_a, secrets_of_a, family_a):
    family = family_a.family
    Family.objects.filter(pk=family.pk).update(
        quotient_familial=700,
        qf_valid_from=datetime.date(2025, 9, 1),
        qf_valid_to=datetime.date(2026, 8, 31),
    )
    response = client_a.get(reverse("espace_prive:families:qf_proof"))
    _check(response, "attestation-qf-2025.pdf", "application/pdf")


def test_the_invitation_letters_are_named_downloads(staff_user):
    family = make_family(reference="BEL-0042", address="8 rue des Lilas", postcode="45000")
    guardian = make_guardian(family=family, first_name="Hélène", last_name="Lefèvre")
    invitation = account_services.invitation_prepare_letter(actor=None, guardian=guardian)
    client = sign_in(Client(), staff_user)
    url = reverse("accounts_admin:invitations")
    _check(
        client.post(url, {"action": "print_pending"}),
        "invitations-à-imprimer.pdf",
        "application/pdf",
    )
    response = client.post(url, {"action": "print", "invitation": str(invitation.public_id)})
    _check(response, "invitation-hélène-lefèvre-bel-0042.pdf", "application/pdf")
