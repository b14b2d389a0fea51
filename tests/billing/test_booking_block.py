"""Item 9 of issue 13: « bloquer les nouvelles réservations si facture impayée depuis
plus de N jours », off by default. Registered by billing into the bookings' checks (the
bookings never import billing); the refusal in French on the page and in the API;
staff may still book; a paid or not-yet-late invoice does not block."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.billing import services
from espace_prive.billing.booking_block import refuse_if_unpaid
from espace_prive.billing.models import Invoice
from espace_prive.bookings.models import Booking
from espace_prive.bookings.services import booking_book, booking_pattern_preview
from espace_prive.bookings.services._common import BOOKING_CHECKS
from tests.api.bookings_helpers import bookable_days, enrol, live_calendar
from tests.billing.factories import make_regie
from tests.bookings.conftest import _reference_data  # noqa: F401
from tests.factories import make_staff_with_perms

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(db):
    calendar = live_calendar()
    calendar["regie"] = make_regie(commune=calendar["commune"], services=[calendar["service"]])
    return calendar


@pytest.fixture
def child_a(family_a, canteen):
    child = family_a.family.children.get()
    enrol(child, canteen)
    return child


def overdue(regie, family, *, days_late, total="42.00"):
    """An issued invoice whose due date was ``days_late`` days ago."""
    today = timezone.localdate()
    month = (today - datetime.timedelta(days=days_late + 40)).replace(day=1)
    return Invoice.objects.create(
        regie=regie,
        family=family,
        state=Invoice.State.ISSUED,
        year=month.year,
        sequence=Invoice.objects.count() + 1,
        number=f"{month.year}-{Invoice.objects.count() + 1:06d}",
        month=month,
        period_start=month,
        period_end=month + datetime.timedelta(days=27),
        payer_name="Mme Test",
        total=Decimal(total),
        due_date=today - datetime.timedelta(days=days_late),
        issued_at=timezone.now() - datetime.timedelta(days=days_late + 30),
    )


def block_after(regie, days):
    regie.unpaid_block_days = days
    regie.full_clean()
    regie.save()


def test_billing_registers_its_check_into_the_bookings():
    assert refuse_if_unpaid in BOOKING_CHECKS


def test_off_by_default_then_a_late_invoice_holds_new_bookings(family_a, child_a, canteen):
    family, user = family_a
    regie = canteen["regie"]
    invoice = overdue(regie, family, days_late=20)
    first, second, third = bookable_days(child_a, 3)
    assert booking_book(actor=user, child=child_a, unit=canteen["unit"], day=first)
    block_after(regie, 30)  # 20 days late: not yet
    assert booking_book(actor=user, child=child_a, unit=canteen["unit"], day=second)
    block_after(regie, 15)
    with pytest.raises(ValidationError) as error:
        booking_book(actor=user, child=child_a, unit=canteen["unit"], day=third)
    message = " ".join(error.value.messages)
    assert invoice.number in message and "plus de 15 jours" in message and "42.00 €" in message
    assert Booking.objects.filter(child=child_a).count() == 2
    with pytest.raises(ValidationError, match="suspendues"):
        booking_pattern_preview(
            actor=user,
            child=child_a,
            units=[canteen["unit"]],
            weekdays=[0, 1, 2, 3, 4],
            start=third,
            end=third + datetime.timedelta(days=14),
        )
    # Staff may still book for the family.
    staff = make_staff_with_perms("bookings.book_for_family")
    assert booking_book(actor=staff, child=child_a, unit=canteen["unit"], day=third)
    # Paid: the family books again.
    services.payment_record(
        regie=regie,
        family=family,
        amount=invoice.total,
        method="cheque",
        received_on=timezone.localdate(),
        actor=staff,
    )
    fourth = bookable_days(child_a, 4)[3]
    assert booking_book(actor=user, child=child_a, unit=canteen["unit"], day=fourth)


def test_the_refusal_on_the_page_and_in_the_api(client_a, family_a, child_a, canteen):
    family, user = family_a
    block_after(canteen["regie"], 10)
    invoice = overdue(canteen["regie"], family, days_late=11)
    day = bookable_days(child_a, 1)[0]
    page = client_a.post(
        reverse("espace_prive:bookings:book", kwargs={"child_id": child_a.public_id}),
        {"unit": str(canteen["unit"].public_id), "day": day.isoformat()},
        HTTP_HX_REQUEST="true",
    )
    content = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 400 and 'role="alert"' in content
    assert "Les nouvelles réservations sont suspendues" in content and invoice.number in content
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        reverse("api:booking-list"),
        {"child": str(child_a.public_id), "unit": str(canteen["unit"].public_id), "day": str(day)},
        format="json",
    )
    assert response.status_code == 400
    refusal = " ".join(response.json()["error"]["fields"]["non_field_errors"])
    assert "Les nouvelles réservations sont suspendues" in refusal
    assert not Booking.objects.exists()


def test_another_familys_late_invoice_does_not_block(family_a, family_b, child_a, canteen):
    block_after(canteen["regie"], 5)
    overdue(canteen["regie"], family_b.family, days_late=60)
    day = bookable_days(child_a, 1)[0]
    assert booking_book(actor=family_a.user, child=child_a, unit=canteen["unit"], day=day)


def test_the_setting_is_validated_in_french(canteen):
    regie = canteen["regie"]
    regie.unpaid_block_days = 0
    with pytest.raises(ValidationError) as error:
        regie.full_clean()
    assert "unpaid_block_days" in error.value.message_dict
