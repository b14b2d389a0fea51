"""The family pages of the bookings: enrolments, the agenda, booking and cancelling a
day, weekly patterns, absences (issue 11). Another family's objects: see the isolation
walk in tests/families/test_isolation.py.

These pages read the real clock: the canteen runs on a school year around today
(``live_calendar``) and the days of the scenario are found in its agenda (``week``), so
that the tests keep their meaning whatever the date."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.bookings.models import (
    AbsenceDeclaration,
    AbsenceReason,
    Booking,
    BookingState,
    DeadlineRule,
    Enrolment,
    ServiceRules,
)
from espace_prive.bookings.selectors import agenda_for_child
from espace_prive.bookings.services import booking_book
from tests.api.bookings_helpers import live_calendar
from tests.bookings.factories import make_deadline
from tests.factories import MINIMAL_PDF, uploaded

pytestmark = pytest.mark.django_db

DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
MONTHS = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def _label(day):
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month]} {day.year}"


def _month(day, shift=0):
    """``AAAA-MM`` of ``day``'s month, or of the month ``shift`` months away."""
    index = day.year * 12 + day.month - 1 + shift
    return f"{index // 12}-{index % 12 + 1:02d}"


@pytest.fixture
def canteen(db):
    """The canteen of conftest.py (lunch on Monday, Tuesday, Thursday, Friday; book until
    J-2 10:00, working days; 2 places a day) on a school year around today."""
    deadline = make_deadline(
        name="J-2 10 h ouvrés",
        kind=DeadlineRule.Kind.DAYS_BEFORE,
        days=2,
        at_time=datetime.time(10, 0),
        working_days=True,
    )
    return live_calendar(places=2, deadline=deadline)


@pytest.fixture
def week(child_a):
    """The first four school weeks in a row, two weeks ahead or more, whose Mondays and
    Thursdays the child may book now (no holiday, no closure): ``monday``, ``wednesday``
    (no lunch on Wednesdays), ``thursday`` of the first; ``last``, the fourth's Sunday."""
    start = timezone.localdate() + datetime.timedelta(days=14)
    start -= datetime.timedelta(days=start.weekday())
    end = start + datetime.timedelta(days=280)  # the live school year runs 300 days ahead
    bookable = {e.day for e in agenda_for_child(child_a, start, end) if e.can_book}
    monday = start
    while monday + datetime.timedelta(days=27) <= end:
        days = [monday + datetime.timedelta(weeks=n, days=d) for n in range(4) for d in (0, 3)]
        if all(day in bookable for day in days):
            return SimpleNamespace(
                monday=monday,
                wednesday=monday + datetime.timedelta(days=2),
                thursday=monday + datetime.timedelta(days=3),
                last=monday + datetime.timedelta(days=27),
            )
        monday += datetime.timedelta(weeks=1)
    pytest.fail("No four school weeks in a row in the coming school year.")


def _agenda(child, month):
    return reverse("espace_prive:bookings:agenda", kwargs={"child_id": child.public_id}) + (
        f"?mois={month}"
    )


def _book(client, child, unit, day, **extra):
    return client.post(
        reverse("espace_prive:bookings:book", kwargs={"child_id": child.public_id}),
        {"unit": str(unit.public_id), "day": day.isoformat() if hasattr(day, "isoformat") else day},
        **extra,
    )


# --- Enrolments ---------------------------------------------------------------------------


def test_mes_enfants_shows_each_enrolment_with_its_state(client_a, child_a, canteen):
    response = client_a.get(reverse("espace_prive:families:children"))
    content = response.content.decode().replace("&#x27;", "'")
    assert canteen["service"].name in content
    assert "Acceptée" in content
    assert "Nouvelle inscription" in content


