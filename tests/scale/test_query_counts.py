"""The private pages and API lists of a family run as many SQL queries in a town of 1
family as in a town of 200 (issue 14): the town's family 1 is the same in both
(``seed_town`` draws each family from its own generator), only the town around it
grows. Measured on the second load of each page (the first warms per-process caches)."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.scale.pages import family_pages
from espace_prive.families.models import Family
from tests.scale.conftest import build_town

pytestmark = pytest.mark.django_db

LARGE = 200
PAGES = [
    "family home",
    "Mes enfants",
    "a child's agenda",
    "Mes demandes",
    "documents",
    "inbox",
    "Relevé de compte",
    "API children",
    "API requests",
    "API documents",
    "API threads",
    "API enrolments",
    "API bookings",
    "API child agenda",
]


def _counts(families):
    with transaction.atomic():
        build_town(families)
        family = Family.objects.get(reference="VIL-000001")
        client = Client()
        client.force_login(family.guardians.get(role="responsable").user)
        counts = {}
        for label, url in family_pages(family):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (label, url, response.status_code)
            counts[label] = len(captured)
        transaction.set_rollback(True)
    return counts


@pytest.fixture(scope="module")
def counts(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        return {1: _counts(1), LARGE: _counts(LARGE)}


def test_family_one_has_something_on_every_page(demo_data):
    """Family 1 of seed 1 has children, bookings, requests and a thread: the pages it
    loads are not empty lists."""
    with transaction.atomic():
        build_town(1)
        family = Family.objects.get(reference="VIL-000001")
        assert family.children.count() >= 1
        assert family.children.filter(bookings__isnull=False).exists()
        assert family.change_requests.exists()
        assert family.threads.exists()
        transaction.set_rollback(True)


@pytest.mark.parametrize("label", PAGES)
def test_queries_do_not_grow_with_the_town(counts, label):
    assert counts[LARGE][label] == counts[1][label], (label, counts[1][label], counts[LARGE][label])
