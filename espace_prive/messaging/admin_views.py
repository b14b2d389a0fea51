"""Staff side of the messaging, in the Wagtail admin: the inbox, a thread (reply from a
template, assign, close), attachments, and messages to many families.

The permission is checked first; a thread routed to another service is a 404.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.bookings.models import SchoolYear
from espace_prive.catalogue.models import SCHOOL_KINDS, Service, Site
from espace_prive.downloads import private_file_download
from espace_prive.families.models import Child

from . import selectors, services
from .forms import MessageForm
from .models import Topic
from .permissions import REPLY_THREAD, SEND_BROADCAST, VIEW_THREAD


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Afficher", required=False, choices=selectors.InboxFilter.CHOICES
    )
    topic = forms.ChoiceField(label="Sujet", required=False, choices=[("", "Tous"), *Topic.choices])
    q = forms.CharField(label="Recherche", required=False, max_length=100,
                        help_text="Objet ou référence du dossier.")  # fmt: skip


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label="Suivie par", queryset=get_user_model().objects.none(), required=False,
        empty_label="Personne",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_staff(get_user_model())
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.email


class InboxView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_THREAD
    template_name = "messaging/admin/inbox.html"
    page_title = "Messages des familles"
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = InboxFilterForm(self.request.GET or None)
        filters = {"show": "", "topic": "", "query": ""}
        if form.is_valid():
            data = form.cleaned_data
            filters = {"show": data["show"], "topic": data["topic"],
                       "query": data["q"].replace("\x00", "").strip()}  # fmt: skip
        threads = selectors.staff_inbox(self.request.user, **filters)
        page = Paginator(threads, 50).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            {
                "filter_form": form,
                "page": page,
                "threads": page.object_list,
                "query": query.urlencode(),
                "can_broadcast": self.request.user.has_perm(SEND_BROADCAST),
            }
        )
        return context


class ThreadView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_THREAD
    template_name = "messaging/admin/thread.html"
    header_icon = "mail"

    def load(self, **kwargs):
        self.thread = selectors.get_thread_for_staff(self.request.user, kwargs["thread_id"])

    def get_page_title(self):
        return f"{self.thread.subject} — {self.thread.family.reference}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("messaging_admin:index"), "label": "Messages des familles"},
            {"url": "", "label": self.thread.subject},
        ]

    def get_context_data(self, reply_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        templates = list(selectors.reply_templates())
        chosen = self.request.GET.get("modele")
        initial = next((t.body for t in templates if str(t.pk) == chosen), "")
        context.update(
            {
                "thread": self.thread,
                "thread_messages": list(selectors.messages_of_thread(self.thread)),
                "can_reply": self.request.user.has_perm(REPLY_THREAD),
                "reply_form": reply_form or MessageForm(initial={"body": initial}),
                "assign_form": AssignForm(initial={"assignee": self.thread.assigned_to_id}),
                "reply_templates": templates,
            }
        )
        return context

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.thread_mark_read(actor=request.user, thread=self.thread)
        return response

    def post(self, request, thread_id):
        if not request.user.has_perm(REPLY_THREAD):
            return permission_denied(request)
        action = request.POST.get("action")
        thread = self.thread
        try:
            if action == "repondre":
                form = MessageForm(request.POST, request.FILES)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(reply_form=form), status=400
                    )
                services.message_post(
                    actor=request.user, thread=thread, body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                )  # fmt: skip
                messages.success(request, "Réponse envoyée ; la famille est prévenue par e-mail.")
            elif action == "attribuer":
                form = AssignForm(request.POST)
                if not form.is_valid():
                    messages.error(request, "Choisissez un agent de la liste.")
                    return redirect("messaging_admin:thread", thread.public_id)
                services.thread_assign(
                    actor=request.user, thread=thread, assignee=form.cleaned_data["assignee"]
                )
                messages.success(request, "Conversation attribuée.")
            elif action == "clore":
                services.thread_close(actor=request.user, thread=thread)
                messages.success(request, "Conversation close.")
            elif action == "rouvrir":
                services.thread_reopen(actor=request.user, thread=thread)
                messages.success(request, "Conversation rouverte.")
            else:
                messages.error(request, "Action inconnue.")
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            if action == "repondre":
                form = MessageForm(request.POST)
                form.is_valid()
                for name, errors in getattr(error, "error_dict", {None: error.messages}).items():
                    form.add_error(name if name in form.fields else None, errors)
                return self.render_to_response(self.get_context_data(reply_form=form), status=400)
            messages.error(request, " ".join(error.messages))
        return redirect("messaging_admin:thread", thread.public_id)


class AttachmentView(AdminPermissionMixin, View):
    permission = VIEW_THREAD

    def load(self, **kwargs):
        self.attachment = selectors.get_attachment_for_staff(
            self.request.user, kwargs["attachment_id"]
        )

    def get(self, request, attachment_id):
        return private_file_download(self.attachment.file.name, *self.attachment.download_words())


class BroadcastForm(forms.Form):
    school = forms.ModelChoiceField(
        label="École", required=False, queryset=Site.objects.none(), empty_label="Toutes"
    )
    class_level = forms.ChoiceField(
        label="Classe", required=False,
        choices=[("", "Toutes"), *[c for c in Child.ClassLevel.choices if c[0]]],
    )  # fmt: skip
    service = forms.ModelChoiceField(
        label="Inscrits au service", required=False, queryset=Service.objects.none(),
        empty_label="Tous, inscrits ou non",
        help_text="Les familles dont un enfant a une inscription acceptée à ce service.",
    )  # fmt: skip
    service_site = forms.ModelChoiceField(
        label="Lieu d'accueil du service", required=False, queryset=Site.objects.none(),
        empty_label="Tous",
    )  # fmt: skip
    school_year = forms.ModelChoiceField(
        label="Année scolaire de l'inscription", required=False,
        queryset=SchoolYear.objects.none(), empty_label="En cours ou à venir",
    )  # fmt: skip
    subject = forms.CharField(label="Objet", max_length=200)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 8}),
                           max_length=10_000)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Site.objects.filter(kind__in=SCHOOL_KINDS, is_active=True)
        self.fields["service"].queryset = Service.objects.filter(is_active=True)
        self.fields["service_site"].queryset = Site.objects.filter(is_active=True)
        self.fields["school_year"].queryset = SchoolYear.objects.select_related("commune")


class BroadcastView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Write to a segment: « Prévisualiser » counts families and guardians, « Envoyer »
    queues the delivery (one thread per family)."""

    permission = SEND_BROADCAST
    template_name = "messaging/admin/broadcast.html"
    page_title = "Écrire à plusieurs familles"
    header_icon = "mail"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("messaging_admin:index"), "label": "Messages des familles"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, form=None, preview=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "form": form or BroadcastForm(),
                "preview": preview,
                "broadcasts": selectors.broadcasts()[:20],
            }
        )
        return context

    def post(self, request):
        form = BroadcastForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        segment = {
            name: data[name]
            for name in ("school", "class_level", "service", "service_site", "school_year")
        }
        try:
            if request.POST.get("action") != "envoyer":
                services.segment_check(**segment)
                preview = selectors.segment_preview(**segment)
                return self.render_to_response(self.get_context_data(form=form, preview=preview))
            broadcast = services.broadcast_create(
                actor=request.user, subject=data["subject"], body=data["body"], **segment
            )
        except ValidationError as error:
            for name, errors in getattr(error, "error_dict", {None: error.messages}).items():
                form.add_error(name if name in form.fields else None, errors)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            request,
            f"Message « {broadcast.subject} » en cours d'envoi à {broadcast.families_count} "
            f"famille{'s' if broadcast.families_count > 1 else ''}.",
        )
        return redirect("messaging_admin:broadcast")
