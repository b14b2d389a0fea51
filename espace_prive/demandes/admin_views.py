"""Staff side of requests, in the Wagtail admin: the queue, one request, the decision."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.accounts.permissions import REVIEW_REGISTRATIONS
from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.bookings.permissions import VIEW_ENROLMENT
from espace_prive.downloads import private_file_download
from espace_prive.families import sections as family_sections
from espace_prive.families.models import HealthAccessLog
from espace_prive.families.permissions import VIEW_HEALTH_RECORD
from espace_prive.families.services import health_access_log

from . import selectors, services
from .models import ChangeRequest, RequestState
from .permissions import DECIDE_REQUESTS, VIEW_REQUESTS


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *RequestState.choices],
        initial=RequestState.PENDING,
    )
    section = forms.ChoiceField(label="Type", required=False)
    age = forms.ChoiceField(
        label="Ancienneté",
        required=False,
        choices=[("", "Toutes")]
        + [(key, label) for key, (label, *_rest) in selectors.AGE_FILTERS.items()],
    )
    family = forms.CharField(
        label="Famille",
        required=False,
        max_length=100,
        help_text="Référence du dossier ou nom d'un responsable.",
    )

    def __init__(self, *args, requests=True, registrations=False, enrolments=False, **kwargs):
        """The types offered are those the staff member may see."""
        super().__init__(*args, **kwargs)
        choices = [("", "Tous les types")]
        if registrations:
            choices.append((selectors.REGISTRATION, selectors.REGISTRATION_LABEL))
        if enrolments:
            choices.append((selectors.ENROLMENT, selectors.ENROLMENT_LABEL))
        if requests:
            choices.extend(family_sections.SECTION_CHOICES)
        self.fields["section"].choices = choices


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il est envoyé à la famille et affiché dans sa liste des demandes.",
        max_length=2000,
    )


class AcceptForm(forms.Form):
    """Accepting a new quotient familial also sets its validity (staff only)."""

    qf_valid_from = forms.DateField(
        label="Quotient familial valable du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    qf_valid_to = forms.DateField(
        label="au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    end_mandate = forms.BooleanField(
        label="Je confirme que le mandat SEPA prend fin",
        required=False,
        error_messages={
            "required": "Cochez cette case pour confirmer la fin du mandat SEPA, ou refusez "
            "la demande."
        },
    )

    def __init__(self, *args, change_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.sets_qf = (
            change_request.section == "family_caf" and "quotient_familial" in change_request.changes
        )
        if not self.sets_qf:
            del self.fields["qf_valid_from"], self.fields["qf_valid_to"]
        else:
            start, end = services.default_qf_validity()
            self.fields["qf_valid_from"].initial = start
            self.fields["qf_valid_from"].required = True
            self.fields["qf_valid_to"].initial = end
        if change_request.ends_sepa_mandate:
            family = change_request.family
            field = self.fields["end_mandate"]
            field.required = True
            field.help_text = (
                f"Le mandat {family.sepa_mandate_reference}, signé le "
                f"{family.sepa_mandate_signed_on:%d/%m/%Y}, est clos en appliquant la demande : "
                "plus aucun prélèvement jusqu'à la signature d'un nouveau mandat."
            )
        else:
            del self.fields["end_mandate"]


def can_view_queue(user):
    """The queue opens to staff who may see requests, review pré-inscriptions or see
    enrolments (listed in the queue, decided on their own pages in espace_prive.accounts
    and espace_prive.bookings)."""
    return (
        user.has_perm(VIEW_REQUESTS)
        or user.has_perm(REVIEW_REGISTRATIONS)
        or user.has_perm(VIEW_ENROLMENT)
    )


class StaffQueueView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "demandes/admin/index.html"
    page_title = "Demandes des familles"
    header_icon = "tasks"
    paginate_by = 50

    def has_permission(self, user):
        return can_view_queue(user)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = None
        if self.request.GET:
            data = self.request.GET.copy()
            data.setdefault("state", RequestState.PENDING)  # e.g. ?p=2 alone
        user = self.request.user
        visible = {
            "requests": user.has_perm(VIEW_REQUESTS),
            "registrations": user.has_perm(REVIEW_REGISTRATIONS),
            "enrolments": user.has_perm(VIEW_ENROLMENT),
        }
        form = QueueFilterForm(data, initial={"state": RequestState.PENDING}, **visible)
        filters = {"state": RequestState.PENDING, "section": "", "age": "", "family": ""}
        if form.is_valid():
            filters = {key: form.cleaned_data[key] for key in filters}
        page = Paginator(
            selectors.staff_queue_entries(**visible, **filters), self.paginate_by
        ).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            {
                "filter_form": form,
                "page": page,
                "requests": selectors.staff_queue_rows(page.object_list),
                "query": query.urlencode(),
                "now": timezone.now(),
            }
        )
        return context


def _current_rows(change_request):
    """Each changed field's value now, and whether it moved since the family asked."""
    if change_request.operation == family_sections.Operation.CREATE:
        return {}
    section = change_request.section_def
    target = family_sections.resolve_target(
        section,
        change_request.operation,
        family=change_request.family,
        guardian=change_request.guardian,
        child=change_request.child,
        pickup_person=change_request.pickup_person,
    )
    if target is None:
        return {}
    rows = {}
    for name, change in change_request.changes.items():
        now = family_sections.current_json(target, name)
        rows[name] = {
            "display": family_sections.display_json(section.field(name), now),
            "changed": now != change["old"],
        }
    return rows


