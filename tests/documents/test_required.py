"""What a service requires for a school year, and where a family stands."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from espace_prive.catalogue.models import Service
from espace_prive.documents import selectors, services
from espace_prive.documents.models import RequiredDocument
from espace_prive.documents.selectors import RequirementStatus
from espace_prive.families.models import Family
from tests.factories import (
    document_type,
    make_child,
    make_document,
    make_family_with_login,
    make_staff_with_perms,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 5)
YEAR = datetime.date(2026, 9, 1)


@pytest.fixture
def service():
    return Service.objects.create(
        name="Accueil de loisirs", slug="alsh", kind="accueil_loisirs", unit="journee"
    )


@pytest.fixture
def reviewer():
    return make_staff_with_perms(
        "documents.view_document", "documents.review_document", "families.view_health_record"
    )


def require(service, *codes, start=YEAR):
    for code in codes:
        RequiredDocument.objects.create(
            service=service, document_type=document_type(code), school_year_start=start
        )


def statuses(family, service, **kwargs):
    return [
        (r.document_type.code, r.child.first_name if r.child else None, r.status)
        for r in selectors.required_documents_status(family, service, on=DAY, **kwargs)
    ]


def test_nothing_required_means_nothing_to_provide(service, family_a):
    assert selectors.required_documents_status(family_a.family, service, on=DAY) == []


def test_only_the_school_year_of_the_day_counts(service, family_a):
    require(service, "avis_imposition", start=datetime.date(2025, 9, 1))
    assert statuses(family_a.family, service) == []


def test_missing_present_accepted_and_expired(service, family_a, reviewer):
    family, user = family_a
    require(service, "avis_imposition", "justificatif_domicile", "jugement_garde", "autre")
    make_document(family=family, actor=user, code="justificatif_domicile")  # pending
    accepted = make_document(family=family, actor=user, code="jugement_garde")
    services.document_accept(actor=reviewer, document=accepted)
    make_document(
        family=family, actor=user, code="autre", state="accepte", reviewed_at=timezone.now(),
        expires_on=DAY - datetime.timedelta(days=1),
    )  # fmt: skip
    assert statuses(family, service) == [
        ("avis_imposition", None, RequirementStatus.MISSING),
        ("justificatif_domicile", None, RequirementStatus.PRESENT),
        ("jugement_garde", None, RequirementStatus.ACCEPTED),
        ("autre", None, RequirementStatus.EXPIRED),
    ]


def test_a_refused_document_is_still_to_provide(service, family_a, reviewer):
    family, user = family_a
    require(service, "avis_imposition")
    document = make_document(family=family, actor=user, code="avis_imposition")
    services.document_refuse(actor=reviewer, document=document, reason="Illisible")
    [requirement] = selectors.required_documents_status(family, service, on=DAY)
    assert requirement.status == RequirementStatus.MISSING
    assert requirement.document == document  # the refusal and its reason can be shown


def test_a_document_about_a_child_is_checked_for_each_child(service, reviewer):
    family, user = make_family_with_login(children=0)
    lea = make_child(family=family, first_name="Léa")
    tom = make_child(family=family, first_name="Tom", birth_date=datetime.date(2019, 1, 1))
    require(service, "carnet_vaccination")
    document = make_document(family=family, actor=user, code="carnet_vaccination", child=lea)
    services.document_accept(actor=reviewer, document=document)
    assert statuses(family, service) == [
        ("carnet_vaccination", "Léa", RequirementStatus.ACCEPTED),
        ("carnet_vaccination", "Tom", RequirementStatus.MISSING),
    ]
    assert statuses(family, service, child=tom) == [
        ("carnet_vaccination", "Tom", RequirementStatus.MISSING)
    ]


def test_a_valid_quotient_familial_on_file_counts_as_the_caf_attestation(service, family_a):
    family = family_a.family
    require(service, "attestation_caf")
    assert statuses(family, service)[0][2] == RequirementStatus.MISSING
    Family.objects.filter(pk=family.pk).update(
        qf_proof="qf/a.pdf", quotient_familial=650, qf_valid_from=datetime.date(2026, 1, 1),
        qf_valid_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    family.refresh_from_db()
    assert statuses(family, service)[0][2] == RequirementStatus.ACCEPTED


def test_a_school_year_starts_on_the_first_of_september(service):
    required = RequiredDocument(
        service=service,
        document_type=document_type("autre"),
        school_year_start=datetime.date(2026, 9, 2),
    )
    with pytest.raises(ValidationError):
        required.full_clean()
    assert RequiredDocument(school_year_start=YEAR).school_year_label == "2026-2027"


def test_the_status_costs_the_same_for_many_documents(service, django_assert_max_num_queries):
    family, user = make_family_with_login(children=0)
    require(service, "carnet_vaccination", "avis_imposition", "autre")
    for _ in range(10):
        child = make_child(family=family)
        make_document(family=family, actor=user, code="carnet_vaccination", child=child)
    with django_assert_max_num_queries(3):
        assert len(selectors.required_documents_status(family, service, on=DAY)) == 12
