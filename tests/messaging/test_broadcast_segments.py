"""Messages to the families of a service: a child with an accepted enrolment, at one of
its sites, for a school year (else one not over yet); criteria hold for the same child."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from espace_prive.bookings.models import Enrolment
from espace_prive.families.models import Child
from espace_prive.messaging import selectors, services
from espace_prive.messaging.models import Broadcast, Thread
from tests.bookings.factories import make_calendar, make_school_year
from tests.factories import make_site, make_staff_with_perms
from tests.messaging.test_admin import agent_client
from tests.messaging.test_broadcasts import assert_once_per_family, many_families

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender():
    return make_staff_with_perms("messaging.send_broadcast")


@pytest.fixture
def canteen():
    # A segment without a school year reads « not over today »: the year holding today.
    return make_calendar(current=True)


def enrol(families, calendar, *, state=Enrolment.State.ACCEPTED, site=None, year=None):
    """An enrolment of each family's (only) child, in bulk."""
    decided = state != Enrolment.State.PENDING
    Enrolment.objects.bulk_create(
        Enrolment(
            child=child, service=calendar["service"], site=site or calendar["site"],
            school_year=year or calendar["year"], state=state,
            decided_at=timezone.now() if decided else None,
            reason="Complet" if state == Enrolment.State.REFUSED else "",
        )
        for child in Child.objects.filter(family__in=families)
    )  # fmt: skip


def families_of(**segment):
    return set(selectors.segment_families(**segment).values_list("pk", flat=True))


def test_only_families_with_an_accepted_enrolment_in_the_service_are_reached(canteen):
    accepted = many_families(3)
    enrol(accepted, canteen)
    for state in (Enrolment.State.PENDING, Enrolment.State.REFUSED, Enrolment.State.CANCELLED):
        enrol(many_families(1), canteen, state=state)
    other_service = make_calendar(current=True)
    enrol(many_families(2), other_service)
    many_families(2)  # enrolled nowhere
    assert families_of(service=canteen["service"]) == {f.pk for f in accepted}


def test_the_site_and_the_school_year_narrow_the_segment(canteen):
    other_site = make_site(name="Centre de loisirs des Pins")
    canteen["service"].sites.add(other_site)
    start = canteen["year"].starts_on
    next_year = make_school_year(
        commune=canteen["commune"],
        starts_on=start.replace(year=start.year + 1),
        ends_on=datetime.date(start.year + 2, 7, 5),
    )
    past_year = make_school_year(
        commune=canteen["commune"],
        starts_on=start.replace(year=start.year - 2),
        ends_on=datetime.date(start.year - 1, 7, 4),
    )
    here, there = many_families(2), many_families(3)
    enrol(here, canteen)
    enrol(there, canteen, site=other_site)
    later = many_families(1)
    enrol(later, canteen, year=next_year)
    old = many_families(4)
    enrol(old, canteen, year=past_year)
    service = canteen["service"]
    assert families_of(service=service, service_site=other_site) == {f.pk for f in there}
    assert families_of(service=service, school_year=next_year) == {f.pk for f in later}
    # Without a year: school years not over yet (an old enrolment does not count).
    assert families_of(service=service) == {f.pk for f in [*here, *there, *later]}
    assert families_of(service=service, school_year=past_year) == {f.pk for f in old}


def test_the_criteria_hold_for_the_same_child(canteen):
    school = make_site(name="École Jules-Ferry")
    [family] = many_families(1, school=school, class_level="CP")
    # Its CP child is not enrolled; a second child, in CM2 elsewhere, is.
    other = Child.objects.create(
        family=family, first_name="Aîné", last_name="X", birth_date="2015-01-01",
        class_level="CM2",
    )  # fmt: skip
    Enrolment.objects.create(
        child=other, service=canteen["service"], site=canteen["site"],
        school_year=canteen["year"], state=Enrolment.State.ACCEPTED, decided_at=timezone.now(),
    )  # fmt: skip
    service = canteen["service"]
    assert families_of(service=service, class_level="CP") == set()
    assert families_of(service=service, school=school) == set()
    assert families_of(service=service, class_level="CM2") == {family.pk}


def test_the_preview_costs_two_queries_for_one_family_or_two_hundred(
    canteen, django_assert_num_queries
):
    enrol(many_families(1), canteen)
    with django_assert_num_queries(2):
        assert selectors.segment_preview(service=canteen["service"])["families"] == 1
    enrol(many_families(199), canteen)
    with django_assert_num_queries(2):
        assert selectors.segment_preview(service=canteen["service"]) == {
            "families": 200,
            "guardians": 200,
        }


def test_a_service_broadcast_is_delivered_once_per_family_even_run_twice(
    sender, canteen, django_capture_on_commit_callbacks
):
    families = many_families(600)
    enrol(families, canteen)
    enrol(many_families(50), canteen, state=Enrolment.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = services.broadcast_create(
            actor=sender,
            subject="Menu de Noël",
            body="Le repas de Noël est servi jeudi.",
            service=canteen["service"],
        )
    assert broadcast.families_count == 600
    assert services.broadcast_deliver(broadcast.pk) == 0  # the task already did it
    assert_once_per_family(broadcast, families)
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.DONE and broadcast.delivered_count == 600
    assert broadcast.segment_label == f"Familles ayant un enfant inscrit à « {canteen['service']} »"


@pytest.mark.parametrize(
    ("segment", "field", "text"),
    [
        (lambda c, other: {"service_site": c["site"]}, "service_site", "d'abord le service"),
        (lambda c, other: {"school_year": c["year"]}, "school_year", "d'abord le service"),
        (
            lambda c, other: {"service": c["service"], "service_site": other},
            "service_site",
            "n'est pas un lieu d'accueil de ce service",
        ),
    ],
    ids=["site-without-service", "year-without-service", "site-of-another-service"],
)
def test_an_incoherent_segment_is_refused_in_french(sender, canteen, segment, field, text):
    enrol(many_families(2), canteen)
    with pytest.raises(ValidationError) as caught:
        services.broadcast_create(
            actor=sender, subject="S", body="B", **segment(canteen, make_site())
        )
    assert text in " ".join(caught.value.message_dict[field])
    assert not Broadcast.objects.exists()


def test_the_composer_previews_and_sends_to_a_service(canteen, django_capture_on_commit_callbacks):
    enrol(many_families(3), canteen)
    many_families(2)
    client, _agent = agent_client("messaging.send_broadcast")
    data = {
        "service": canteen["service"].pk,
        "service_site": canteen["site"].pk,
        "school_year": canteen["year"].pk,
        "subject": "Sortie",
        "body": "Prévoir un pique-nique.",
    }
    page = client.post(reverse("messaging_admin:broadcast"), {**data, "action": "previsualiser"})
    assert page.status_code == 200
    assert "3 familles" in page.content.decode()
    other = make_site()
    refused = client.post(
        reverse("messaging_admin:broadcast"),
        {**data, "service_site": other.pk, "action": "previsualiser"},
    )
    assert refused.status_code == 400
    assert "n&#x27;est pas un lieu d&#x27;accueil" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("messaging_admin:broadcast"), {**data, "action": "envoyer"})
    broadcast = Broadcast.objects.get()
    assert broadcast.service == canteen["service"] and broadcast.school_year == canteen["year"]
    assert Thread.objects.filter(broadcast=broadcast).count() == 3