class StaffRequestView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_REQUESTS
    template_name = "demandes/admin/detail.html"
    header_icon = "tasks"

    def load(self, request_id):
        self.change_request = _get_request(request_id)

    def get_page_title(self):
        return f"Demande : {self.change_request.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("demandes_admin:index"), "label": "Demandes des familles"},
            {"url": "", "label": self.change_request.title},
        ]

    def get_context_data(self, accept_form=None, refuse_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        change_request = self.change_request
        user = self.request.user
        can_see = not change_request.is_health or user.has_perm(VIEW_HEALTH_RECORD)
        if change_request.is_health and can_see and change_request.child_id:
            health_access_log(
                actor=user, child=change_request.child, context=HealthAccessLog.Context.REQUEST
            )
        can_decide = change_request.is_pending and can_see and user.has_perm(DECIDE_REQUESTS)
        current = _current_rows(change_request) if can_see and change_request.is_pending else {}
        rows = []
        for row in change_request.rows() if can_see else []:
            row["current"] = current.get(row["name"])
            rows.append(row)
        context.update(
            {
                "change_request": change_request,
                "can_see": can_see,
                "can_decide": can_decide,
                "rows": rows,
                "has_conflict": any(r["current"] and r["current"]["changed"] for r in rows),
                "accept_form": accept_form or AcceptForm(change_request=change_request),
                "refuse_form": refuse_form or RefuseForm(),
                "file_url_prefix": reverse("demandes_admin:detail", args=[change_request.public_id])
                + "fichier/",
            }
        )
        return context

    def post(self, request, request_id):
        """Accept (``action=accepter``) or refuse (``action=refuser``), then back to the queue."""
        if not request.user.has_perm(DECIDE_REQUESTS):
            return permission_denied(request)
        change_request = self.change_request
        action = request.POST.get("action")
        try:
            if action == "accepter":
                form = AcceptForm(request.POST, change_request=change_request)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(accept_form=form), status=400
                    )
                decided = services.request_accept(
                    actor=request.user,
                    change_request=change_request,
                    qf_valid_from=form.cleaned_data.get("qf_valid_from"),
                    qf_valid_to=form.cleaned_data.get("qf_valid_to"),
                    end_mandate=form.cleaned_data.get("end_mandate", False),
                )
            elif action == "refuser":
                form = RefuseForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(refuse_form=form), status=400
                    )
                decided = services.request_refuse(
                    actor=request.user,
                    change_request=change_request,
                    reason=form.cleaned_data["reason"],
                )
            else:
                messages.error(request, "Choisissez d'accepter ou de refuser la demande.")
                return redirect("demandes_admin:detail", change_request.public_id)
        except (services.RequestAlreadyDecided, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("demandes_admin:detail", change_request.public_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("demandes_admin:detail", change_request.public_id)
        label = f"« {decided.title} » ({decided.subject}, {decided.family.reference})"
        if decided.state == RequestState.ACCEPTED:
            ended = (
                f" Le mandat SEPA {decided.ended_mandate_reference} est clos."
                if decided.ended_mandate_reference
                else ""
            )
            messages.success(request, f"Demande {label} acceptée et appliquée.{ended}")
        elif decided.state == RequestState.CONFLICT:
            messages.warning(request, f"Demande {label} non appliquée (conflit). {decided.reason}")
        else:
            messages.success(request, f"Demande {label} refusée ; la famille est prévenue.")
        return redirect("demandes_admin:index")


def _get_request(public_id):
    try:
        return ChangeRequest.objects.select_related(*selectors.RELATED).get(public_id=public_id)
    except (ChangeRequest.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Demande introuvable.") from error


class StaffRequestFileView(AdminPermissionMixin, View):
    permission = VIEW_REQUESTS

    def get(self, request, request_id, field):
        change_request = _get_request(request_id)
        if field not in change_request.section_def.file_fields:
            raise Http404("Fichier introuvable.")
        if change_request.is_health:
            if not request.user.has_perm(VIEW_HEALTH_RECORD):
                return permission_denied(request)
            health_access_log(
                actor=request.user,
                child=change_request.child,
                context=HealthAccessLog.Context.DOCUMENT,
            )
        name, words = change_request.new_file(field)
        return private_file_download(name, *words)
