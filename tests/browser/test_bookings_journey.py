"""The journey of a school year's bookings (issue 11): a family enrols a child to the
canteen, staff accept in the admin, the family books every Monday and Thursday of next
month through a weekly pattern (seeing the total first), cancels one day, declares an
absence with a certificate; staff see the day list; the family reads the week's canteen
menu with the dish holding Léa's allergen flagged (issue 12). axe on every family page, at phone
and desktop width. The canteen runs on a school year around today (``live_calendar``),
so the journey holds whatever the date."""

import calendar
import datetime
import re
import zoneinfo

from django.utils import timezone
from playwright.sync_api import expect

from espace_prive.bookings.models import (
    AbsenceDeclaration,
    Booking,
    BookingState,
    DeadlineRule,
    Enrolment,
    ServiceRules,
)
from espace_prive.bookings.planning import money
from espace_prive.bookings.selectors import agenda_for_child
from espace_prive.bookings.services import booking_book, booking_pattern_preview
from tests.api.bookings_helpers import live_calendar
from tests.bookings.factories import make_deadline
from tests.factories import MINIMAL_PDF, make_family_with_login, make_staff

from .conftest import live_db
from .test_famille_demandes import _staff_page

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _reference_data():
    from django.apps import apps

    from espace_prive.bookings.models import AbsenceReason

    if not AbsenceReason.objects.exists():
        module = __import__(
            "espace_prive.bookings.migrations.0002_school_holidays_and_absence_reasons",
            fromlist=["load"],
        )
        module.load(apps, None)


