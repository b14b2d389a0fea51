import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from espace_prive.families import selectors, services
from espace_prive.families.models import Guardian
from tests.factories import make_child, make_family, make_guardian

pytestmark = pytest.mark.django_db


def test_a_family_has_one_responsable_1_only():
    family = make_family()
    make_guardian(family=family, role=Guardian.Role.PRIMARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_guardian(family=family, role=Guardian.Role.PRIMARY)


def test_guardian_role_is_checked_by_the_database():
    family = make_family()
    with pytest.raises(IntegrityError), transaction.atomic():
        Guardian.objects.create(family=family, role="voisin", first_name="A", last_name="B")


def test_the_same_child_cannot_be_entered_twice():
    family = make_family()
    make_child(family=family, first_name="Lea", birth_date=datetime.date(2018, 1, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_child(family=family, first_name="LEA", birth_date=datetime.date(2018, 1, 2))


def test_a_birth_date_in_the_future_is_refused():
    family = make_family()
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="futur"):
        services.child_add(
            actor=None, family=family, first_name="Zoé", last_name="X", birth_date=tomorrow
        )
    assert not family.children.exists()


def test_family_references_follow_each_other():
    first = services.family_create(actor=None)
    second = services.family_create(actor=None)
    assert (first.reference, second.reference) == ("FAM-00001", "FAM-00002")


def test_another_familys_child_is_a_404(family_a, family_b):
    child_of_b = family_b.child
    with pytest.raises(Http404):
        selectors.get_child_for_family(family_a.family, child_of_b.public_id)
    with pytest.raises(Http404):
        selectors.get_child_for_family(family_a.family, "not-a-uuid")
    assert selectors.get_child_for_family(family_b.family, child_of_b.public_id) == child_of_b


def test_family_for_user_follows_the_guardians_login(family_a, staff_user):
    family, user = family_a
    assert selectors.family_for_user(user) == family
    assert selectors.family_for_user(staff_user) is None
