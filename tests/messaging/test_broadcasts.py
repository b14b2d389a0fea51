"""Messages to many families: one thread per family, whatever the retries."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from espace_prive.families.models import Child, Family, Guardian
from espace_prive.messaging import selectors, services
from espace_prive.messaging.models import Broadcast, Message, Thread
from tests.factories import make_child, make_family, make_guardian, make_site, make_staff_with_perms

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


@pytest.fixture
def sender():
    return make_staff_with_perms("messaging.send_broadcast")


def many_families(count, *, school=None, class_level=""):
    """``count`` families with one guardian (with an e-mail) and one child, in bulk."""
    start = next(_numbers) * 100_000
    families = Family.objects.bulk_create(
        Family(reference=f"BULK-{start + n}") for n in range(count)
    )
    Guardian.objects.bulk_create(
        Guardian(
            family=f, role="responsable", first_name="A", last_name=f"B{f.pk}",
            email=f"f{f.pk}@example.test",
        )
        for f in families
    )  # fmt: skip
    Child.objects.bulk_create(
        Child(
            family=f, first_name="C", last_name=f"D{f.pk}", birth_date="2018-01-01",
            school=school, class_level=class_level,
        )
        for f in families
    )  # fmt: skip
    return families


def create(sender, **segment):
    return Broadcast.objects.create(
        subject="Fermeture exceptionnelle",
        body="L'accueil sera fermé vendredi.",
        families_count=selectors.segment_families(**segment).count(),
        created_by=sender,
        **segment,
    )


def assert_once_per_family(broadcast, families):
    threads = Thread.objects.filter(broadcast=broadcast)
    assert threads.count() == len(families)
    assert set(threads.values_list("family_id", flat=True)) == {f.pk for f in families}
    assert Message.objects.filter(thread__broadcast=broadcast).count() == len(families)


def test_a_broadcast_to_2000_families_is_delivered_once_even_when_run_twice(sender):
    families = many_families(2000)
    broadcast = create(sender)
    assert services.broadcast_deliver(broadcast.pk, batch_size=300) == 2000
    assert services.broadcast_deliver(broadcast.pk, batch_size=300) == 0
    assert_once_per_family(broadcast, families)
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.DONE and broadcast.delivered_count == 2000
    # Rerunning a delivery that was done does not even look again.
    Broadcast.objects.filter(pk=broadcast.pk).update(state=Broadcast.State.SENDING)
    assert services.broadcast_deliver(broadcast.pk, batch_size=300) == 0
    assert_once_per_family(broadcast, families)


def test_an_interrupted_delivery_resumes_where_it_stopped(sender, monkeypatch):
    families = many_families(2000)
    broadcast = create(sender)

    class WorkerStopped(Exception):
        pass

    def stop_after_three_batches(_broadcast, batch_number):
        if batch_number == 3:
            raise WorkerStopped

    monkeypatch.setattr(services, "_batch_checkpoint", stop_after_three_batches)
    with pytest.raises(WorkerStopped):
        services.broadcast_deliver(broadcast.pk, batch_size=250)
    # The three committed batches stay; nothing is half written.
    assert Thread.objects.filter(broadcast=broadcast).count() == 750
    assert Message.objects.filter(thread__broadcast=broadcast).count() == 750
    broadcast.refresh_from_db()
    assert broadcast.state == Broadcast.State.SENDING
    monkeypatch.undo()
    assert services.broadcast_deliver(broadcast.pk, batch_size=250) == 1250
    assert_once_per_family(broadcast, families)


def test_the_database_refuses_a_second_thread_of_the_same_broadcast(sender):
    from django.db import IntegrityError, transaction

    [family] = many_families(1)
    broadcast = create(sender)
    services.broadcast_deliver(broadcast.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(family=family, subject="Doublon", broadcast=broadcast)


def test_each_family_is_told_by_email_without_the_text(sender, django_capture_on_commit_callbacks):
    many_families(3)
    broadcast = create(sender)
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_deliver(broadcast.pk)
    assert len(mail.outbox) == 3
    assert all("fermé vendredi" not in message.body for message in mail.outbox)


def test_segments_and_their_preview():
    school = make_site(name="École élémentaire Jules-Ferry")
    other = make_site()
    at_school = many_families(3, school=school, class_level="CP")
    many_families(2, school=school, class_level="CM2")
    many_families(4, school=other, class_level="CP")
    make_guardian(family=at_school[0], role="conjoint")
    assert selectors.segment_preview(school=school) == {"families": 5, "guardians": 6}
    assert selectors.segment_preview(class_level="CP") == {"families": 7, "guardians": 8}
    assert selectors.segment_preview(school=school, class_level="CP") == {
        "families": 3,
        "guardians": 4,
    }
    assert selectors.segment_preview()["families"] == Family.objects.count()


def test_a_family_with_two_children_at_the_school_gets_one_thread(sender):
    school = make_site()
    family = make_family()
    make_guardian(family=family)
    make_child(family=family, school=school)
    make_child(family=family, school=school, first_name="Autre")
    broadcast = create(sender, school=school)
    services.broadcast_deliver(broadcast.pk)
    assert Thread.objects.filter(broadcast=broadcast).count() == 1


def test_writing_a_broadcast_needs_the_permission_and_queues_the_delivery(
    sender, django_capture_on_commit_callbacks
):
    school = make_site()
    many_families(4, school=school)
    with pytest.raises(PermissionDenied):
        services.broadcast_create(
            actor=make_staff_with_perms("messaging.reply_thread"),
            subject="S",
            body="B",
            school=school,
        )
    with pytest.raises(ValidationError):
        services.broadcast_create(actor=sender, subject="S", body="", school=school)
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = services.broadcast_create(
            actor=sender, subject="Sortie", body="Prévoir un pique-nique", school=school
        )
    # Tests run tasks at once (ImmediateBackend): delivered after the commit.
    broadcast.refresh_from_db()
    assert broadcast.families_count == 4
    assert broadcast.state == Broadcast.State.DONE
    assert Thread.objects.filter(broadcast=broadcast).count() == 4


def test_a_segment_with_no_family_is_refused(sender):
    with pytest.raises(ValidationError):
        services.broadcast_create(actor=sender, subject="S", body="B", school=make_site())
