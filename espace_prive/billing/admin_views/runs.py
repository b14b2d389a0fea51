"""Monthly billing runs in the admin: list and create (month, régie, services), a run's
page (task progress, anomalies, one draft per family with its differences, compute
again, issue, resume a stopped task)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from espace_prive.catalogue.models import Service

from .. import services, staff_selectors
from ..models import BillingRun, BillingRunState, Regie
from ..permissions import RUN_BILLING, VIEW_INVOICE
from ..services.documents import run_notice_counts
from .base import BillingAdminMixin, error_messages, form_errors_from, get_or_404, paginate


class RunForm(forms.Form):
    regie = forms.ModelChoiceField(label="Régie", queryset=Regie.objects.all())
    month = forms.DateField(
        label="Mois facturé",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    services = forms.ModelMultipleChoiceField(
        label="Services",
        queryset=Service.objects.filter(billing__isnull=False).select_related("billing__regie"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les services facturés par la régie choisie.",
    )


class RunListView(BillingAdminMixin, TemplateView):
    permission = VIEW_INVOICE
    template_name = "billing/admin/runs.html"
    page_title = "Facturations mensuelles"
    nav = "runs"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        page, query = paginate(self.request, staff_selectors.runs_for_staff(), 50)
        context.update({"page": page, "query": query, "form": form or RunForm()})
        return context

    def post(self, request):
        if not request.user.has_perm(RUN_BILLING):
            return permission_denied(request)
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                run = services.run_create(
                    regie=form.cleaned_data["regie"],
                    month=form.cleaned_data["month"],
                    services=form.cleaned_data["services"],
                    actor=request.user,
                    **self.origin(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, f"Facturation {run} créée : calculez son brouillon.")
                return redirect("billing_admin:run", run.public_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RunView(BillingAdminMixin, TemplateView):
    permission = VIEW_INVOICE
    template_name = "billing/admin/run.html"
    nav = "runs"

    def load(self, run_id):
        self.run = get_or_404(
            BillingRun.objects.select_related("regie", "created_by", "issued_by"),
            run_id,
            "Facturation introuvable.",
        )

    def get_page_title(self):
        return f"Facturation {self.run}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("billing_admin:runs"), "label": "Facturations mensuelles"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        page, query = paginate(self.request, staff_selectors.run_drafts(run), 100)
        context.update(
            {
                "run": run,
                "run_services": list(run.services.all()),
                "anomalies": list(run.anomalies.select_related("family", "child", "service")),
                "page": page,
                "query": query,
                "totals": staff_selectors.run_totals(run),
                "is_draft": run.state == BillingRunState.DRAFT,
                "notices": None if run.state == BillingRunState.DRAFT else run_notice_counts(run),
            }
        )
        return context

    def post(self, request, run_id):
        if not request.user.has_perm(RUN_BILLING):
            return permission_denied(request)
        action = request.POST.get("action")
        origin = self.origin()
        try:
            if action == "calculer":
                services.run_draft_enqueue(run=self.run, actor=request.user, **origin)
                messages.success(request, "Le calcul du brouillon est lancé.")
            elif action == "emettre":
                services.run_issue_enqueue(run=self.run, actor=request.user, **origin)
                messages.success(request, "L'émission des factures est lancée.")
            elif action == "reprendre":
                services.run_job_resume(run=self.run, actor=request.user)
                messages.success(request, "La tâche reprend là où elle s'était arrêtée.")
            else:
                messages.error(request, "Action inconnue.")
        except ValidationError as error:
            error_messages(request, error)
        return redirect("billing_admin:run", self.run.public_id)
