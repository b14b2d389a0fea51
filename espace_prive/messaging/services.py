"""Writes of the messaging: a family writes to the service (« Nous contacter ») or
answers; staff reply, assign, close; a message to many families is delivered by a task.

A message is plain text (at most ``MAX_BODY_LENGTH`` characters); attachments pass the
same checks as the documents. Each write locks the thread and re-checks it.
"""

import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.families.models import Child
from espace_prive.uploads import process_document

from . import notices, selectors
from .models import (
    MAX_ATTACHMENTS,
    MAX_BODY_LENGTH,
    Attachment,
    Broadcast,
    Message,
    Sender,
    Thread,
    ThreadRead,
    ThreadState,
    Topic,
    TopicRoute,
)
from .permissions import REPLY_THREAD, SEND_BROADCAST

logger = logging.getLogger(__name__)


def clean_body(body):
    """The message text, trimmed; a French ValidationError when empty or too long."""
    body = (body or "").replace("\x00", "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError({"body": "Écrivez votre message."}, code="empty")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            {
                "body": f"Votre message compte {len(body)} caractères : {MAX_BODY_LENGTH} au "
                "plus. Raccourcissez-le ou joignez un document."
            },
            code="too_long",
        )
    return body


def clean_subject(subject):
    subject = " ".join((subject or "").replace("\x00", "").split())
    if not subject:
        raise ValidationError({"subject": "Indiquez l'objet de votre message."})
    if len(subject) > 200:
        raise ValidationError({"subject": "L'objet compte 200 caractères au plus."})
    return subject


def _checked_files(files):
    files = [f for f in files or () if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": f"Joignez {MAX_ATTACHMENTS} fichiers au plus à un message."}
        )
    checked = []
    for uploaded in files:
        try:
            checked.append((process_document(uploaded), (uploaded.name or "")[:255]))
        except ValidationError as error:
            name = uploaded.name or "fichier"
            raise ValidationError(
                {"attachments": [f"{name} : {text}" for text in error.messages]}
            ) from error
    return checked


def _store(thread, checked):
    stored = []
    for content, original_name in checked:
        suffix = PurePosixPath(content.name).suffix.lower()
        name = storages["private"].save(
            f"messages/{thread.family.public_id}/{thread.public_id}/piece{suffix}", content
        )
        stored.append((name, original_name, content.size))
    return stored


def _author_name(actor, sender):
    if sender == Sender.SERVICE:
        return "Le service"
    guardian = getattr(actor, "guardian", None)
    return guardian.full_name if guardian else actor.get_full_name() or actor.email


def _write(thread, *, actor, sender, body, stored, now):
    message = Message.objects.create(
        thread=thread,
        sender=sender,
        author=actor,
        author_name=_author_name(actor, sender),
        body=body,
        created_at=now,
    )
    Attachment.objects.bulk_create(
        Attachment(message=message, file=name, original_name=original, size=size)
        for name, original, size in stored
    )
    _mark_read(thread, actor, now)
    return message


def _mark_read(thread, user, when):
    ThreadRead.objects.update_or_create(thread=thread, user=user, defaults={"read_at": when})


def _cleanup_on_error(stored):
    for name, _original, _size in stored:
        storages["private"].delete(name)


def route_for(topic):
    route = TopicRoute.objects.filter(topic=topic).select_related("group").first()
    return route.group if route else None


def thread_start(*, actor, family, subject, topic, body, attachments=()):
    """« Nous contacter »: a guardian opens a thread; it goes to the topic's staff group."""
    if topic not in Topic.values:
        raise ValidationError({"topic": "Choisissez le sujet de votre message dans la liste."})
    if family.is_anonymised:
        raise ValidationError("Ce dossier famille est clos.")
    subject = clean_subject(subject)
    body = clean_body(body)
    checked = _checked_files(attachments)
    now = timezone.now()
    thread = Thread(
        family=family,
        subject=subject,
        topic=topic,
        group=route_for(topic),
        created_by=actor,
        created_at=now,
        last_message_at=now,
    )
    stored = _store(thread, checked)
    try:
        with transaction.atomic():
            thread.save()
            _write(thread, actor=actor, sender=Sender.FAMILY, body=body, stored=stored, now=now)
    except BaseException:
        _cleanup_on_error(stored)
        raise
    return thread


