"""Family A's file filled with distinctive values and files (a photo, a PAI, a QF proof,
a pick-up person, a pending request with a photo): the ids every route walk needs.

The fixture is made available to every test by ``tests/conftest.py``.
"""

import pytest


@pytest.fixture
def secrets_of_a(family_a):
    """Family A, with distinctive values that must never reach family B."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from espace_prive.families.models import Child, Family, Guardian, HealthRecord
    from tests.factories import MINIMAL_PDF, image_bytes, make_change_request, make_pickup_person

    family, user = family_a
    Family.objects.filter(pk=family.pk).update(
        reference="SECRET-A-0001",
        address="1 allée Confidentielle",
        iban="FR1420041010050500013M02606",
        qf_proof=storages["private"].save("qf/a.pdf", ContentFile(MINIMAL_PDF)),
    )
    guardian = family.guardians.get()
    Guardian.objects.filter(pk=guardian.pk).update(
        last_name="Cachalotte", mobile_phone="06 66 66 66 66"
    )
    child = family.children.get()
    Child.objects.filter(pk=child.pk).update(
        first_name="Zéphyrine",
        photo=storages["private"].save("enfants/a.jpg", ContentFile(image_bytes())),
    )
    HealthRecord.objects.create(
        child=child,
        allergies="Mangoustan",
        has_pai=True,
        pai_document=storages["private"].save("pai/a.pdf", ContentFile(MINIMAL_PDF)),
    )
    person = make_pickup_person(child=child, first_name="Philibert", last_name="Gardien")
    family.refresh_from_db()
    guardian.refresh_from_db()
    child.refresh_from_db()
    change_request = make_change_request(
        family=family,
        section="child_photo",
        child=child,
        actor=user,
        values={"photo": ContentFile(image_bytes(size=(60, 60)), name="photo.jpg")},
    )
    # Issue 10: a health document of the child, a thread with an attachment.
    from espace_prive.messaging.models import Attachment
    from espace_prive.messaging.services import thread_start
    from tests.factories import make_document, uploaded

    document = make_document(
        family=family, actor=user, code="carnet_vaccination", child=child, name="secret.pdf"
    )
    thread = thread_start(
        actor=user,
        family=family,
        subject="Objet Zorglub",
        topic="autre",
        body="Texte Mirobolant",
        attachments=[uploaded(MINIMAL_PDF, name="piece.pdf")],
    )
    attachment = Attachment.objects.get(message__thread=thread)
    # Issue 11: an enrolment of the child (pending, in the staff queue).
    from espace_prive.bookings.models import Enrolment
    from tests.bookings.factories import make_calendar, make_enrolment

    enrolment = make_enrolment(child=child, calendar=make_calendar(), state=Enrolment.State.PENDING)
    # A day booked, then an absence with a certificate (declared once past the deadline).
    import datetime
    import zoneinfo

    from espace_prive.bookings.models import AbsenceReason
    from espace_prive.bookings.services import absence_declare, booking_book

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    canteen = make_calendar()
    make_enrolment(child=child, calendar=canteen)
    booked_day = datetime.date(2027, 1, 11)
    booking = booking_book(
        actor=user,
        child=child,
        unit=canteen["unit"],
        day=booked_day,
        now=datetime.datetime(2026, 12, 1, 9, tzinfo=paris),
    )
    absent_day = datetime.date(2027, 1, 14)
    booking_book(
        actor=user,
        child=child,
        unit=canteen["unit"],
        day=absent_day,
        now=datetime.datetime(2026, 12, 1, 9, tzinfo=paris),
    )
    absence = absence_declare(
        actor=user,
        child=child,
        # get_or_create: a transactional test may have flushed the shipped reasons.
        reason=AbsenceReason.objects.get_or_create(
            code="autre", defaults={"label": "Autre", "requires_details": True}
        )[0],
        details="Zanzibar",
        first_day=absent_day,
        last_day=absent_day,
        certificate=uploaded(MINIMAL_PDF, name="certificat.pdf", content_type="application/pdf"),
        now=datetime.datetime(2027, 1, 14, 8, tzinfo=paris),
    ).declaration
    from espace_prive.bookings.models import CalendarFeed

    feed = CalendarFeed.objects.create(family=family, created_by=user)
    # Issue 13: the canteen's January billed and issued, a credit note, a payment.
    from espace_prive.billing import services as billing
    from espace_prive.billing.models import BilledService, Payment, Regie

    regie = Regie.objects.create(name="Régie de la cantine", commune=canteen["commune"])
    BilledService.objects.create(regie=regie, service=canteen["service"])
    run = billing.run_create(
        regie=regie, month=datetime.date(2027, 1, 1), services=[canteen["service"]], actor=None
    )
    billing.run_issue(run=billing.run_draft(run=run), actor=None, today=datetime.date(2027, 2, 1))
    invoice = family.invoices.get()
    billing.credit_note_issue(
        invoice=invoice, amount="0.10", reason="Geste Quetzalcoatl", actor=None
    )
    billing.payment_record(
        regie=regie,
        family=family,
        amount="0.20",
        method=Payment.Method.CHEQUE,
        received_on=datetime.date(2027, 2, 2),
        actor=None,
    )
    api_ids = {
        "document": document.public_id,
        "thread": thread.public_id,
        "attachment": attachment.public_id,
        "guardian": guardian.public_id,
        "child": child.public_id,
        "request": change_request.public_id,
        "enrolment": enrolment.public_id,
        "booking": booking.public_id,
        "absence": absence.public_id,
        "invoice": invoice.public_id,
    }
    ids = {
        "family_document_id": document.public_id,
        "thread_id": thread.public_id,
        "attachment_id": attachment.public_id,
        "child_id": child.public_id,
        "guardian_id": guardian.public_id,
        "person_id": person.public_id,
        "request_id": change_request.public_id,
        "field": "photo",
        "family_id": family.public_id,
        "enrolment_id": enrolment.public_id,
        "token": feed.token,
        "booking_id": booking.public_id,
        "absence_id": absence.public_id,
        "invoice_id": invoice.public_id,
        "regie_id": regie.public_id,
        "year": 2025,
        # Issue 12: the site, unit and day of the booked canteen day (registers).
        "site_id": booking.site.public_id,
        "unit_id": booking.unit.public_id,
        "day": booked_day.isoformat(),
        "api": api_ids,
    }
    words = [
        "SECRET-A-0001",
        "Confidentielle",
        "FR1420041010",
        "FR14 2004",
        "Cachalotte",
        "06 66 66 66 66",
        "Zéphyrine",
        "Mangoustan",
        "Philibert",
        str(child.public_id),
        str(change_request.public_id),
        "Zorglub",
        "Mirobolant",
        str(document.public_id),
        str(thread.public_id),
        str(enrolment.public_id),
        str(booking.public_id),
        str(absence.public_id),
        "Zanzibar",
        feed.token,
        str(invoice.public_id),
        invoice.number,
        "Quetzalcoatl",
    ]
    return {"ids": ids, "api_ids": api_ids, "words": words}
