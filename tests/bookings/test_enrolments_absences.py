"""Enrolments (request, accept, refuse, withdraw, e-mail) and absences (reason, details,
certificate in private storage; days still cancellable are cancelled instead)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from espace_prive.bookings import services
from espace_prive.bookings.models import AbsenceReason, Booking, Enrolment, ServiceRules
from tests.factories import make_site, make_staff
from tests.pdfs import valid_pdf

pytestmark = pytest.mark.django_db


def _request(user, child, canteen, now, **kwargs):
    return services.enrolment_request(
        actor=user,
        child=child,
        service=canteen["service"],
        site=canteen["site"],
        school_year=canteen["year"],
        now=now,
        **kwargs,
    )


def test_a_family_requests_and_staff_accept(
    family_a, canteen, now, staff_user, django_capture_on_commit_callbacks
):
    child = family_a.family.children.get()
    enrolment = _request(family_a.user, child, canteen, now, notes="Mange sans porc")
    assert enrolment.state == Enrolment.State.PENDING and not enrolment.requested_by_staff
    with pytest.raises(ValidationError, match="déjà inscrit"):
        _request(family_a.user, child, canteen, now)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.enrolment_accept(actor=staff_user, enrolment=enrolment)
    assert accepted.state == Enrolment.State.ACCEPTED and accepted.decided_by == staff_user
    assert len(mail.outbox) == 1 and "Inscription acceptée" in mail.outbox[0].subject
    assert child.first_name in mail.outbox[0].body
    with pytest.raises(services.EnrolmentAlreadyDecided):
        services.enrolment_refuse(actor=staff_user, enrolment=enrolment, reason="Trop tard")


def test_a_refusal_needs_a_reason_and_is_sent(
    family_a, canteen, now, staff_user, django_capture_on_commit_callbacks
):
    enrolment = _request(family_a.user, family_a.family.children.get(), canteen, now)
    with pytest.raises(ValidationError, match="motif du refus"):
        services.enrolment_refuse(actor=staff_user, enrolment=enrolment, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_refuse(actor=staff_user, enrolment=enrolment, reason="Complet")
    assert "Motif : Complet" in mail.outbox[0].body


def test_only_deciders_decide(family_a, canteen, now):
    enrolment = _request(family_a.user, family_a.family.children.get(), canteen, now)
    with pytest.raises(PermissionDenied):
        services.enrolment_accept(actor=make_staff(), enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        services.enrolment_accept(actor=family_a.user, enrolment=enrolment)


def test_enrolment_refusals_in_french(family_a, family_b, canteen, now):
    child = family_a.family.children.get()
    with pytest.raises(ValidationError, match="n'est pas proposé"):
        services.enrolment_request(
            actor=family_a.user,
            child=child,
            service=canteen["service"],
            site=make_site(),
            school_year=canteen["year"],
            now=now,
        )
    ServiceRules.objects.filter(service=canteen["service"]).update(
        enrolments_open_on=datetime.date(2027, 6, 1)
    )
    with pytest.raises(ValidationError, match="ouvrent le 01/06/2027"):
        _request(family_a.user, child, canteen, now)
    with pytest.raises(PermissionDenied):
        _request(family_b.user, child, canteen, now)
    assert not Enrolment.objects.exists()


def test_a_family_withdraws_its_pending_request(family_a, family_b, canteen, now):
    enrolment = _request(family_a.user, family_a.family.children.get(), canteen, now)
    with pytest.raises(PermissionDenied):
        services.enrolment_cancel(actor=family_b.user, family=family_b.family, enrolment=enrolment)
    cancelled = services.enrolment_cancel(
        actor=family_a.user, family=family_a.family, enrolment=enrolment
    )
    assert cancelled.state == Enrolment.State.CANCELLED


# --- Absences -----------------------------------------------------------------------------


@pytest.fixture
def booked_week(family_a, child_a, canteen, now, staff_user):
    days = [datetime.date(2026, 12, d) for d in (7, 8, 10, 11)]
    for day in days:
        services.booking_book(
            actor=staff_user, child=child_a, unit=canteen["unit"], day=day, now=now
        )
    return days


def test_an_absence_with_a_certificate(family_a, child_a, booked_week, now):
    illness = AbsenceReason.objects.get(code="maladie")
    certificate = SimpleUploadedFile("certificat.pdf", valid_pdf(), "application/pdf")
    outcome = services.absence_declare(
        actor=family_a.user,
        child=child_a,
        reason=illness,
        first_day="2026-12-07",
        last_day="2026-12-11",
        certificate=certificate,
        now=now,
    )
    # Monday 7 is past its cancellation deadline (Thursday 3, 10:00): an absence. The
    # other days could still be cancelled: they are.
    assert [b.day.day for b in outcome.absent] == [7]
    assert [b.day.day for b in outcome.cancelled] == [8, 10, 11]
    declaration = outcome.declaration
    assert declaration.certificate.name.startswith(f"absences/{declaration.public_id}/")
    assert storages["private"].exists(declaration.certificate.name)
    assert declaration.certificate_sent_at == now
    absence = Booking.objects.get(child=child_a, day=booked_week[0]).absence
    assert not absence.is_billable
    assert Booking.objects.filter(child=child_a, state="annulee").count() == 3


def test_other_needs_details_and_nothing_is_stored(family_a, child_a, booked_week, now):
    other = AbsenceReason.objects.get(code="autre")
    with pytest.raises(ValidationError) as error:
        services.absence_declare(
            actor=family_a.user,
            child=child_a,
            reason=other,
            first_day=booked_week[0],
            last_day=booked_week[0],
            now=now,
        )
    assert "Précisez" in error.value.message_dict["details"][0]
    outcome = services.absence_declare(
        actor=family_a.user,
        child=child_a,
        reason=other,
        details="Sortie familiale",
        first_day=booked_week[0],
        last_day=booked_week[0],
        now=now,
    )
    assert outcome.declaration.reason_label == "Autre (Sortie familiale)"
    assert outcome.absent[0].absence.is_billable


def test_a_bad_certificate_is_refused_and_nothing_is_stored(family_a, child_a, booked_week, now):
    illness = AbsenceReason.objects.get(code="maladie")
    fake = SimpleUploadedFile("certificat.pdf", b"pas un pdf", "application/pdf")
    with pytest.raises(ValidationError, match="PDF, une image JPEG"):
        services.absence_declare(
            actor=family_a.user,
            child=child_a,
            reason=illness,
            first_day=booked_week[0],
            last_day=booked_week[1],
            certificate=fake,
            now=now,
        )
    assert not Booking.objects.filter(absence__isnull=False).exists()


def test_no_booking_no_absence(family_a, child_a, canteen, now):
    with pytest.raises(ValidationError, match="aucune réservation"):
        services.absence_declare(
            actor=family_a.user,
            child=child_a,
            reason=AbsenceReason.objects.get(code="maladie"),
            first_day="2027-01-11",
            last_day="2027-01-15",
            now=now,
        )