def message_post(*, actor, thread, body, attachments=(), family=None):
    """A new message in ``thread``: from its family when ``family`` is given (a closed
    thread opens again), otherwise from the service (the reply permission)."""
    if family is not None:
        if thread.family_id != family.pk:
            raise PermissionDenied("Cette conversation n'est pas la vôtre.")
        sender = Sender.FAMILY
    else:
        if (
            not actor.has_perm(REPLY_THREAD)
            or not selectors.visible_threads(actor).filter(pk=thread.pk).exists()
        ):
            raise PermissionDenied("Vous n'avez pas le droit de répondre à cette conversation.")
        sender = Sender.SERVICE
    body = clean_body(body)
    checked = _checked_files(attachments)
    stored = _store(thread, checked)
    try:
        with transaction.atomic():
            locked = Thread.objects.select_for_update().get(pk=thread.pk)
            now = timezone.now()
            if sender == Sender.FAMILY and locked.state == ThreadState.CLOSED:
                locked.state, locked.closed_at, locked.closed_by = ThreadState.OPEN, None, None
            locked.last_message_at = now
            locked.save(update_fields=["state", "closed_at", "closed_by", "last_message_at"])
            message = _write(locked, actor=actor, sender=sender, body=body, stored=stored, now=now)
    except BaseException:
        _cleanup_on_error(stored)
        raise
    if sender == Sender.SERVICE:
        notices.family_told(message)
    return message


def notice_post(*, family, subject, body, topic=Topic.OTHER):
    """A notice from the portal itself (a waiting-list place granted…): a new thread from
    the service in the family's inbox, unread for every guardian, which they may answer
    (it goes to the topic's staff group). No e-mail here: the caller sends its own."""
    subject = clean_subject(subject)
    body = clean_body(body)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(
            family=family,
            subject=subject,
            topic=topic,
            group=route_for(topic),
            created_at=now,
            last_message_at=now,
        )
        Message.objects.create(
            thread=thread,
            sender=Sender.SERVICE,
            author_name="Le service",
            body=body,
            created_at=now,
        )
    return thread


def thread_mark_read(*, actor, thread):
    """``actor`` has read the thread up to now (each guardian and agent has their own)."""
    _mark_read(thread, actor, timezone.now())


def _require_replier(actor, thread):
    if (
        not actor.has_perm(REPLY_THREAD)
        or not selectors.visible_threads(actor).filter(pk=thread.pk).exists()
    ):
        raise PermissionDenied("Vous n'avez pas le droit de traiter cette conversation.")


def thread_assign(*, actor, thread, assignee):
    """Give the thread to an agent (None: to nobody)."""
    _require_replier(actor, thread)
    if assignee is not None and not (
        assignee.is_active and assignee.is_staff and assignee.has_perm(REPLY_THREAD)
    ):
        raise ValidationError({"assignee": "Cet agent ne peut pas répondre aux familles."})
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
    return locked


def thread_close(*, actor, thread):
    _require_replier(actor, thread)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.state == ThreadState.CLOSED:
            raise ValidationError("Cette conversation est déjà close.")
        locked.state, locked.closed_at, locked.closed_by = ThreadState.CLOSED, timezone.now(), actor
        locked.save(update_fields=["state", "closed_at", "closed_by"])
    return locked


def thread_reopen(*, actor, thread):
    _require_replier(actor, thread)
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.state == ThreadState.OPEN:
            raise ValidationError("Cette conversation est déjà ouverte.")
        locked.state, locked.closed_at, locked.closed_by = ThreadState.OPEN, None, None
        locked.save(update_fields=["state", "closed_at", "closed_by"])
    return locked


# --- Messages to many families -------------------------------------------------------


def segment_check(*, school, class_level, service, service_site, school_year):
    if class_level and class_level not in Child.ClassLevel.values:
        raise ValidationError({"class_level": "Choisissez une classe de la liste."})
    if school is not None and not school.is_school:
        raise ValidationError({"school": "Choisissez une école."})
    if service is None and (service_site is not None or school_year is not None):
        field = "service_site" if service_site is not None else "school_year"
        raise ValidationError(
            {field: "Choisissez d'abord le service : le lieu et l'année le précisent."}
        )
    if service is not None and not service.is_active:
        raise ValidationError({"service": "Ce service n'est plus proposé aux familles."})
    if service_site is not None and not service.sites.filter(pk=service_site.pk).exists():
        raise ValidationError(
            {"service_site": f"« {service_site} » n'est pas un lieu d'accueil de ce service."}
        )


