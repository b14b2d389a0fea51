import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from espace_prive.accounts import demo as accounts_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    User = get_user_model()
    return (
        sorted(User.objects.values_list("email", "is_staff", "first_name")),
        sorted(Page.objects.values_list("url_path", "title")),
        list(Site.objects.values_list("hostname", "site_name", "root_page__url_path")),
    )


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert _snapshot() == first
    assert accounts_demo.STAFF_EMAIL in output and accounts_demo.STAFF_PASSWORD in output
    assert accounts_demo.FAMILY_EMAIL in output


def test_seeded_logins_work(client):
    call_command("seed_demo")
    assert client.login(email=accounts_demo.FAMILY_EMAIL, password=accounts_demo.FAMILY_PASSWORD)
    staff = get_user_model().objects.get(email=accounts_demo.STAFF_EMAIL)
    assert staff.is_staff and staff.check_password(accounts_demo.STAFF_PASSWORD)


def test_the_demo_editor_signs_in_with_the_demo_code_and_sees_only_the_public_site(client):
    """The README's Rédaction login: password, then the code of `demo_totp`; pages yes,
    the private area's admin no (403)."""
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.helpers import ADMIN_LOGIN_URL, VERIFY_URL, login_post, totp_code

    call_command("seed_demo")
    editor = get_user_model().objects.get(email=accounts_demo.EDITOR_EMAIL)
    assert list(editor.groups.all()) == [Group.objects.get(name="Communication")]
    response = login_post(
        client, accounts_demo.EDITOR_EMAIL, accounts_demo.EDITOR_PASSWORD, url=ADMIN_LOGIN_URL
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"].startswith(VERIFY_URL)
    device = TOTPDevice.objects.get(user=editor, confirmed=True)
    assert device.key == accounts_demo.demo_totp_device().key  # one code for both accounts
    client.post(VERIFY_URL, {"code": totp_code(device), "next": "/admin/"})
    assert client.get(reverse("wagtailadmin_explore_root")).status_code == 200
    assert client.get(reverse("families_admin:index")).status_code == 403


def test_the_demo_agent_decides_requests_but_sees_no_health_data(client):
    """The README's Agent login: the « Agents Enfance-Jeunesse » group, without the health
    permission; the demo's allergy request stays closed to them."""
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from espace_prive.demandes.models import ChangeRequest
    from tests.accounts.helpers import ADMIN_LOGIN_URL, VERIFY_URL, login_post, totp_code

    call_command("seed_demo")
    agent = get_user_model().objects.get(email=accounts_demo.AGENT_EMAIL)
    assert list(agent.groups.all()) == [Group.objects.get(name="Agents Enfance-Jeunesse")]
    login_post(client, accounts_demo.AGENT_EMAIL, accounts_demo.AGENT_PASSWORD, url=ADMIN_LOGIN_URL)
    device = TOTPDevice.objects.get(user=agent, confirmed=True)
    client.post(VERIFY_URL, {"code": totp_code(device), "next": "/admin/"})
    assert client.get(reverse("demandes_admin:index")).status_code == 200
    allergy = ChangeRequest.objects.filter(section="health_allergies").first()
    page = client.get(reverse("demandes_admin:detail", args=[allergy.public_id])).content.decode()
    assert "Kiwi" not in page and "Accepter et appliquer" not in page


def _bookings_snapshot():
    from espace_prive.bookings.models import (
        AbsenceDeclaration,
        ActivityUnit,
        Booking,
        Enrolment,
        Period,
        UnitCapacity,
        UnitDay,
    )

    return (
        sorted(Enrolment.objects.values_list("child__first_name", "service__slug", "state")),
        sorted(Booking.objects.values_list("child__first_name", "unit__name", "day", "state")),
        Period.objects.count(),
        sorted(ActivityUnit.objects.values_list("service__slug", "name")),
        UnitCapacity.objects.count(),
        sorted(UnitDay.objects.exclude(places=None).values_list("day", "places")),
        AbsenceDeclaration.objects.count(),
    )


def test_the_demo_configures_belvals_bookings_idempotently():
    """Issue 11: Belval's calendar for this school year, enrolments accepted and pending,
    this month's bookings with one full day and its waiting list, absences."""
    import datetime

    from django.utils import timezone

    from espace_prive.bookings import selectors
    from espace_prive.bookings.models import (
        AbsenceDeclaration,
        Booking,
        BookingState,
        Commune,
        Enrolment,
        SchoolHoliday,
        ServiceRules,
        UnitDay,
    )

    call_command("seed_demo")
    first = _bookings_snapshot()
    call_command("seed_demo")
    assert _bookings_snapshot() == first
    today = timezone.localdate()
    commune = Commune.objects.get(name="Belval")
    assert commune.school_zone == "B"
    year = commune.school_years.get()
    assert year.contains(today)
    assert SchoolHoliday.objects.filter(zone="B", first_day_off__gte=year.starts_on).exists()
    rules = {r.service.slug: r.booking_deadline.describe() for r in ServiceRules.objects.all()}
    assert rules["restauration-scolaire"] == "jusqu'à J-2 à 10 h, jours ouvrés"
    assert rules["accueil-de-loisirs"] == "le jeudi midi pour la semaine suivante"
    units = {name for _slug, name in first[3]}
    assert {"Repas", "Accueil du matin", "Accueil du soir", "Journée"} <= units
    states = {state for _child, _slug, state in first[0]}
    assert {Enrolment.State.ACCEPTED, Enrolment.State.PENDING} <= states
    month = Booking.objects.filter(day__year=today.year, day__month=today.month)
    assert month.filter(child__first_name="Léa", state=BookingState.BOOKED).exists()
    if today.month != 8:  # August: no school, no canteen day to fill
        (full,) = UnitDay.objects.filter(places=1)
        booked, waiting = selectors.day_list(full.unit, full.site, full.day)
        assert [b.child.first_name for b in booked] == ["Hugo"]
        assert sorted(b.child.first_name for b in waiting) == ["Emma", "Noah"]
        absences = AbsenceDeclaration.objects.select_related("reason", "child")
        assert {(a.child.first_name, a.reason.code) for a in absences} == {
            ("Léa", "maladie"),
            ("Inès", "rendez-vous-medical"),
        }
        assert absences.get(child__first_name="Léa").certificate
    assert datetime.date(today.year, today.month, 1) >= year.starts_on


def test_the_demo_gives_the_martins_last_year_s_attestation_fiscale():
    """Issue 13: Hugo Martin's périscolaire of last November, paid in December, on the
    attestation fiscale of last year (made once, with its PDF)."""
    from django.utils import timezone

    from espace_prive.billing.models import TaxCertificate
    from espace_prive.families.demo import MARTIN_REFERENCE

    call_command("seed_demo")
    call_command("seed_demo")
    year = timezone.localdate().year - 1
    certificate = TaxCertificate.objects.get(family__reference=MARTIN_REFERENCE, year=year)
    assert certificate.total > 0 and certificate.pdf
    assert [row["child_name"] for row in certificate.detail] == ["Hugo Martin"]