def _absent_day(child, unit, service, user):
    """A day booked earlier, now past its cancellation deadline: the service lets
    families cancel until 90 days before from now on, so the next day the canteen serves
    lunch (in a few days, or after the holidays) is one, whatever today's date."""
    ServiceRules.objects.filter(service=service).update(
        cancel_deadline=make_deadline(kind=DeadlineRule.Kind.DAYS_BEFORE, days=90)
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    entries = agenda_for_child(child, tomorrow, tomorrow + datetime.timedelta(days=80))
    day = next(entry.day for entry in entries if entry.state != "ferme")
    if not Booking.objects.filter(child=child, day=day, state=BookingState.BOOKED).exists():
        earlier = datetime.datetime.combine(day - datetime.timedelta(days=25), datetime.time(9))
        booking_book(actor=user, child=child, unit=unit, day=day, now=earlier.replace(tzinfo=PARIS))
    entry = agenda_for_child(child, day, day)[0]
    assert entry.state == "reservee" and not entry.can_cancel, entry
    return day


@live_db
def test_enrol_book_a_pattern_cancel_declare_an_absence_and_staff_see_the_day(
    live_server, page, browser, login_as, assert_accessible, tmp_path, demo_site
):
    _reference_data()

    def check(page):
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            assert_accessible(page)

    family, user = make_family_with_login(email="famille-resa@example.test")
    child = family.children.get()
    child.first_name = "Léa"
    child.save()
    canteen = live_calendar(places=30)
    staff = make_staff(email="agent-resa@example.test", superuser=True)
    login_as(user)
    base = live_server.url + "/espace-famille/"

    # 1. Mes enfants → Nouvelle inscription to the canteen.
    page.goto(base + "enfants/")
    check(page)
    page.get_by_role("link", name="Nouvelle inscription pour Léa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle inscription")
    check(page)
    service, site = canteen["service"], canteen["site"]
    page.get_by_label("Service et lieu d'accueil").select_option(
        label=f"{service.name} — {site.name}"
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#messages")).to_contain_text("est transmise au service")
    expect(page.get_by_text("En attente de validation")).to_be_visible()
    check(page)
    enrolment = Enrolment.objects.get(child=child)

    # 2. Staff accept it in the admin.
    staff_page = _staff_page(browser, live_server, staff)
    staff_page.goto(f"{live_server.url}/admin/reservations/inscription/{enrolment.public_id}/")
    staff_page.get_by_role("button", name="Accepter l'inscription").click()
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.ACCEPTED

    # 3. Every Monday and Thursday of next month, the total seen before confirming.
    #    (In July, next month is the summer holidays: then the first month with lunches.)
    first = timezone.localdate().replace(day=1)
    for _month in range(3):
        first = (first + datetime.timedelta(days=32)).replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        expected = booking_pattern_preview(
            actor=user, child=child, units=[canteen["unit"]], weekdays=[0, 3], start=first,
            end=last,
        )  # fmt: skip
        if expected.to_book:
            break
    assert expected.to_book
    page.goto(base + "enfants/")
    page.get_by_role("link", name="Agenda de Léa").click()
    check(page)
    page.get_by_role("link", name="Réserver des jours réguliers").click()
    check(page)
    page.get_by_role("checkbox", name=re.compile(r"^Repas")).check()
    page.get_by_label("Lundi").check()
    page.get_by_label("Jeudi").check()
    page.locator("#id_start").fill(first.isoformat())
    page.locator("#id_end").fill(last.isoformat())
    page.get_by_role("button", name="Voir ce qui sera réservé").click()
    total = page.locator("#total")
    expect(total).to_contain_text(f"{len(expected.to_book)} jours à réserver")
    expect(total).to_contain_text(money(expected.total))
    assert not Booking.objects.exists()
    check(page)
    page.get_by_role("button", name=re.compile("^Confirmer la réservation")).click()
    expect(page.locator("#messages")).to_contain_text(f"{len(expected.to_book)} jours réservés")
    assert Booking.objects.filter(child=child, state=BookingState.BOOKED).count() == len(
        expected.to_book
    )
    check(page)

    # 4. Cancel one day: htmx swaps the day, the confirmation is focused.
    page.get_by_role("button", name=re.compile(r"^Annuler Repas")).first.click()
    confirmation = page.locator("[data-focus-after-swap]")
    expect(confirmation).to_contain_text("annulé")
    expect(confirmation).to_be_focused()
    assert Booking.objects.filter(child=child, state=BookingState.CANCELLED).count() == 1
    check(page)

    # 5. An absence with a certificate (a day this week, past its cancellation deadline).
    absent_day = _absent_day(child, canteen["unit"], canteen["service"], user)
    certificate = tmp_path / "certificat.pdf"
    certificate.write_bytes(MINIMAL_PDF)
    page.goto(f"{base}reservations/absences/declarer/?enfant={child.public_id}")
    check(page)
    page.get_by_label("Motif").select_option(label="Maladie")
    page.get_by_label("Premier jour d'absence").fill(absent_day.isoformat())
    page.get_by_label("Justificatif (certificat médical)").set_input_files(str(certificate))
    page.get_by_role("button", name="Déclarer l'absence").click()
    expect(page.locator("#messages")).to_contain_text("Absence de Léa enregistrée")
    download = page.get_by_role("link", name=re.compile("^Télécharger le justificatif"))
    expect(download).to_be_visible()
    assert AbsenceDeclaration.objects.get(child=child).certificate
    check(page)

    # 6. Staff see the day list of a booked day.
    booked = Booking.objects.filter(child=child, state=BookingState.BOOKED, day__gte=first)
    day = booked.order_by("day").first().day
    staff_page.goto(
        f"{live_server.url}/admin/reservations/?service={service.pk}&site={site.pk}"
        f"&day={day.isoformat()}"
    )
    expect(staff_page.locator("main")).to_contain_text(child.full_name)

    # 7. The week's canteen menu of Léa, the dish holding her allergen flagged in words.
    from espace_prive.kitchen.menus import monday_of
    from pages.enums import Course
    from pages.models import MenusIndexPage
    from tests.factories import make_health_record
    from tests.pages.helpers import add_week

    make_health_record(child=child, food_allergens=["peanuts"], has_pai=True)
    index = MenusIndexPage(title="Menus", slug="menus")
    demo_site.add_child(instance=index)
    index.save_revision().publish()
    monday = monday_of(timezone.localdate())
    add_week(index, monday, [(1, Course.MAIN, "Poulet satay aux cacahuètes", [], ["peanuts"])])
    page.goto(base)
    page.get_by_role("link", name=re.compile("^Menus de la cantine de mes enfants")).click()
    expect(page).to_have_url(f"{base}menus/")  # this week's menu, by default
    main = page.locator("main")
    expect(main).to_contain_text("Poulet satay aux cacahuètes")
    expect(main).to_contain_text("Contient : arachides — Léa a un PAI")
    check(page)
