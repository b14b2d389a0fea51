"""Invoices in the admin: the list (by run, state, family, unpaid) and an invoice's page
(lines, differences from the previous draft, credit notes, payments received, what
remains due) where staff issue a credit note (avoir) with its reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from .. import services, staff_selectors
from ..models import BillingRun, InvoiceState
from ..permissions import RUN_BILLING, VIEW_INVOICE
from .base import BillingAdminMixin, form_errors_from, get_or_404, paginate


class InvoiceFilterForm(forms.Form):
    run = forms.ModelChoiceField(
        label="Facturation",
        queryset=BillingRun.objects.select_related("regie"),
        required=False,
        to_field_name="public_id",
    )
    state = forms.ChoiceField(
        label="État", choices=[("", "Tous"), *InvoiceState.choices], required=False
    )
    family = forms.CharField(label="Famille, payeur ou numéro", required=False, max_length=100)
    unpaid = forms.BooleanField(label="Impayées seulement", required=False)


class InvoiceListView(BillingAdminMixin, TemplateView):
    permission = VIEW_INVOICE
    template_name = "billing/admin/invoices.html"
    page_title = "Factures"
    nav = "invoices"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = InvoiceFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        queryset = staff_selectors.invoices_for_staff(
            run=filters.get("run"),
            state=filters.get("state", ""),
            family=(filters.get("family") or "").strip(),
            unpaid=filters.get("unpaid", False),
        )
        page, query = paginate(self.request, queryset, 50)
        context.update({"form": form, "page": page, "query": query})
        return context


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(
        label="Montant de l'avoir (€)", max_digits=10, decimal_places=2, min_value=0
    )
    reason = forms.CharField(
        label="Motif",
        max_length=255,
        help_text="Il figure sur l'avoir : par exemple « Absence justifiée le 08/12 ».",
    )


class InvoiceView(BillingAdminMixin, TemplateView):
    permission = VIEW_INVOICE
    template_name = "billing/admin/invoice.html"
    nav = "invoices"

    def load(self, invoice_id):
        self.invoice = get_or_404(
            staff_selectors.invoice_for_staff, invoice_id, "Facture introuvable."
        )

    def get_page_title(self):
        return f"Facture {self.invoice.display_number}"

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items]
        if self.invoice.run_id:
            items.append(
                {
                    "url": reverse("billing_admin:run", args=[self.invoice.run.public_id]),
                    "label": f"Facturation {self.invoice.run}",
                }
            )
        else:
            items.append({"url": reverse("billing_admin:invoices"), "label": "Factures"})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, credit_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.invoice
        changed_days = {(c["child_id"], c["day"]) for c in invoice.changes if c["after"]}
        lines = [
            (line, (line.child_id, line.day.isoformat()) in changed_days)
            for line in invoice.lines.all()
        ]
        context.update(
            {
                "invoice": invoice,
                "lines": lines,
                "removed": [c for c in invoice.changes if c["after"] is None],
                "credit_form": credit_form or CreditNoteForm(),
                "can_credit": invoice.is_issued
                and self.request.user.has_perm(RUN_BILLING)
                and invoice.total - invoice.credited > 0,
            }
        )
        return context

    def post(self, request, invoice_id):
        if not request.user.has_perm(RUN_BILLING):
            return permission_denied(request)
        form = CreditNoteForm(request.POST)
        if form.is_valid():
            try:
                note = services.credit_note_issue(
                    invoice=self.invoice,
                    amount=form.cleaned_data["amount"],
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    **self.origin(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, f"Avoir {note.number} émis.")
                return redirect("billing_admin:invoice", self.invoice.public_id)
        return self.render_to_response(self.get_context_data(credit_form=form), status=400)
