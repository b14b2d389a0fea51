"""Demo data of the billing (issue 13): the régie of Belval billing the canteen, and for
the Martin family two issued months, the first paid by card, the second due with a
credit note. In the month booked here, the attendance of the Martins' first canteen day
was taken: Hugo « présent » (Les Tilleuls, register closed) and Léa, not booked that
day, « présence sans réservation » (Jules-Ferry, closed; +20 %). Everything goes
through the billing and attendance services; idempotent (a month already issued, a
payment already recorded, a credit note already issued are kept)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from espace_prive.attendance import services as attendance_services
from espace_prive.bookings import services as booking_services
from espace_prive.bookings.models import ActivityUnit, Booking, BookingState

from . import services
from .models import (
    BilledService,
    BillingRun,
    BillingRunState,
    Invoice,
    InvoiceState,
    Payment,
    Regie,
)

REGIE_NAME = "Régie enfance de Belval"
CARD_REFERENCE = "cs_demo_martin_{month:%Y%m}"
CREDIT_REASON = "Repas non servi : sortie scolaire"


def _months(today, year):
    """The two months billed: last month and this one, or this one and the next when
    last month is before the school year."""
    this = today.replace(day=1)
    previous = (this - datetime.timedelta(days=1)).replace(day=1)
    if previous < year.starts_on.replace(day=1):
        following = (this + datetime.timedelta(days=32)).replace(day=1)
        return this, following
    return previous, this


def _month_end(month):
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def _book_martins(demo, month, canteen, today):
    """The Martins' canteen days of ``month``, booked a week before it began (the
    bookings demo books this month; the other month is booked here). Léa is not booked
    on Hugo's first day: she comes unannounced, and that day's attendance is taken."""
    unit = ActivityUnit.objects.get(service=canteen, name="Repas")
    booked_at = timezone.make_aware(
        datetime.datetime.combine(month - datetime.timedelta(days=7), datetime.time(9, 0))
    )
    children = demo.objects["children"]

    def book(child, start):
        if start <= _month_end(month):
            booking_services.booking_pattern_confirm(
                actor=demo.objects["family_user"],
                child=child,
                units=[unit],
                weekdays=(0, 1, 3, 4),
                start=start,
                end=_month_end(month),
                now=booked_at,
            )

    book(children["hugo"], month)
    first = (
        Booking.objects.filter(
            child=children["hugo"], unit=unit, day__gte=month, state=BookingState.BOOKED
        )
        .order_by("day")
        .first()
    )
    if first is None or first.day >= today:
        book(children["lea"], month)
        return
    book(children["lea"], first.day + datetime.timedelta(days=1))
    _take_attendance(demo, unit, first, children["lea"])


def _take_attendance(demo, unit, hugo_booking, lea):
    """Hugo présent at Les Tilleuls, Léa « présence sans réservation » at Jules-Ferry,
    both registers closed that evening."""
    staff, day = demo.objects["staff_user"], hugo_booking.day
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    evening = noon + datetime.timedelta(hours=6)
    lea_site = lea.enrolments.filter(service=unit.service).order_by("-pk").first().site
    for child, site in ((hugo_booking.child, hugo_booking.site), (lea, lea_site)):
        where = {"actor": staff, "site": site, "unit": unit, "day": day}
        attendance_services.attendance_add_unbooked(child=child, now=noon, **where)
        attendance_services.register_close(now=evening, **where)


def _issue(regie, month, canteen, today):
    """The run of ``month`` issued (an issued run is kept as it is)."""
    run = BillingRun.objects.filter(regie=regie, month=month, services=canteen).first()
    if run is not None and run.state == BillingRunState.ISSUED:
        return run
    if run is None:
        run = services.run_create(regie=regie, month=month, services=[canteen], actor=None)
    run = services.run_draft(run=run)
    return services.run_issue(run=run, actor=None, today=min(today, _month_end(month)))


def _pay_by_card(regie, family, invoice, today):
    """The first month paid by card: recorded as the webhook records it (a card
    payment with the Checkout Session's id, allocated to the oldest invoice)."""
    reference = CARD_REFERENCE.format(month=invoice.month)
    if Payment.objects.filter(provider_reference=reference).exists():
        return
    due = services.invoice_remaining(invoice)
    if due <= 0:
        return
    services.payment_record(
        regie=regie,
        family=family,
        amount=due,
        method=Payment.Method.CARD,
        received_on=today,
        actor=None,
        reference=reference,
        provider_reference=reference,
        invoices=[invoice],
        confirm_overpayment=True,
    )


def seed(demo):
    today = timezone.localdate()
    martin = demo.objects["martin_family"]
    canteen = demo.objects["services"]["restauration-scolaire"]
    commune = demo.objects["bookings_year"].commune
    regie, _ = Regie.objects.update_or_create(
        name=REGIE_NAME,
        defaults={
            "commune": commune,
            "address": "Hôtel de ville, 1 place de la Mairie",
            "postcode": "45000",
            "city": "Belval",
            "email": "regie@demo.portail-famille.fr",
            "payment_delay_days": 30,
        },
    )
    BilledService.objects.get_or_create(
        service=canteen, defaults={"regie": regie, "unbooked_presence_rate": Decimal("120")}
    )
    first, second = _months(today, demo.objects["bookings_year"])
    for month in (first, second):
        billed = Invoice.objects.filter(family=martin, month=month, regie=regie).exists()
        if not billed and month != today.replace(day=1):
            _book_martins(demo, month, canteen, today)
        _issue(regie, month, canteen, today)
        if month == first:
            paid = Invoice.objects.filter(
                family=martin, month=first, regie=regie, state=InvoiceState.ISSUED
            ).first()
            if paid is not None:
                _pay_by_card(regie, martin, paid, today)
    due = Invoice.objects.filter(
        family=martin, month=second, regie=regie, state=InvoiceState.ISSUED
    ).first()
    if due is not None and not due.credit_notes.exists() and due.total > 0:
        services.credit_note_issue(
            invoice=due,
            amount=min(due.total, Decimal("3.50")),
            reason=CREDIT_REASON,
            actor=None,
            today=today,
        )
    demo.objects["regie"] = regie
