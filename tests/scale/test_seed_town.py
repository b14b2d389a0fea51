"""``seed_town``'s generators at a small size: the same seed gives the same town, the
town holds the database's constraints and the portal's rules, and its pages load."""

import hashlib

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.test import Client

from cms.scale import BENCH_PASSWORD
from cms.scale.pages import family_pages
from espace_prive.billing.models import Invoice, Payment
from espace_prive.bookings.models import Booking, BookingState, Enrolment, UnitCapacity
from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.documents.models import Document
from espace_prive.families.models import Child, Family, Guardian, HealthRecord
from espace_prive.messaging.models import Message, Thread
from tests.scale.conftest import build_town

pytestmark = pytest.mark.django_db

TOWN = {"families__reference__startswith": "VIL-"}
SNAPSHOT = [
    (Family, {"reference__startswith": "VIL-"}, ["reference", "quotient_familial", "iban"]),
    (Guardian, {"family__reference__startswith": "VIL-"}, ["public_id", "first_name", "email"]),
    (Child, {"family__reference__startswith": "VIL-"}, ["public_id", "birth_date", "school__name"]),
    (Enrolment, {"child__family__reference__startswith": "VIL-"}, ["public_id", "state"]),
    (Booking, {"child__family__reference__startswith": "VIL-"}, ["public_id", "day", "state"]),
    (ChangeRequest, {"family__reference__startswith": "VIL-"}, ["public_id", "state"]),
    (Document, {"family__reference__startswith": "VIL-"}, ["public_id", "state"]),
    (Thread, {"family__reference__startswith": "VIL-"}, ["public_id", "subject"]),
    (Message, {"thread__family__reference__startswith": "VIL-"}, ["public_id", "body"]),
    (Invoice, {"family__reference__startswith": "VIL-"}, ["number", "total", "family__reference"]),
    (Payment, {"family__reference__startswith": "VIL-"}, ["public_id", "amount"]),
]


def snapshot():
    digest = hashlib.sha256()
    for model, lookup, fields in SNAPSHOT:
        for row in model.objects.filter(**lookup).order_by(*fields).values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def built_and_rolled_back(families, seed):
    with transaction.atomic():
        build_town(families, seed)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_builds_the_same_town(demo_data):
    first = built_and_rolled_back(6, seed=1)
    assert built_and_rolled_back(6, seed=1) == first
    assert built_and_rolled_back(6, seed=2) != first


def test_a_small_town_is_the_beginning_of_a_larger_one(demo_data):
    """Family 1 of a 1-family town is family 1 of a 20-family town (query-count tests)."""

    def family_one(families):
        with transaction.atomic():
            build_town(families)
            family = Family.objects.get(reference="VIL-000001")
            rows = (
                list(family.children.values_list("public_id", "birth_date")),
                list(Booking.objects.filter(child__family=family).values_list("public_id")),
                list(family.threads.values_list("public_id")),
            )
            transaction.set_rollback(True)
        return rows

    assert family_one(1) == family_one(20)


def test_the_town_holds_the_constraints_and_the_rules(demo_data):
    build_town(20)
    with connection.cursor() as cursor:  # foreign keys are checked now, not at commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    families = Family.objects.filter(reference__startswith="VIL-")
    assert families.count() == 20
    children = Child.objects.filter(family__in=families)
    assert 20 <= children.count() <= 50
    assert HealthRecord.objects.filter(child__in=children).count() == children.count()
    assert Guardian.objects.filter(family__in=families, user__isnull=False).exists()
    # No unit, site and day has more bookings than places.
    for capacity in UnitCapacity.objects.filter(site__name__endswith="(Ville)"):
        busiest = (
            Booking.objects.filter(
                unit=capacity.unit, site=capacity.site, state=BookingState.BOOKED
            )
            .values("day")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        assert busiest is None or busiest["n"] <= capacity.places
    town_bookings = Booking.objects.filter(child__in=children)
    assert town_bookings.exists()
    # A booking belongs to an accepted enrolment of its child, at the enrolment's site.
    assert not town_bookings.exclude(
        enrolment__state="acceptee", enrolment__child=F("child"), enrolment__site=F("site")
    ).exists()
    states = set(ChangeRequest.objects.filter(family__in=families).values_list("state", flat=True))
    assert RequestState.PENDING in states and len(states) >= 3
    assert (
        not Message.objects.filter(thread__family__in=families)
        .filter(Q(created_at__lt=F("thread__created_at")))
        .exists()
    )


def test_the_pages_of_a_town_family_load(demo_data):
    build_town(5)
    family = Family.objects.get(reference="VIL-000001")
    user = family.guardians.get(role="responsable").user
    client = Client()
    assert client.login(email=user.email, password=BENCH_PASSWORD)
    for label, url in family_pages(family):
        response = client.get(url)
        assert response.status_code == 200, (label, url, response.status_code)
