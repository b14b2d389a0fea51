"""SEPA direct debit in the admin (« Prélèvements SEPA »): the batches, preparing one
(régie, collection date, the issued invoices still due of families with a signed
mandate), a batch's page (download its pain.008 file, mark it settled, give up a
draft), recording a debit the bank rejected (R-transaction with its reason code)."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from espace_prive.downloads import content_download

from .. import sepa_selectors, services
from ..models import (
    Debit,
    DebitBatch,
    DebitBatchState,
    DebitState,
    Invoice,
    InvoiceState,
    Regie,
    RejectReason,
)
from ..permissions import RECORD_PAYMENT, VIEW_PAYMENT
from .base import BillingAdminMixin, error_messages, form_errors_from, get_or_404, paginate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BatchForm(forms.Form):
    regie = forms.ModelChoiceField(
        label="Régie", queryset=Regie.objects.exclude(sepa_creditor_id="")
    )
    collection_date = forms.DateField(label="Date de prélèvement", widget=DATE_WIDGET)
    invoices = forms.ModelMultipleChoiceField(
        label="Factures à prélever",
        queryset=Invoice.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text="Factures émises restant dues, des familles ayant signé un mandat SEPA.",
        error_messages={"invalid_choice": "Une des factures choisies n'est pas de cette régie."},
    )

    def __init__(self, *args, regie=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.regie = regie
        self.candidates = []
        if regie is not None:
            # Any issued invoice of the régie is accepted by the form, so that the
            # service says why one cannot be collected; only candidates are offered.
            field = self.fields["invoices"]
            field.queryset = Invoice.objects.filter(
                regie=regie, state=InvoiceState.ISSUED
            ).select_related("family")
            self.candidates = list(sepa_selectors.debit_candidates(regie=regie))
            field.widget.choices = [
                (
                    str(invoice.public_id),
                    f"{invoice.number} — {invoice.family.reference} {invoice.payer_name} — "
                    f"{invoice.month:%m/%Y} — {invoice.remaining} €",
                )
                for invoice in self.candidates
            ]


def _chosen_regie(value):
    queryset = Regie.objects.exclude(sepa_creditor_id="")
    try:
        return queryset.get(pk=value) if value else queryset.first()
    except (Regie.DoesNotExist, ValueError, TypeError):
        return None


class BatchListView(BillingAdminMixin, TemplateView):
    permission = VIEW_PAYMENT
    template_name = "billing/admin/sepa_batches.html"
    page_title = "Prélèvements SEPA"
    nav = "sepa"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, query = paginate(self.request, sepa_selectors.batches_for_staff(), 50)
        context.update({"page": page, "query": query})
        return context


class BatchCreateView(BillingAdminMixin, TemplateView):
    permission = RECORD_PAYMENT
    template_name = "billing/admin/sepa_batch_form.html"
    page_title = "Préparer des prélèvements"
    nav = "sepa"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("billing_admin:sepa_batches"), "label": "Prélèvements SEPA"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            regie = _chosen_regie(self.request.GET.get("regie"))
            form = BatchForm(initial={"regie": regie}, regie=regie)
            if regie is not None:
                form.fields["invoices"].initial = [str(i.public_id) for i in form.candidates]
        context.update({"form": form, "today": timezone.localdate()})
        return context

    def post(self, request):
        regie = _chosen_regie(request.POST.get("regie"))
        form = BatchForm(request.POST, regie=regie)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.sepa_batch_create(
                    regie=data["regie"],
                    collection_date=data["collection_date"],
                    invoices=list(data["invoices"]),
                    actor=request.user,
                    **self.origin(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    f"Lot préparé : {batch.debits.count()} prélèvement(s) le "
                    f"{batch.collection_date:%d/%m/%Y}. Téléchargez son fichier pour la banque.",
                )
                return redirect("billing_admin:sepa_batch", batch.public_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif du rejet (code de la banque)",
        choices=[("", "Choisir…"), *RejectReason.choices],
    )
    rejected_on = forms.DateField(label="Date du rejet", widget=DATE_WIDGET)


class BatchView(BillingAdminMixin, TemplateView):
    permission = VIEW_PAYMENT
    template_name = "billing/admin/sepa_batch.html"
    nav = "sepa"

    def load(self, batch_id):
        self.batch = get_or_404(
            DebitBatch.objects.select_related("regie", "created_by", "settled_by"),
            batch_id,
            "Lot de prélèvements introuvable.",
        )

    def get_page_title(self):
        return f"Prélèvements du {self.batch.collection_date:%d/%m/%Y}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("billing_admin:sepa_batches"), "label": "Prélèvements SEPA"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, reject_form=None, rejecting=None, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        debits = list(sepa_selectors.batch_debits(batch))
        context.update(
            {
                "batch": batch,
                "debits": debits,
                "total": sum((d.amount for d in debits), 0),
                "is_draft": batch.state == DebitBatchState.DRAFT,
                "is_exported": batch.state == DebitBatchState.EXPORTED,
                "can_reject": batch.state != DebitBatchState.DRAFT,
                "reject_form": reject_form
                or RejectForm(initial={"rejected_on": timezone.localdate()}),
                "rejecting": rejecting,
                "rejected_state": DebitState.REJECTED,
            }
        )
        return context

    def post(self, request, batch_id):
        if not request.user.has_perm(RECORD_PAYMENT):
            return permission_denied(request)
        action = request.POST.get("action")
        origin = self.origin()
        try:
            if action == "telecharger":
                xml = services.sepa_batch_export(batch=self.batch, actor=request.user, **origin)
                name = f"prelevements-{self.batch.collection_date:%Y-%m-%d}-{self.batch.message_id}"
                return content_download(
                    xml, f"{name.lower()}.xml", content_type="application/xml; charset=utf-8"
                )
            if action == "regler":
                services.sepa_batch_settle(batch=self.batch, actor=request.user, **origin)
                messages.success(
                    request,
                    "Lot réglé : les factures prélevées sont payées à la date du prélèvement.",
                )
            elif action == "abandonner":
                services.sepa_batch_cancel(batch=self.batch, actor=request.user, **origin)
                messages.success(
                    request, "Lot abandonné : ses factures peuvent être prélevées à nouveau."
                )
                return redirect("billing_admin:sepa_batches")
            else:
                messages.error(request, "Action inconnue.")
        except ValidationError as error:
            error_messages(request, error)
        return redirect("billing_admin:sepa_batch", self.batch.public_id)


class DebitRejectView(BillingAdminMixin, View):
    """Record a rejected debit (POST only: the form is on the batch's page)."""

    permission = RECORD_PAYMENT
    http_method_names = ["post"]

    def load(self, debit_id):
        self.debit = get_or_404(
            Debit.objects.select_related("batch__regie", "invoice"),
            debit_id,
            "Prélèvement introuvable.",
        )

    def post(self, request, debit_id):
        batch = self.debit.batch
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                services.sepa_debit_reject(
                    debit=self.debit,
                    reason=form.cleaned_data["reason"],
                    rejected_on=form.cleaned_data["rejected_on"],
                    actor=request.user,
                    **self.origin(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    f"Rejet enregistré : la facture {self.debit.invoice.number} est à nouveau "
                    "due et la famille est prévenue.",
                )
                return redirect("billing_admin:sepa_batch", batch.public_id)
        view = BatchView()
        view.setup(request, batch_id=batch.public_id)
        view.batch = batch
        context = view.get_context_data(reject_form=form, rejecting=self.debit)
        return view.render_to_response(context, status=400)