def broadcast_create(
    *, actor, subject, body, school=None, class_level="", service=None, service_site=None,
    school_year=None,
):  # fmt: skip
    """Record a message to a segment and queue its delivery (after commit). The segment:
    a school, a class level, and/or the children enrolled in a service (at one of its
    sites, for a school year), as ``selectors.segment_families`` reads it."""
    if not actor.has_perm(SEND_BROADCAST):
        raise PermissionDenied("Vous n'avez pas le droit d'écrire à plusieurs familles.")
    segment = {
        "school": school,
        "class_level": class_level,
        "service": service,
        "service_site": service_site,
        "school_year": school_year,
    }
    segment_check(**segment)
    subject = clean_subject(subject)
    body = clean_body(body)
    preview = selectors.segment_preview(**segment)
    if not preview["families"]:
        raise ValidationError("Aucune famille ne correspond à ces critères.")
    with transaction.atomic():
        broadcast = Broadcast.objects.create(
            subject=subject,
            body=body,
            families_count=preview["families"],
            created_by=actor,
            **segment,
        )
        transaction.on_commit(lambda: _enqueue_delivery(broadcast.pk))
    return broadcast


def _enqueue_delivery(broadcast_id):
    from .tasks import deliver_broadcast

    deliver_broadcast.enqueue(broadcast_id)


def _batch_checkpoint(broadcast, batch_number):
    """Called after each committed batch (tests interrupt the delivery here)."""


def _read_checkpoint(broadcast):
    """Called between choosing a batch's families and writing it (concurrency tests)."""


def broadcast_deliver(broadcast_id, *, batch_size=None):
    """Deliver a broadcast: one thread (with the message) per family of the segment that
    has none yet, by batches, each in its own transaction under a lock on the broadcast.

    Idempotent and resumable: run twice, or again after a crash, each family ends with
    exactly one thread (the unique (broadcast, family) constraint holds it).
    Returns the number of threads created by this run.
    """
    batch_size = batch_size or settings.MESSAGING_BROADCAST_BATCH
    created = 0
    batch_number = 0
    while True:
        with transaction.atomic():
            broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
            if broadcast is None or broadcast.state == Broadcast.State.DONE:
                return created
            reached = Thread.objects.filter(broadcast=broadcast).values("family_id")
            family_ids = list(
                selectors.segment_families(
                    **broadcast.segment, on=timezone.localdate(broadcast.created_at)
                )
                .exclude(pk__in=reached)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            _read_checkpoint(broadcast)
            if not family_ids:
                broadcast.state = Broadcast.State.DONE
                broadcast.finished_at = timezone.now()
                broadcast.delivered_count = Thread.objects.filter(broadcast=broadcast).count()
                broadcast.save(update_fields=["state", "finished_at", "delivered_count"])
                return created
            created += _deliver_batch(broadcast, family_ids)
            broadcast.state = Broadcast.State.SENDING
            broadcast.delivered_count = Thread.objects.filter(broadcast=broadcast).count()
            broadcast.save(update_fields=["state", "delivered_count"])
        batch_number += 1
        _batch_checkpoint(broadcast, batch_number)


def _deliver_batch(broadcast, family_ids):
    now = timezone.now()
    group = route_for(broadcast.topic)
    threads = [
        Thread(
            family_id=family_id,
            subject=broadcast.subject,
            topic=broadcast.topic,
            group=group,
            broadcast=broadcast,
            created_by=broadcast.created_by,
            created_at=now,
            last_message_at=now,
        )
        for family_id in family_ids
    ]
    try:
        with transaction.atomic():
            Thread.objects.bulk_create(threads)
    except IntegrityError:  # pragma: no cover - the broadcast lock serialises deliveries
        logger.warning("Broadcast %s: a batch met threads already delivered", broadcast.pk)
        raise
    messages = Message.objects.bulk_create(
        Message(
            thread=thread,
            sender=Sender.SERVICE,
            author=broadcast.created_by,
            author_name="Le service",
            body=broadcast.body,
            created_at=now,
        )
        for thread in threads
    )
    notices.families_told_of_broadcast(broadcast, messages)
    return len(threads)


def threads_erase(*, actor, family):
    """RGPD: delete all the family's threads, messages and attachments (files on commit)."""
    names = list(
        Attachment.objects.filter(message__thread__family=family).values_list("file", flat=True)
    )
    count, _ = Thread.objects.filter(family=family).delete()

    def delete_files():
        for name in names:
            storages["private"].delete(name)

    transaction.on_commit(delete_files)
    return count
