"""Staff side of the documents, in the Wagtail admin: the review queue, one document
(accept or refuse), its file, and a family's documents.

The permission is checked first, then the objects are looked up; documents of a health
type need ``families.view_health_record`` too (and each look is logged).
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import private_file_download
from espace_prive.families import selectors as family_selectors
from espace_prive.families.models import HealthAccessLog
from espace_prive.families.services import health_access_log

from . import selectors, services
from .models import DocumentType, ReviewState
from .permissions import REVIEW_DOCUMENT, VIEW_DOCUMENT, VIEW_HEALTH


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états"), *ReviewState.choices],
        initial=ReviewState.PENDING,
    )
    document_type = forms.ModelChoiceField(
        label="Type", required=False, queryset=DocumentType.objects.all(), empty_label="Tous"
    )
    expiring = forms.BooleanField(label="Expirés ou expirant bientôt", required=False)


class AcceptForm(forms.Form):
    expires_on = forms.DateField(
        label="Valable jusqu'au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Corrigez la date si le document en porte une autre.",
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Il est envoyé à la famille.",
    )


class ReviewQueueView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_DOCUMENT
    template_name = "documents/admin/queue.html"
    page_title = "Documents des familles"
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy() if self.request.GET else None
        if data is not None:
            data.setdefault("state", ReviewState.PENDING)
        form = QueueFilterForm(data, initial={"state": ReviewState.PENDING})
        filters = {"state": ReviewState.PENDING, "document_type": None, "expiring": False}
        if form.is_valid():
            filters = {key: form.cleaned_data[key] for key in filters}
        queue = selectors.review_queue(
            **filters, include_health=self.request.user.has_perm(VIEW_HEALTH)
        )
        page = Paginator(queue, 50).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            {
                "filter_form": form,
                "page": page,
                "documents": page.object_list,
                "query": query.urlencode(),
                "today": timezone.localdate(),
            }
        )
        return context


class DocumentMixin(AdminPermissionMixin):
    permission = VIEW_DOCUMENT

    def load(self, **kwargs):
        self.document = selectors.get_document(kwargs["family_document_id"])
        if not services.staff_may_read(self.request.user, self.document):
            raise PermissionDenied("Ce document est une donnée de santé.")

    def log_health_access(self):
        if self.document.document_type.is_health and self.document.child_id:
            health_access_log(
                actor=self.request.user,
                child=self.document.child,
                context=HealthAccessLog.Context.DOCUMENT,
            )


class DocumentView(DocumentMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "documents/admin/detail.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return f"{self.document.document_type} — {self.document.family.reference}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("documents_admin:index"), "label": "Documents des familles"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, accept_form=None, refuse_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.document
        is_current = not hasattr(document, "superseded_by")
        context.update(
            {
                "document": document,
                "is_current": is_current,
                "history": selectors.document_history(document),
                "can_review": document.is_pending
                and is_current
                and self.request.user.has_perm(REVIEW_DOCUMENT),
                "accept_form": accept_form
                or AcceptForm(initial={"expires_on": document.expires_on}),
                "refuse_form": refuse_form or RefuseForm(),
                "today": timezone.localdate(),
            }
        )
        return context

    def post(self, request, family_document_id):
        if not request.user.has_perm(REVIEW_DOCUMENT):
            return permission_denied(request)
        action = request.POST.get("action")
        label = f"« {self.document.document_type} » de {self.document.family.reference}"
        try:
            if action == "accepter":
                form = AcceptForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(accept_form=form), status=400
                    )
                services.document_accept(
                    actor=request.user,
                    document=self.document,
                    expires_on=form.cleaned_data["expires_on"],
                )
                messages.success(request, f"Document {label} accepté ; la famille est prévenue.")
            elif action == "refuser":
                form = RefuseForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(refuse_form=form), status=400
                    )
                services.document_refuse(
                    actor=request.user, document=self.document, reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"Document {label} refusé ; la famille est prévenue.")
            else:
                messages.error(request, "Choisissez d'accepter ou de refuser le document.")
                return redirect("documents_admin:detail", self.document.public_id)
        except (services.DocumentAlreadyReviewed, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("documents_admin:detail", self.document.public_id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("documents_admin:detail", self.document.public_id)
        return redirect("documents_admin:index")


class DocumentFileView(DocumentMixin, View):
    def get(self, request, family_document_id):
        self.log_health_access()
        return private_file_download(self.document.file.name, *self.document.download_words())


class FamilyDocumentsView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_DOCUMENT
    template_name = "documents/admin/family.html"
    header_icon = "doc-full"

    def load(self, **kwargs):
        self.family = family_selectors.get_family(kwargs["family_id"])

    def get_page_title(self):
        return f"Documents de la famille {self.family.reference}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("documents_admin:index"), "label": "Documents des familles"},
            {"url": "", "label": self.family.reference},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "family": self.family,
                "documents": selectors.documents_of_family_for_staff(
                    self.family, include_health=self.request.user.has_perm(VIEW_HEALTH)
                ),
                "today": timezone.localdate(),
            }
        )
        return context