def test_a_family_requests_an_enrolment_that_goes_to_the_staff_queue(client_a, family_a, canteen):
    child = family_a.family.children.get()
    page = client_a.get(reverse("espace_prive:bookings:enrolment_new"))
    assert page.status_code == 200
    option = f"{canteen['year'].pk}-{canteen['service'].pk}-{canteen['site'].pk}"
    assert option in page.content.decode().replace("&#x27;", "'")
    response = client_a.post(
        reverse("espace_prive:bookings:enrolment_new"),
        {"child": str(child.public_id), "option": option, "notes": "Lundi et jeudi"},
        follow=True,
    )
    enrolment = Enrolment.objects.get(child=child)
    assert enrolment.state == Enrolment.State.PENDING and enrolment.notes == "Lundi et jeudi"
    content = response.content.decode().replace("&#x27;", "'")
    assert "est transmise au service" in content
    assert "En attente de validation" in content
    assert "Retirer la demande" in content


def test_an_enrolment_with_a_bad_choice_is_refused_in_french_and_nothing_stored(
    client_a, family_a, canteen
):
    child = family_a.family.children.get()
    response = client_a.post(
        reverse("espace_prive:bookings:enrolment_new"),
        {"child": str(child.public_id), "option": "999-999-999"},
    )
    assert response.status_code == 400
    assert "Ce service n'est pas proposé à l'inscription." in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not Enrolment.objects.exists()


def test_enrolling_twice_is_refused_with_a_french_message(client_a, child_a, canteen):
    option = f"{canteen['year'].pk}-{canteen['service'].pk}-{canteen['site'].pk}"
    response = client_a.post(
        reverse("espace_prive:bookings:enrolment_new"),
        {"child": str(child_a.public_id), "option": option},
    )
    assert response.status_code == 400
    assert Enrolment.objects.filter(child=child_a).count() == 1
    assert "resume-erreurs" in response.content.decode().replace("&#x27;", "'")


def test_a_family_withdraws_its_pending_enrolment(client_a, family_a, canteen):
    from tests.bookings.factories import make_enrolment

    child = family_a.family.children.get()
    enrolment = make_enrolment(child=child, calendar=canteen, state=Enrolment.State.PENDING)
    url = reverse(
        "espace_prive:bookings:enrolment_withdraw", kwargs={"enrolment_id": enrolment.public_id}
    )
    assert client_a.get(url).status_code == 200
    response = client_a.post(url, follow=True)
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.CANCELLED
    assert "est retirée" in response.content.decode().replace("&#x27;", "'")
    again = client_a.post(url)
    assert again.status_code == 400
    assert "déjà été traitée" in again.content.decode().replace("&#x27;", "'")


# --- The agenda ---------------------------------------------------------------------------


def test_the_agenda_shows_a_month_with_its_legend(client_a, child_a, canteen, week):
    response = client_a.get(_agenda(child_a, _month(week.monday)))
    content = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert _label(week.monday) in content
    assert "Légende" in content and "Liste d'attente" in content
    assert "Réserver<span" in content
    assert f"?mois={_month(week.monday, -1)}" in content
    assert f"?mois={_month(week.monday, 1)}" in content
    # No tutorial « Réserver et annuler » published here: no link (the demo's: see
    # tests/test_demo_links.py).
    assert "Le tutoriel" not in content


def test_a_malformed_month_shows_the_current_month(client_a, child_a):
    assert client_a.get(_agenda(child_a, month="pas-un-mois")).status_code == 200


def test_booking_a_day_without_javascript_redirects_with_a_message(
    client_a, child_a, canteen, week
):
    response = _book(client_a, child_a, canteen["unit"], week.monday)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?mois={_month(week.monday)}#jour-{week.monday}")
    booking = Booking.objects.get(child=child_a, day=week.monday)
    assert booking.state == BookingState.BOOKED
    page = client_a.get(response["Location"])
    assert "réservé." in page.content.decode().replace("&#x27;", "'")


def test_booking_with_htmx_swaps_the_day_with_a_focused_confirmation(
    client_a, child_a, canteen, week
):
    response = _book(client_a, child_a, canteen["unit"], week.monday, HTTP_HX_REQUEST="true")
    content = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert content.lstrip().startswith("<!--") is False
    assert f'id="jour-{week.monday}"' in content
    assert "data-focus-after-swap" in content and 'role="status"' in content
    assert "Annuler<span" in content


def test_the_same_booking_submitted_twice_is_one_booking(client_a, child_a, canteen, week):
    _book(client_a, child_a, canteen["unit"], week.monday)
    _book(client_a, child_a, canteen["unit"], week.monday)
    assert Booking.objects.filter(child=child_a, day=week.monday).count() == 1


