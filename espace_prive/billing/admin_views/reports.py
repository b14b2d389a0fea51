"""Reports of the billing in the admin: the journal de caisse (a day's takings per
method, on screen and as CSV), the accounting exports (invoices, payments), the card
payments Stripe reported otherwise than asked, and the billing journal."""

import io

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from .. import exports, staff_selectors
from ..models import Regie
from ..permissions import VIEW_INVOICE, VIEW_JOURNAL, VIEW_PAYMENT
from .base import BillingAdminMixin, paginate


def _csv_response(filename, write, **kwargs):
    buffer = io.StringIO()
    write(buffer, **kwargs)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class JournalForm(forms.Form):
    regie = forms.ModelChoiceField(label="Régie", queryset=Regie.objects.all())
    day = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class CashJournalView(BillingAdminMixin, TemplateView):
    permission = VIEW_PAYMENT
    template_name = "billing/admin/cash_journal.html"
    page_title = "Journal de caisse"
    nav = "journal"

    def get(self, request, *args, **kwargs):
        form = JournalForm(request.GET or None)
        if form.is_valid() and request.GET.get("format") == "csv":
            regie, day = form.cleaned_data["regie"], form.cleaned_data["day"]
            return _csv_response(
                f"journal-de-caisse-{day:%Y-%m-%d}.csv",
                exports.cash_journal_csv,
                regie=regie,
                day=day,
            )
        context = self.get_context_data(form=form, **kwargs)
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if not form.is_bound:
            form = JournalForm(
                initial={"day": timezone.localdate(), "regie": Regie.objects.first()}
            )
        payments, totals = [], {}
        if form.is_bound and form.is_valid():
            payments, totals = staff_selectors.cash_journal(
                regie=form.cleaned_data["regie"], day=form.cleaned_data["day"]
            )
        context.update(
            {
                "form": form,
                "payments": payments,
                "totals": totals,
                "grand_total": sum((amount for _n, amount in totals.values()), 0),
            }
        )
        return context


class ExportForm(forms.Form):
    what = forms.ChoiceField(
        label="Export",
        choices=[("factures", "Factures émises"), ("avoirs", "Avoirs"), ("paiements", "Paiements")],
    )
    regie = forms.ModelChoiceField(label="Régie", queryset=Regie.objects.all(), required=False)
    since = forms.DateField(label="Du", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Au", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("La date de début est après la date de fin.")
        return data


class ExportView(BillingAdminMixin, TemplateView):
    """CSV exports for the accounting (invoices need view_invoice, payments view_payment)."""

    template_name = "billing/admin/exports.html"
    page_title = "Exports comptables"
    nav = "exports"

    def has_permission(self, user):
        return user.has_perm(VIEW_INVOICE) or user.has_perm(VIEW_PAYMENT)

    def get(self, request, *args, **kwargs):
        form = ExportForm(request.GET or None)
        if form.is_valid():
            data = form.cleaned_data
            needed, write = {
                "factures": (VIEW_INVOICE, exports.invoices_csv),
                "avoirs": (VIEW_INVOICE, exports.credit_notes_csv),
                "paiements": (VIEW_PAYMENT, exports.payments_csv),
            }[data["what"]]
            if not request.user.has_perm(needed):
                form.add_error("what", "Vous n'avez pas accès à cet export.")
            else:
                return _csv_response(
                    f"{data['what']}-{data['since']:%Y%m%d}-{data['until']:%Y%m%d}.csv",
                    write,
                    since=data["since"],
                    until=data["until"],
                    regie=data["regie"],
                )
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context, status=400 if form.is_bound else 200)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form
        return context


class ReviewView(BillingAdminMixin, TemplateView):
    permission = VIEW_PAYMENT
    template_name = "billing/admin/review.html"
    page_title = "Paiements par carte à vérifier"
    nav = "review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "checkouts": list(staff_selectors.checkouts_to_review()[:200]),
                "events": list(staff_selectors.stripe_events_to_review()[:200]),
            }
        )
        return context


class AuditView(BillingAdminMixin, TemplateView):
    permission = VIEW_JOURNAL
    template_name = "billing/admin/audit.html"
    page_title = "Journal de la facturation"
    nav = "audit"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, query = paginate(self.request, staff_selectors.journal_entries(), 100)
        context.update({"page": page, "query": query})
        return context
