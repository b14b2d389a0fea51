"""Integrity rules enforced by the database itself (not only by forms)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from espace_prive.families.models import Family, HealthAccessLog, HealthRecord
from tests.factories import make_child, make_family, make_pickup_person, make_user

pytestmark = pytest.mark.django_db


def _refused(**fields):
    family = make_family()
    with pytest.raises(IntegrityError), transaction.atomic():
        Family.objects.filter(pk=family.pk).update(**fields)


def test_qf_validity_must_run_forward():
    _refused(
        quotient_familial=Decimal("500"),
        qf_valid_from=datetime.date(2026, 6, 1),
        qf_valid_to=datetime.date(2026, 1, 1),
    )


def test_qf_validity_needs_a_quotient():
    _refused(qf_valid_from=datetime.date(2026, 1, 1))


def test_quotient_familial_is_not_negative():
    _refused(quotient_familial=Decimal("-1"))


def test_sepa_mandate_needs_reference_date_and_iban():
    _refused(sepa_mandate_reference="MANDAT-1")
    _refused(sepa_mandate_reference="MANDAT-1", sepa_mandate_signed_on=datetime.date(2025, 1, 1))
    family = make_family()
    Family.objects.filter(pk=family.pk).update(
        iban="FR7630006000011234567890189",
        sepa_mandate_reference="MANDAT-1",
        sepa_mandate_signed_on=datetime.date(2025, 1, 1),
    )


def test_iban_shape_is_checked_by_the_database():
    _refused(iban="FR76 3000")
    _refused(iban="fr7630006000011234567890189")


def test_bic_shape_is_checked_by_the_database():
    _refused(bic="AGRI")


def test_only_a_family_that_left_can_be_anonymised():
    from django.utils import timezone

    _refused(anonymised_at=timezone.now())


def test_allowance_body_is_a_known_one():
    _refused(allowance_body="urssaf")


def test_a_pai_document_needs_a_pai():
    child = make_child()
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRecord.objects.create(child=child, has_pai=False, pai_document="x/pai.pdf")
    HealthRecord.objects.create(child=child, has_pai=True, pai_document="x/pai.pdf")


def test_a_child_has_one_health_record():
    child = make_child()
    HealthRecord.objects.create(child=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRecord.objects.create(child=child)


def test_diet_is_a_known_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRecord.objects.create(child=make_child(), diet="carnivore")


def test_a_pickup_person_is_entered_once_per_child_and_has_a_phone():
    child = make_child()
    make_pickup_person(child=child, first_name="Anne", last_name="Roux")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_pickup_person(child=child, first_name="ANNE", last_name="roux")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_pickup_person(child=child, first_name="Luc", last_name="Roux", phone="")


def test_health_access_context_is_a_known_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthAccessLog.objects.create(
            child=make_child(), user=make_user(), user_label="x", context="curiosité"
        )