def test_booking_a_closed_day_is_refused_in_french_and_nothing_stored(
    client_a, child_a, canteen, week
):
    response = _book(client_a, child_a, canteen["unit"], week.wednesday, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode().replace("&#x27;", "'")
    assert not Booking.objects.exists()


def test_a_malformed_day_is_a_404_and_nothing_stored(client_a, child_a, canteen):
    assert _book(client_a, child_a, canteen["unit"], "2027-13-45").status_code == 404
    assert not Booking.objects.exists()


def test_booking_for_a_child_not_enrolled_is_refused(client_a, family_a, canteen):
    child = family_a.family.children.get()
    day = timezone.localdate() + datetime.timedelta(days=21)
    response = _book(client_a, child, canteen["unit"], day, follow=True)
    assert "n'est pas inscrit(e)" in response.content.decode().replace("&#x27;", "'")
    assert not Booking.objects.exists()


def test_cancelling_a_day_frees_it(client_a, child_a, canteen, family_a, week):
    booking = booking_book(
        actor=family_a.user, child=child_a, unit=canteen["unit"], day=week.monday
    )
    url = reverse("espace_prive:bookings:cancel", kwargs={"booking_id": booking.public_id})
    response = client_a.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "annulé." in response.content.decode().replace("&#x27;", "'")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED


def test_the_family_agenda_shows_every_child(client_a, child_a, canteen, week):
    response = client_a.get(
        reverse("espace_prive:bookings:family_agenda") + f"?mois={_month(week.monday)}"
    )
    content = response.content.decode().replace("&#x27;", "'")
    assert child_a.first_name in content
    assert _label(week.monday) in content
    assert "Réserver<span" not in content  # read-only: the child's agenda books


def test_the_agenda_costs_the_same_queries_for_1_or_30_days_booked(
    client_a, child_a, canteen, family_a, week, django_assert_max_num_queries
):
    from espace_prive.bookings.models import UnitCapacity

    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=100)
    booking_book(actor=family_a.user, child=child_a, unit=canteen["unit"], day=week.monday)
    with django_assert_max_num_queries(40) as one:
        client_a.get(_agenda(child_a, _month(week.monday)))
    day = week.monday - datetime.timedelta(days=7)
    booked = 1
    while day <= week.monday + datetime.timedelta(days=90):
        if day.weekday() in (0, 1, 3, 4) and day != week.monday:
            try:
                booking_book(actor=family_a.user, child=child_a, unit=canteen["unit"], day=day)
                booked += 1
            except Exception:
                pass
        day += datetime.timedelta(days=1)
    assert booked >= 30
    with django_assert_max_num_queries(len(one.captured_queries)):
        client_a.get(_agenda(child_a, _month(week.monday)))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client_a.get(_agenda(child_a, _month(week.monday, 1)))


# --- Weekly pattern -----------------------------------------------------------------------


def _pattern(client, child, canteen, week, **extra):
    data = {
        "units": [str(canteen["unit"].public_id)],
        "weekdays": ["0", "3"],
        "start": week.monday.isoformat(),
        "end": week.last.isoformat(),
    }
    data.update(extra)
    return client.post(
        reverse("espace_prive:bookings:pattern", kwargs={"child_id": child.public_id}), data
    )


def test_a_pattern_preview_shows_the_total_and_books_nothing(client_a, child_a, canteen, week):
    response = _pattern(client_a, child_a, canteen, week)
    content = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Vérifier avant de réserver" in content
    assert "8 jours à réserver" in content  # the Mondays and Thursdays of four weeks
    assert "Confirmer la réservation" in content
    assert not Booking.objects.exists()


def test_confirming_a_pattern_books_it_once(client_a, child_a, canteen, week):
    response = _pattern(client_a, child_a, canteen, week, action="confirmer")
    assert response.status_code == 302
    assert Booking.objects.filter(child=child_a).count() == 8
    _pattern(client_a, child_a, canteen, week, action="confirmer")
    assert Booking.objects.filter(child=child_a).count() == 8
    page = client_a.get(response["Location"])
    assert "déjà réservé" in page.content.decode().replace("&#x27;", "'")


