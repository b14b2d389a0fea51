"""Demo data of the attendance: today's registers at two schools — Jules-Ferry's canteen
(Léa, who has a PAI, and Inès) and its evening care (Inès, enrolled but never booked,
added on the spot: « présence sans réservation »), Les Tilleuls' canteen (taken and
closed) — and an animator of Jules-Ferry, allowed to see health alerts, who
signs in with the demo staff's public TOTP key.

Idempotent: the login and its site by natural keys; a closed register is left as it is;
taps set the same state again. A child who cannot be marked today (no school year
covering today, say) is skipped with a note.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.demo import DEMO_EMAIL_DOMAIN
from espace_prive.accounts.demo import _staff_second_factor, _user
from espace_prive.bookings.demo import JULES_FERRY, TILLEULS
from espace_prive.bookings.models import ActivityUnit, Booking, BookingState, Enrolment

from . import selectors, services
from .models import MarkState, SiteAssignment

ANIMATOR_EMAIL = f"animateur@{DEMO_EMAIL_DOMAIN}"
ANIMATOR_PASSWORD = "Belval-Animateur-2026"
ANIMATOR_GROUP = "Animateurs habilités santé"


def _animator(demo, site):
    animator = _user(
        ANIMATOR_EMAIL,
        ANIMATOR_PASSWORD,
        first_name="Sonia",
        last_name="Benali",
        is_staff=False,
        is_superuser=False,
        is_active=True,
    )
    animator.groups.add(Group.objects.get(name=ANIMATOR_GROUP))
    SiteAssignment.objects.get_or_create(user=animator, site=site)
    _staff_second_factor(animator)
    demo.objects["animator_user"] = animator
    demo.add_login(ANIMATOR_EMAIL, ANIMATOR_PASSWORD, "Animateur (Jules-Ferry, santé)")
    return animator


def _mark(demo, actor, site, unit, child_key, today):
    """Présent — or absent when the family declared an absence; an enrolled child
    without a booking today comes as « présence sans réservation »."""
    child = demo.objects["children"][child_key]
    booking = Booking.objects.filter(
        child=child, unit=unit, site=site, day=today, state=BookingState.BOOKED
    ).first()
    state = MarkState.ABSENT if booking and hasattr(booking, "absence") else MarkState.PRESENT
    where = {"actor": actor, "site": site, "unit": unit, "day": today, "child": child}
    try:
        if booking is None:
            services.attendance_add_unbooked(**where)
        else:
            services.attendance_tap(state=state, **where)
    except ValidationError as error:
        demo.add_note(f"Pointage de {child.first_name} non fait : {error.messages[0]}")


def seed(demo):
    today = timezone.localdate()
    sites = demo.objects["sites"]
    jules_ferry, tilleuls = sites[JULES_FERRY], sites[TILLEULS]
    meal = ActivityUnit.objects.get(
        service=demo.objects["services"]["restauration-scolaire"], name="Repas"
    )
    evening = ActivityUnit.objects.get(
        service=demo.objects["services"]["periscolaire"], name="Accueil du soir"
    )
    animator = _animator(demo, jules_ferry)
    staff = demo.objects["staff_user"]
    _enrol_never_booked(demo, "ines", evening, jules_ferry)
    if not _closed(jules_ferry, meal, today):
        for child_key in ("lea", "ines"):
            _mark(demo, animator, jules_ferry, meal, child_key, today)
    if not _closed(jules_ferry, evening, today):
        _mark(demo, animator, jules_ferry, evening, "ines", today)
    if not _closed(tilleuls, meal, today):
        for child_key in ("hugo", "emma", "noah"):
            _mark(demo, staff, tilleuls, meal, child_key, today)
        services.register_close(actor=staff, site=tilleuls, unit=meal, day=today)


def _closed(site, unit, day):
    register = selectors.register_for(site, unit, day)
    return register is not None and register.is_closed


def _enrol_never_booked(demo, child_key, unit, site):
    """Inès is enrolled in the evening care but never books it: she comes unannounced."""
    Enrolment.objects.get_or_create(
        child=demo.objects["children"][child_key],
        service=unit.service,
        school_year=demo.objects["bookings_year"],
        state=Enrolment.State.ACCEPTED,
        defaults={
            "site": site,
            "requested_by_staff": True,
            "decided_by": demo.objects["staff_user"],
            "decided_at": timezone.now(),
        },
    )
