"""Reads of the messaging. A family reaches only its threads; staff see the threads
routed to their groups (all of them with ``messaging.view_all_threads``).

Read state is per reader: a message is unread for a user when it comes from the other
side and is newer than that user's ``ThreadRead`` of the thread. Counts are subqueries,
so lists cost the same number of queries for 1 or 30 threads.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from espace_prive.families.models import Family, Guardian

from .models import Attachment, Broadcast, Message, ReplyTemplate, Sender, Thread, ThreadRead
from .permissions import VIEW_ALL_THREADS, VIEW_THREAD


def _unread_messages(user, sender):
    """Messages from ``sender`` that ``user`` has not read (correlated on the thread)."""
    read = ThreadRead.objects.filter(
        thread=OuterRef("thread"), user=user, read_at__gte=OuterRef("created_at")
    )
    return Message.objects.filter(sender=sender).exclude(author=user).filter(~Exists(read))


def _with_unread(queryset, user, sender):
    counts = (
        _unread_messages(user, sender)
        .filter(thread=OuterRef("pk"))
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        unread_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    )


def _with_last_message(queryset):
    last = Message.objects.filter(thread=OuterRef("pk")).order_by("-created_at", "-id")
    return queryset.annotate(
        last_sender=Subquery(last.values("sender")[:1]),
        message_count=Coalesce(
            Subquery(
                Message.objects.filter(thread=OuterRef("pk"))
                .order_by()
                .values("thread")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


# --- Family side ------------------------------------------------------------------------


def threads_for_family(family, user):
    """The family's threads, newest activity first, each with ``unread_count`` for
    ``user`` (one query)."""
    queryset = Thread.objects.filter(family=family).select_related("assigned_to")
    return _with_last_message(_with_unread(queryset, user, Sender.SERVICE)).order_by(
        "-last_message_at", "-id"
    )


def unread_count_for_family(family, user):
    """Messages from the service ``user`` (a guardian) has not read yet (one query)."""
    return _unread_messages(user, Sender.SERVICE).filter(thread__family=family).count()


def get_thread_for_family(family, public_id):
    """The family's own thread, or 404 — never another family's."""
    try:
        return Thread.objects.filter(family=family).get(public_id=public_id)
    except (Thread.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Conversation introuvable.") from error


def messages_of_thread(thread):
    """The thread's messages, oldest first, with their attachments (two queries)."""
    return (
        Message.objects.filter(thread=thread)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("created_at", "id")
    )


def get_attachment_for_family(family, public_id):
    try:
        return Attachment.objects.select_related("message__thread").get(
            public_id=public_id, message__thread__family=family
        )
    except (Attachment.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Pièce jointe introuvable.") from error


# --- Staff side -------------------------------------------------------------------------


def visible_threads(user):
    """Threads ``user`` may read: none without the view permission; those routed to the
    user's groups (or to no group); every thread with ``view_all_threads``."""
    if not user.has_perm(VIEW_THREAD):
        return Thread.objects.none()
    queryset = Thread.objects.all()
    if not user.has_perm(VIEW_ALL_THREADS):
        queryset = queryset.filter(Q(group__isnull=True) | Q(group__in=user.groups.all()))
    return queryset


class InboxFilter:
    ALL = ""
    UNREAD = "non-lus"
    MINE = "suivis"
    UNASSIGNED = "non-attribues"
    CLOSED = "clos"

    CHOICES = [
        (ALL, "Ouvertes"),
        (UNREAD, "Non lues"),
        (MINE, "Suivies par moi"),
        (UNASSIGNED, "Non attribuées"),
        (CLOSED, "Closes"),
    ]


def staff_inbox(user, *, show=InboxFilter.ALL, topic="", query=""):
    """The staff inbox: threads with ``unread_count`` (family messages ``user`` has not
    read), filtered; one query."""
    queryset = _with_last_message(
        _with_unread(visible_threads(user), user, Sender.FAMILY)
    ).select_related("family", "assigned_to", "group")
    if show == InboxFilter.CLOSED:
        queryset = queryset.filter(state=Thread.State.CLOSED)
    else:
        queryset = queryset.filter(state=Thread.State.OPEN)
    if show == InboxFilter.UNREAD:
        queryset = queryset.filter(unread_count__gt=0)
    elif show == InboxFilter.MINE:
        queryset = queryset.filter(assigned_to=user)
    elif show == InboxFilter.UNASSIGNED:
        queryset = queryset.filter(assigned_to__isnull=True)
    if topic:
        queryset = queryset.filter(topic=topic)
    if query:
        queryset = queryset.filter(
            Q(subject__icontains=query) | Q(family__reference__icontains=query)
        )
    return queryset.order_by("-last_message_at", "-id")


def staff_unread_thread_count(user):
    return staff_inbox(user, show=InboxFilter.UNREAD).count()


def get_thread_for_staff(user, public_id):
    """A thread ``user`` may read, or 404 (another service's thread does not exist)."""
    try:
        return (
            visible_threads(user)
            .select_related("family", "assigned_to", "group")
            .get(public_id=public_id)
        )
    except (Thread.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Conversation introuvable.") from error


def get_attachment_for_staff(user, public_id):
    try:
        return Attachment.objects.select_related("message__thread").get(
            public_id=public_id, message__thread__in=visible_threads(user)
        )
    except (Attachment.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Pièce jointe introuvable.") from error


def reply_templates():
    return ReplyTemplate.objects.filter(is_active=True).order_by("title")


def assignable_staff(user_model):
    """Agents a thread may be given to: active staff holding the reply permission."""
    return (
        user_model.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="reply_thread")
            | Q(groups__permissions__codename="reply_thread")
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


# --- Broadcasts -------------------------------------------------------------------------


def _enrolled_state():
    """The accepted state of an enrolment, read from the model (the bookings domain
    imports the messaging's, so not the other way round)."""
    return apps.get_model("bookings", "Enrolment").State.ACCEPTED


def segment_families(
    *, school=None, class_level="", service=None, service_site=None, school_year=None, on=None
):
    """Families (not anonymised) having a child who matches every criterion given: at
    ``school``, in ``class_level``, with an accepted enrolment in ``service`` (at
    ``service_site``, for ``school_year``; without a year, one not over on ``on``);
    every family when no criterion is given. One query, whatever the segment's size."""
    families = Family.objects.filter(anonymised_at__isnull=True)
    children = Q()
    if school is not None:
        children &= Q(children__school=school)
    if class_level:
        children &= Q(children__class_level=class_level)
    if service is not None:
        # One filter() on the same relation: the same child and the same enrolment.
        children &= Q(
            children__enrolments__service=service,
            children__enrolments__state=_enrolled_state(),
        )
        if service_site is not None:
            children &= Q(children__enrolments__site=service_site)
        if school_year is not None:
            children &= Q(children__enrolments__school_year=school_year)
        else:
            day = on or timezone.localdate()
            children &= Q(children__enrolments__school_year__ends_on__gte=day)
    if children:
        families = families.filter(pk__in=Family.objects.filter(children).values("pk"))
    return families


def segment_preview(**segment):
    """How many families and guardians a broadcast to this segment reaches (two queries)."""
    families = segment_families(**segment)
    return {
        "families": families.count(),
        "guardians": Guardian.objects.filter(family__in=families).count(),
    }


def broadcasts():
    return Broadcast.objects.select_related(
        "school", "service", "service_site", "school_year", "created_by"
    ).order_by("-created_at")
