"""The staff side of the bookings in the Wagtail admin: enrolments in the requests
queue (missing documents, decision), day lists, occupancy, a child's history, the
reference data as snippets; a capacity raised in a snippet promotes waiting children."""

import datetime
import html

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from espace_prive.bookings import services
from espace_prive.bookings.models import Booking, Enrolment, UnitCapacity
from tests.api.bookings_helpers import bookable_days, live_calendar
from tests.bookings.conftest import NOW
from tests.bookings.factories import make_enrolment
from tests.conftest import sign_in
from tests.factories import make_child, make_staff_with_perms

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 8)
# The snippet hook promotes from today on (real date): a day late in the school year.
DECIDER = ("bookings.view_enrolment", "bookings.decide_enrolment")
VIEWER = ("bookings.view_booking",)


def text(response):
    return html.unescape(response.content.decode())


def client_for(*perms):
    return sign_in(Client(), make_staff_with_perms(*perms))


def test_an_enrolment_request_is_in_the_queue_and_decided(
    family_a, canteen, django_capture_on_commit_callbacks
):
    child = family_a.family.children.get()
    enrolment = services.enrolment_request(
        actor=family_a.user,
        child=child,
        service=canteen["service"],
        site=canteen["site"],
        school_year=canteen["year"],
        now=NOW,
    )
    client = client_for(*DECIDER)
    queue = text(client.get(reverse("demandes_admin:index")))
    url = reverse("bookings_admin:enrolment", args=[enrolment.public_id])
    assert url in queue and "Inscription à un service" in queue
    only = text(client.get(reverse("demandes_admin:index"), {"section": "inscription"}))
    assert url in only
    page = text(client.get(url))
    assert "Pièces à fournir" in page and child.full_name in page
    response = client.post(url, {"action": "refuser", "reason": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "accepter"})
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).state == "acceptee"
    assert len(mail.outbox) == 1


def test_viewers_see_but_do_not_decide(family_a, canteen):
    enrolment = make_enrolment(
        child=family_a.family.children.get(), calendar=canteen, state=Enrolment.State.PENDING
    )
    client = client_for("bookings.view_enrolment")
    url = reverse("bookings_admin:enrolment", args=[enrolment.public_id])
    assert "Accepter l'inscription" not in text(client.get(url))
    client.post(url, {"action": "accepter"})
    assert Enrolment.objects.get(pk=enrolment.pk).state == "en_attente"


def test_day_list_occupancy_and_history_pages(child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=DAY, now=NOW)
    other = make_child(first_name="Noé")
    make_enrolment(child=other, calendar=canteen)
    services.booking_book(actor=staff_user, child=other, unit=canteen["unit"], day=DAY, now=NOW)
    client = client_for(*VIEWER)
    query = {"service": canteen["service"].pk, "site": canteen["site"].pk, "day": "2026-12-08"}
    page = text(client.get(reverse("bookings_admin:day"), query))
    assert child_a.full_name in page and "Liste d'attente (1)" in page and "Noé" in page
    page = text(
        client.get(
            reverse("bookings_admin:occupancy"),
            {"service": canteen["service"].pk, "site": canteen["site"].pk, "month": "2026-12"},
        )
    )
    assert "1 / 1" in page and "complet" in page
    page = text(client.get(reverse("bookings_admin:history", args=[child_a.public_id])))
    assert "Réservation" in page and "Le service" in page


def test_staff_give_free_places_from_the_day_list(child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    first = services.booking_book(
        actor=staff_user, child=child_a, unit=canteen["unit"], day=DAY, now=NOW
    )
    other = make_child()
    make_enrolment(child=other, calendar=canteen)
    waiting = services.booking_book(
        actor=staff_user, child=other, unit=canteen["unit"], day=DAY, now=NOW
    )
    services.booking_cancel(
        actor=staff_user, booking=first, now=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=NOW.tzinfo)
    )
    assert Booking.objects.get(pk=waiting.pk).state == "liste_attente"  # inside the deadline
    client = client_for(*VIEWER, "bookings.book_for_family")
    response = client.post(
        reverse("bookings_admin:day"),
        {
            "unit": canteen["unit"].public_id,
            "site": canteen["site"].public_id,
            "day": "2026-12-08",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get(pk=waiting.pk).state == "reservee"


def test_every_reference_snippet_lists_in_french(staff_client, canteen):
    for model in (
        "commune",
        "schoolyear",
        "period",
        "activityunit",
        "unitcapacity",
        "unitday",
        "closure",
        "deadlinerule",
        "servicerules",
        "absencereason",
        "schoolholiday",
    ):
        response = staff_client.get(reverse(f"wagtailsnippets_bookings_{model}:list"))
        assert response.status_code == 200, model
    page = text(staff_client.get(reverse("wagtailsnippets_bookings_deadlinerule:list")))
    assert "jusqu'à J-2 à 10 h, jours ouvrés" in page


def test_raising_a_capacity_in_the_admin_promotes_the_waiting_child(
    family_a, staff_client, staff_user
):
    # The promotion runs at the real time: a canteen around today, a day ahead.
    canteen = live_calendar(places=1)
    child = family_a.family.children.get()
    make_enrolment(child=child, calendar=canteen)
    day = bookable_days(child, 1)[0]
    capacity = UnitCapacity.objects.get(unit=canteen["unit"])
    services.booking_book(actor=staff_user, child=child, unit=canteen["unit"], day=day)
    other = make_child()
    make_enrolment(child=other, calendar=canteen)
    waiting = services.booking_book(actor=staff_user, child=other, unit=canteen["unit"], day=day)
    assert waiting.state == "liste_attente"
    url = reverse("wagtailsnippets_bookings_unitcapacity:edit", args=[capacity.pk])
    response = staff_client.post(
        url, {"unit": canteen["unit"].pk, "site": canteen["site"].pk, "places": 2}
    )
    assert response.status_code == 302, text(response)[:2000]
    assert Booking.objects.get(pk=waiting.pk).state == "reservee"


def test_a_family_never_enters_the_bookings_admin(client_a, child_a):
    response = client_a.get(reverse("bookings_admin:day"))
    assert response.status_code in (302, 403)
