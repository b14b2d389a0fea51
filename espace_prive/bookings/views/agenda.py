"""The agenda: a month of a child (or of every child), booking or cancelling one day,
booking a whole holiday session. Without JavaScript a change redirects to the month
with a message; with htmx the day alone is swapped, its message focused."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from espace_prive.access import family_required
from espace_prive.families.selectors import get_child_for_family
from espace_prive.help_pages import BOOKING_TUTORIAL, help_page

from .. import selectors, services
from ..planning import money
from ..services._common import parse_day
from ._common import day_label, days_of, month_range

LEGEND = [
    ("reservee", "Réservé", "une place est retenue pour votre enfant."),
    ("liste_attente", "Liste d'attente", "complet : votre enfant passera à son tour."),
    ("absent", "Absent", "une absence est déclarée."),
    ("disponible", "Disponible", "vous pouvez réserver."),
    ("complet", "Complet", "une réservation ira sur la liste d'attente."),
    ("delai_passe", "Délai passé", "il n'est plus possible de réserver ce jour."),
    ("ferme", "Fermé", "pas d'accueil ce jour."),
]


@require_GET
@family_required
def child_agenda(request, child_id):
    child = get_child_for_family(request.family, child_id)
    month = month_range(request)
    entries = selectors.agenda_for_child(child, month["first"], month["last"])
    pairs = selectors.bookable_units_for_child(child)
    return render(
        request,
        "bookings/agenda.html",
        {
            "child": child,
            "month": month,
            "days": days_of(entries),
            "legend": LEGEND,
            "booking_help": help_page(BOOKING_TUTORIAL, request),
            "has_units": bool(pairs),
            "sessions": [
                services.booking_session_offer(
                    actor=request.user, child=child, unit=unit, period=period
                )
                for period, unit in selectors.sessions_for_child(child, pairs=pairs)
            ],
        },
    )


@require_GET
@family_required
def family_agenda(request):
    month = month_range(request)
    children = [
        {"child": child, "days": days_of(entries)}
        for child, entries in selectors.agenda_for_family(
            request.family, month["first"], month["last"]
        )
    ]
    return render(
        request,
        "bookings/family_agenda.html",
        {
            "children": children,
            "month": month,
            "legend": LEGEND,
            "booking_help": help_page(BOOKING_TUTORIAL, request),
        },
    )


def _month_url(child, day):
    url = reverse("espace_prive:bookings:agenda", kwargs={"child_id": child.public_id})
    return f"{url}?mois={day:%Y-%m}#jour-{day:%Y-%m-%d}"


def _after_change(request, child, day, text, *, error=False):
    """The day alone (htmx) with its message, or back to the month with a message."""
    if request.htmx:
        entries = selectors.agenda_for_child(child, day, day)
        return render(
            request,
            "bookings/includes/agenda_day.html",
            {
                "child": child,
                "item": {"day": day, "label": day_label(day), "entries": entries},
                "confirmation": text,
                "error": error,
                "month": {"param": f"{day:%Y-%m}"},
            },
            status=400 if error else 200,
        )
    (messages.error if error else messages.success)(request, text)
    return redirect(_month_url(child, day))


@require_POST
@family_required
def day_book(request, child_id):
    child = get_child_for_family(request.family, child_id)
    unit = selectors.get_unit(request.POST.get("unit"))
    try:
        day = parse_day(request.POST.get("day", ""))
    except ValidationError as error:
        raise Http404("Jour invalide.") from error
    try:
        booking = services.booking_book(actor=request.user, child=child, unit=unit, day=day)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        return _after_change(request, child, day, text, error=True)
    what = f"{unit.name} du {day_label(day)} pour {child.first_name}"
    if booking.state == booking.State.WAITING:
        text = f"{what} : complet, votre enfant est inscrit(e) sur la liste d'attente."
    else:
        text = f"{what} : réservé."
    return _after_change(request, child, day, text)


@require_POST
@family_required
def booking_cancel(request, booking_id):
    booking = selectors.get_booking_for_family(request.family, booking_id)
    child, day = booking.child, booking.day
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        return _after_change(request, child, day, text, error=True)
    text = f"{booking.unit.name} du {day_label(day)} pour {child.first_name} : annulé."
    return _after_change(request, child, day, text)


@require_POST
@family_required
def session_book(request, child_id):
    child = get_child_for_family(request.family, child_id)
    period, unit = selectors.get_session_for_child(
        child, request.POST.get("period"), request.POST.get("unit")
    )
    try:
        lines = services.booking_session_book(
            actor=request.user, child=child, unit=unit, period=period
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(_month_url(child, period.starts_on))
    booked = [line for line in lines if line.outcome == services.BOOK]
    total = sum((line.price or 0 for line in booked), 0)
    if booked:
        text = (
            f"« {period.name} » ({unit.name}) réservé pour {child.first_name} : "
            f"{len(booked)} jour{'s' if len(booked) > 1 else ''}, {money(total)}."
        )
    elif any(line.outcome == services.WAIT for line in lines):
        text = (
            f"« {period.name} » est complet : {child.first_name} est inscrit(e) sur la "
            "liste d'attente pour tout le séjour."
        )
    else:
        text = f"« {period.name} » était déjà réservé pour {child.first_name}."
    messages.success(request, text)
    return redirect(_month_url(child, period.starts_on))
