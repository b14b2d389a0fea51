"""Staff side of the family file: health data (permission + access log), photos, PDFs."""

import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from espace_prive.families.models import Child, Family, HealthAccessLog, HealthRecord
from tests.conftest import sign_in
from tests.factories import (
    MINIMAL_PDF,
    image_bytes,
    make_health_record,
    make_staff_with_perms,
)
from tests.reading import text

pytestmark = pytest.mark.django_db


def _url(name, obj):
    return reverse(f"families_admin:{name}", args=[obj.public_id])


@pytest.fixture
def child(family_a):
    child = family_a.child
    make_health_record(
        child=child,
        allergies="Arachide sévère",
        has_pai=True,
        pai_details="Adrénaline",
        pai_document=storages["private"].save("pai/test.pdf", ContentFile(MINIMAL_PDF)),
    )
    return child


@pytest.fixture
def clerk():
    """Sees families and children, not health data."""
    return make_staff_with_perms("families.view_family", "families.view_child")


@pytest.fixture
def nurse():
    return make_staff_with_perms(
        "families.view_family", "families.view_child", "families.view_health_record"
    )


def test_staff_sees_the_family_file(staff_client, family_a):
    family = family_a.family
    page = text(staff_client.get(_url("family", family)))
    assert family.reference in page
    assert family.guardians.get().full_name in page
    assert family.children.get().full_name in page
    assert family.reference in text(staff_client.get(reverse("families_admin:index")))


def test_the_child_page_does_not_show_health_data(staff_client, child):
    page = text(staff_client.get(_url("child", child)))
    assert child.full_name in page
    assert "Arachide" not in page
    assert not HealthAccessLog.objects.exists()


def test_health_data_needs_the_permission(clerk, child):
    client = sign_in(Client(), clerk)
    page = text(client.get(_url("child", child)))
    assert "Données sanitaires" not in page
    for name in ("health", "pai_document", "sheet_complete"):
        response = client.get(_url(name, child))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert not HealthAccessLog.objects.exists()


def test_each_staff_view_of_health_data_is_logged_without_content(nurse, child):
    client = sign_in(Client(), nurse)
    page = text(client.get(_url("health", child)))
    assert "Arachide sévère" in page
    assert client.get(_url("pai_document", child)).status_code == 200
    assert client.get(_url("sheet_complete", child)).status_code == 200
    logs = list(HealthAccessLog.objects.order_by("accessed_at", "id"))
    assert [log.context for log in logs] == ["fiche", "document", "pdf"]
    assert {log.child for log in logs} == {child}
    assert {log.user for log in logs} == {nurse}
    for log in logs:
        row = " ".join(
            str(value) for value in HealthAccessLog.objects.filter(pk=log.pk).values()[0].values()
        )
        assert "Arachide" not in row and "Adrénaline" not in row


def test_staff_lists_the_accesses_per_child(nurse, child, staff_client, family_b):
    client = sign_in(Client(), nurse)
    client.get(_url("health", child))
    other_child = family_b.child
    client.get(_url("health", other_child))
    page = text(staff_client.get(_url("health_accesses", child)))
    assert nurse.email in page or nurse.get_full_name() in page
    assert "Fiche sanitaire" in page
    assert page.count("Fiche sanitaire") == 1  # the other child's access is not listed
    # The nurse may read health data, not the log of who read it.
    response = client.get(_url("health_accesses", child))
    assert response.status_code == 302


def test_the_photo_is_served_to_staff_with_permission_only(clerk, child):
    name = storages["private"].save("enfants/p.jpg", ContentFile(image_bytes()))
    Child.objects.filter(pk=child.pk).update(photo=name)
    assert sign_in(Client(), clerk).get(_url("photo", child)).status_code == 200
    nobody = sign_in(Client(), make_staff_with_perms())
    assert nobody.get(_url("photo", child)).status_code == 403  # the admin gate
    other_role = sign_in(Client(), make_staff_with_perms("demandes.view_changerequest"))
    assert other_role.get(_url("photo", child)).status_code == 302


def test_staff_sets_the_fields_only_staff_set(staff_client, family_a):
    family = family_a.family
    Family.objects.filter(pk=family.pk).update(
        quotient_familial=500, iban="FR7630006000011234567890189"
    )
    response = staff_client.post(
        _url("family_edit", family),
        {
            "reference": family.reference,
            "qf_valid_from": "2026-01-01",
            "qf_valid_to": "2025-01-01",
            "sepa_mandate_reference": "",
            "sepa_mandate_signed_on": "",
            "left_on": "",
        },
    )
    assert response.status_code == 400
    response = staff_client.post(
        _url("family_edit", family),
        {
            "reference": family.reference,
            "qf_valid_from": "2026-01-01",
            "qf_valid_to": "2026-12-31",
            "sepa_mandate_reference": "MANDAT-42",
            "sepa_mandate_signed_on": "2026-02-01",
            "left_on": "",
        },
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.sepa_mandate_reference == "MANDAT-42"
    assert str(family.qf_valid_to) == "2026-12-31"


def test_health_record_permission_is_the_only_one_on_health_records():
    from django.contrib.auth.models import Permission

    codenames = set(
        Permission.objects.filter(content_type__model="healthrecord").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_health_record"}
    assert HealthRecord._meta.default_permissions == ()


def _staff_fields(family, **values):
    data = {
        "reference": family.reference,
        "qf_valid_from": "",
        "qf_valid_to": "",
        "sepa_mandate_reference": "",
        "sepa_mandate_signed_on": "",
        "left_on": "",
    }
    return {**data, **values}


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {"qf_valid_from": "2026-01-01", "qf_valid_to": "2025-01-01"},
            "La fin de validité du quotient familial doit suivre son début.",
        ),
        (
            {"sepa_mandate_reference": "MANDAT-1", "sepa_mandate_signed_on": "2026-01-01"},
            "Un mandat SEPA demande sa référence, sa date de signature et un IBAN au dossier.",
        ),
    ],
)
def test_staff_fields_errors_are_explained_in_french(staff_client, family_a, values, message):
    family = family_a.family
    Family.objects.filter(pk=family.pk).update(quotient_familial=500)
    response = staff_client.post(_url("family_edit", family), _staff_fields(family, **values))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert "contrainte" not in page


def test_a_reference_differing_only_in_case_is_refused(staff_client, family_a, family_b):
    """The import matches references whatever their case: two files must not collide."""
    family, other = family_a.family, family_b.family
    response = staff_client.post(
        _url("family_edit", family), _staff_fields(family, reference=other.reference.lower())
    )
    assert response.status_code == 400
    assert "Une famille porte déjà cette référence" in html.unescape(response.content.decode())
    family.refresh_from_db()
    assert family.reference != other.reference.lower()


def test_a_search_with_a_nul_character_is_not_an_error(staff_client, family_a):
    """PostgreSQL refuses NUL in a string: the search drops it."""
    family = family_a.family
    response = staff_client.get(reverse("families_admin:index"), {"q": f"{family.reference}\x00"})
    assert response.status_code == 200
    assert family.reference in text(response)
