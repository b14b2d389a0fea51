"""Payments in the admin: the list, a manual payment or refund (cheque, cash, CESU,
transfer… with its reference and date, allocated to the invoices staff tick, then to
the oldest), and its receipt."""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin import messages

from espace_prive.families.models import Family

from .. import services, staff_selectors
from ..models import Invoice, InvoiceState, PaymentMethod, Regie
from ..permissions import RECORD_PAYMENT, VIEW_PAYMENT
from .base import BillingAdminMixin, form_errors_from, get_or_404, paginate

MANUAL_METHODS = [
    (value, label)
    for value, label in PaymentMethod.choices
    if value not in (PaymentMethod.CARD, PaymentMethod.DIRECT_DEBIT)
]


class PaymentFilterForm(forms.Form):
    family = forms.CharField(label="Famille ou référence", required=False, max_length=100)
    method = forms.ChoiceField(
        label="Moyen", choices=[("", "Tous"), *PaymentMethod.choices], required=False
    )
    since = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PaymentListView(BillingAdminMixin, TemplateView):
    permission = VIEW_PAYMENT
    template_name = "billing/admin/payments.html"
    page_title = "Paiements"
    nav = "payments"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PaymentFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        queryset = staff_selectors.payments_for_staff(
            family=(filters.get("family") or "").strip(),
            method=filters.get("method", ""),
            since=filters.get("since"),
            until=filters.get("until"),
        )
        page, query = paginate(self.request, queryset, 50)
        context.update({"form": form, "page": page, "query": query})
        return context


class PaymentForm(forms.Form):
    regie = forms.ModelChoiceField(label="Régie", queryset=Regie.objects.all())
    family = forms.CharField(label="Référence de la famille", max_length=50)
    method = forms.ChoiceField(label="Moyen de paiement", choices=MANUAL_METHODS)
    is_refund = forms.BooleanField(
        label="Remboursement",
        required=False,
        help_text="Un remboursement s'indique en montant négatif (par exemple -12,50).",
    )
    amount = forms.DecimalField(label="Montant (€)", max_digits=10, decimal_places=2)
    received_on = forms.DateField(
        label="Reçu le", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        label="Référence (n° de chèque, de virement…)", max_length=100, required=False
    )
    invoices = forms.ModelMultipleChoiceField(
        label="Factures payées",
        queryset=Invoice.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        help_text="Sans choix, le paiement règle les factures les plus anciennes d'abord.",
    )
    confirm_overpayment = forms.BooleanField(
        label="Je confirme un paiement supérieur au solde dû", required=False
    )

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        if family is not None:
            unpaid = staff_selectors.invoices_with_remaining(
                Invoice.objects.filter(family=family, state=InvoiceState.ISSUED)
            ).filter(remaining__gt=0)
            self.fields["invoices"].queryset = unpaid.order_by("issued_at", "sequence")
            self.fields["invoices"].label_from_instance = lambda invoice: (
                f"{invoice.number} — {invoice.month:%m/%Y} — reste {invoice.remaining} €"
            )

    def clean_family(self):
        if self.family is None:
            raise ValidationError("Aucune famille n'a cette référence.")
        return self.family


def _family_by_reference(reference):
    reference = (reference or "").strip()
    if not reference:
        return None
    return Family.objects.filter(reference__iexact=reference).first()


class PaymentCreateView(BillingAdminMixin, TemplateView):
    permission = RECORD_PAYMENT
    template_name = "billing/admin/payment_form.html"
    page_title = "Enregistrer un paiement"
    nav = "payments"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            query = self.request.GET
            family = _family_by_reference(query.get("famille") or query.get("family"))
            initial = {"received_on": timezone.localdate(), "regie": Regie.objects.first()}
            if family is not None:
                initial["family"] = family.reference
                for name in ("method", "amount", "reference", "received_on", "regie"):
                    if query.get(name):
                        initial[name] = query[name]
                chosen = query.get("facture")
                if chosen:
                    initial["invoices"] = [chosen]
            form = PaymentForm(initial=initial, family=family)
        context["form"] = form
        return context

    def post(self, request):
        family = _family_by_reference(request.POST.get("family"))
        form = PaymentForm(request.POST, family=family)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = services.payment_record(
                    regie=data["regie"],
                    family=family,
                    amount=data["amount"],
                    method=data["method"],
                    received_on=data["received_on"],
                    reference=data["reference"],
                    is_refund=data["is_refund"],
                    confirm_overpayment=data["confirm_overpayment"],
                    invoices=list(data["invoices"]),
                    actor=request.user,
                    **self.origin(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                kind = "Remboursement" if payment.is_refund else "Paiement"
                messages.success(request, f"{kind} de {payment.amount} € enregistré.")
                return redirect("billing_admin:payment", payment.public_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PaymentView(BillingAdminMixin, TemplateView):
    """A payment's receipt (printable)."""

    permission = VIEW_PAYMENT
    template_name = "billing/admin/payment.html"
    nav = "payments"

    def load(self, payment_id):
        self.payment = get_or_404(
            staff_selectors.payment_for_staff, payment_id, "Paiement introuvable."
        )

    def get_page_title(self):
        kind = "Remboursement" if self.payment.is_refund else "Reçu de paiement"
        return f"{kind} du {self.payment.received_on:%d/%m/%Y}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payment = self.payment
        context.update(
            {
                "payment": payment,
                "allocations": list(payment.allocations.all()),
                "unallocated": payment.amount
                - sum((a.amount for a in payment.allocations.all()), 0),
                "printed_on": timezone.localdate(),
            }
        )
        return context
