"""Attestations fiscales in the admin: those issued (by régie and year) with their PDF,
and the issue of a whole year for a régie as one background task."""

from django import forms
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import private_file_download

from ..models import Regie, TaxCertificate
from ..permissions import RUN_BILLING, VIEW_INVOICE
from ..services.tax import outdated_certificates
from .base import BillingAdminMixin, get_or_404, paginate


def _last_year():
    return timezone.localdate().year - 1


class TaxYearForm(forms.Form):
    regie = forms.ModelChoiceField(label="Régie", queryset=Regie.objects.all(), required=False)
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2100, required=False)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and year > _last_year():
            raise forms.ValidationError(
                f"L'année {year} n'est pas terminée : attestations à partir du 1er janvier "
                f"{year + 1}."
            )
        return year


class TaxCertificatesView(BillingAdminMixin, TemplateView):
    permission = VIEW_INVOICE
    template_name = "billing/admin/tax_certificates.html"
    page_title = "Attestations fiscales"
    nav = "tax"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = TaxYearForm(self.request.GET or None)
        data = filters.cleaned_data if filters.is_valid() else {}
        queryset = TaxCertificate.objects.select_related("regie", "family")
        if data.get("regie"):
            queryset = queryset.filter(regie=data["regie"])
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        page, query = paginate(self.request, queryset, 100)
        context.update(
            {
                "filters": filters,
                "form": form or TaxYearForm(prefix="emission", initial={"year": _last_year()}),
                "page": page,
                "query": query,
                # Amounts changed since issue (a payment reversed, recorded late).
                "outdated": outdated_certificates(page.object_list),
            }
        )
        return context

    def post(self, request):
        if not request.user.has_perm(RUN_BILLING):
            return permission_denied(request)
        form = TaxYearForm(request.POST, prefix="emission")
        if form.is_valid() and form.cleaned_data["regie"] and form.cleaned_data["year"]:
            from .. import tasks

            regie, year = form.cleaned_data["regie"], form.cleaned_data["year"]
            actor_id = request.user.pk
            transaction.on_commit(
                lambda: tasks.issue_tax_certificates.enqueue(regie.pk, year, actor_id)
            )
            messages.success(
                request, f"L'émission des attestations fiscales {year} de {regie} est lancée."
            )
            return redirect(f"{request.path}?regie={regie.pk}&year={year}")
        if form.is_valid():
            form.add_error(None, "Choisissez la régie et l'année.")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TaxCertificatePdfView(AdminPermissionMixin, View):
    permission = VIEW_INVOICE

    def load(self, certificate_id):
        self.certificate = get_or_404(
            TaxCertificate.objects.all(), certificate_id, "Attestation introuvable."
        )

    def get(self, request, certificate_id):
        certificate = self.certificate
        return private_file_download(
            certificate.pdf.name, "attestation fiscale", certificate.year, certificate.payer_name
        )