def test_a_pattern_of_ten_years_is_refused_in_french(client_a, child_a, canteen, week):
    end = (week.monday + datetime.timedelta(days=3650)).isoformat()
    response = _pattern(client_a, child_a, canteen, week, end=end, action="confirmer")
    assert response.status_code == 400
    assert "au plus une année scolaire" in response.content.decode().replace("&#x27;", "'")
    assert not Booking.objects.exists()


def test_a_pattern_without_weekday_is_refused_in_french(client_a, child_a, canteen, week):
    response = _pattern(client_a, child_a, canteen, week, weekdays=[])
    assert response.status_code == 400
    assert "Choisissez au moins un jour de la semaine." in response.content.decode().replace(
        "&#x27;", "'"
    )


# --- Absences -----------------------------------------------------------------------------


def _declare(client, child, day, **extra):
    data = {
        "child": str(child.public_id),
        "reason": str(AbsenceReason.objects.get(code="maladie").pk),
        "first_day": day.isoformat(),
        "last_day": "",
        "details": "",
    }
    data.update(extra)
    return client.post(reverse("espace_prive:bookings:absence_new"), data)


def test_declaring_an_absence_with_a_certificate_past_the_cancel_deadline(
    client_a, child_a, canteen, family_a
):
    from tests.bookings.conftest import PARIS

    # Cancelling is allowed until 90 days before: the next lunch the canteen serves (in
    # a few days, or after the summer holidays) is past its cancellation deadline now.
    ServiceRules.objects.filter(service=canteen["service"]).update(
        cancel_deadline=make_deadline(kind=DeadlineRule.Kind.DAYS_BEFORE, days=90)
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    day = next(
        entry.day
        for entry in agenda_for_child(child_a, tomorrow, tomorrow + datetime.timedelta(days=80))
        if entry.state != "ferme"
    )
    booked_then = datetime.datetime.combine(
        day - datetime.timedelta(days=20), datetime.time(9), PARIS
    )
    booking_book(actor=family_a.user, child=child_a, unit=canteen["unit"], day=day, now=booked_then)
    assert not agenda_for_child(child_a, day, day)[0].can_cancel
    response = _declare(
        client_a,
        child_a,
        day,
        certificate=uploaded(MINIMAL_PDF, name="certificat.pdf", content_type="application/pdf"),
    )
    assert response.status_code == 302
    declaration = AbsenceDeclaration.objects.get(child=child_a)
    assert declaration.certificate
    listing = (
        client_a.get(reverse("espace_prive:bookings:absences"))
        .content.decode()
        .replace("&#x27;", "'")
    )
    assert "Télécharger le justificatif" in listing
    download = client_a.get(
        reverse(
            "espace_prive:bookings:absence_certificate",
            kwargs={"absence_id": declaration.public_id},
        )
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]


def test_an_absence_in_the_cancel_deadline_is_a_cancellation(
    client_a, child_a, canteen, family_a, week
):
    booking = booking_book(
        actor=family_a.user, child=child_a, unit=canteen["unit"], day=week.monday
    )
    response = _declare(client_a, child_a, week.monday)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert not AbsenceDeclaration.objects.exists()


def test_a_forged_certificate_is_refused_in_french_and_nothing_stored(
    client_a, child_a, canteen, family_a, week
):
    booking_book(actor=family_a.user, child=child_a, unit=canteen["unit"], day=week.monday)
    response = _declare(
        client_a,
        child_a,
        week.monday,
        certificate=uploaded(b"MZ not a pdf", name="virus.pdf", content_type="application/pdf"),
    )
    assert response.status_code == 400
    assert not AbsenceDeclaration.objects.exists()
    assert Booking.objects.get(child=child_a).state == BookingState.BOOKED


def test_an_absence_without_a_booking_is_refused_in_french(client_a, child_a, week):
    response = _declare(client_a, child_a, week.monday)
    assert response.status_code == 400
    assert "il n'y a pas d'absence à déclarer" in response.content.decode().replace("&#x27;", "'")
