"""Serializers of the billing API (read-only, but the card payment's request): amounts
are decimal strings in euros, as on the invoices."""

from rest_framework import serializers

from api.families.serializers import StrictSerializer
from espace_prive.billing.models import LineReason, PaymentMethod

MONEY = {"max_digits": 12, "decimal_places": 2, "read_only": True}


class RegieSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class InvoiceSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    kind = serializers.SerializerMethodField(
        help_text="« facture » ; les avoirs sont sous credit-notes/ et dans le relevé."
    )
    number = serializers.CharField(read_only=True)
    regie = RegieSerializer(read_only=True)
    month = serializers.DateField(read_only=True, help_text="Le premier jour du mois facturé.")
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    due_date = serializers.DateField(read_only=True, help_text="À payer avant le.")
    previous_balance = serializers.DecimalField(
        help_text="Ce qui restait dû sur les factures précédentes à l'émission.", **MONEY
    )
    total = serializers.DecimalField(help_text="Total du mois.", **MONEY)
    credited = serializers.DecimalField(help_text="Avoirs sur cette facture.", **MONEY)
    paid = serializers.DecimalField(help_text="Paiements affectés à cette facture.", **MONEY)
    remaining = serializers.DecimalField(help_text="Reste dû sur cette facture.", **MONEY)

    def get_kind(self, _invoice) -> str:
        return "facture"


class InvoiceLineSerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    child_name = serializers.CharField(read_only=True)
    service_name = serializers.CharField(read_only=True)
    unit_label = serializers.CharField(read_only=True)
    quantity = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=4, read_only=True)
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, help_text="Taux facturé (%)."
    )
    amount = serializers.DecimalField(**MONEY)
    pricing_label = serializers.CharField(
        read_only=True, help_text="Pourquoi ce prix : tranche de QF, tarif appliqué."
    )
    reason = serializers.ChoiceField(choices=LineReason.choices, read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)


class CreditNoteSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    number = serializers.CharField(read_only=True)
    issued_at = serializers.DateTimeField(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    reason = serializers.CharField(read_only=True)


class CreditNoteListSerializer(CreditNoteSerializer):
    kind = serializers.SerializerMethodField(help_text="Toujours « avoir ».")
    regie = RegieSerializer(read_only=True)
    invoice = serializers.UUIDField(
        source="invoice.public_id", read_only=True, help_text="La facture que l'avoir corrige."
    )
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    def get_kind(self, _note) -> str:
        return "avoir"


class AllocationSerializer(serializers.Serializer):
    payment = serializers.UUIDField(source="payment.public_id", read_only=True)
    method = serializers.ChoiceField(
        source="payment.method", choices=PaymentMethod.choices, read_only=True
    )
    received_on = serializers.DateField(source="payment.received_on", read_only=True)
    amount = serializers.DecimalField(help_text="La part payée sur cette facture.", **MONEY)


class InvoiceDetailSerializer(InvoiceSerializer):
    payer_name = serializers.CharField(read_only=True)
    payer_address = serializers.CharField(read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    credit_notes = CreditNoteSerializer(many=True, read_only=True)
    payments = AllocationSerializer(source="allocations", many=True, read_only=True)


class PaymentSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    regie = RegieSerializer(read_only=True)
    amount = serializers.DecimalField(help_text="Négatif pour un remboursement.", **MONEY)
    is_refund = serializers.BooleanField(read_only=True)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, read_only=True)
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    received_on = serializers.DateField(read_only=True)
    reference = serializers.CharField(read_only=True)


class StatementEntrySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    kind = serializers.ChoiceField(
        choices=[("facture", "Facture"), ("avoir", "Avoir"), ("paiement", "Paiement")],
        read_only=True,
    )
    label = serializers.CharField(read_only=True)
    debit = serializers.DecimalField(**MONEY)
    credit = serializers.DecimalField(**MONEY)
    balance = serializers.DecimalField(help_text="Solde après cette opération.", **MONEY)
    document = serializers.UUIDField(
        source="document.public_id", read_only=True, help_text="La facture, l'avoir ou le paiement."
    )


class AccountSerializer(serializers.Serializer):
    regie = RegieSerializer(read_only=True)
    balance = serializers.DecimalField(
        help_text="Positif : dû à la régie ; négatif : crédit de la famille.", **MONEY
    )
    due = serializers.DecimalField(help_text="Reste à payer.", **MONEY)
    card_payment = serializers.BooleanField(
        read_only=True, help_text="La régie propose le paiement par carte."
    )
    entries = StatementEntrySerializer(many=True, read_only=True)


class CheckoutRequestSerializer(StrictSerializer):
    invoice = serializers.UUIDField(
        required=False, help_text="Payer cette facture seulement (sinon : tout ce qui est dû)."
    )
    regie = serializers.UUIDField(
        required=False,
        help_text="La régie dont payer le solde (facultatif si la famille n'en a qu'une).",
    )


class CheckoutSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    url = serializers.URLField(read_only=True, help_text="La page de paiement où aller.")


class TaxChildSerializer(serializers.Serializer):
    child_name = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)
    amount = serializers.DecimalField(help_text="Frais de garde payés dans l'année.", **MONEY)


class TaxCertificateSerializer(serializers.Serializer):
    regie = RegieSerializer(read_only=True)
    year = serializers.IntegerField(read_only=True, help_text="L'année civile des paiements.")
    available = serializers.BooleanField(
        read_only=True, help_text="Faux tant que l'année n'est pas terminée."
    )
    total = serializers.DecimalField(
        help_text="Frais de garde payés dans l'année (enfants de moins de 6 ans au 1er janvier).",
        **MONEY,
    )
    number = serializers.CharField(
        read_only=True, allow_null=True, help_text="Le numéro, une fois l'attestation émise."
    )
    issued_at = serializers.DateTimeField(read_only=True, allow_null=True)


class TaxCertificateDetailSerializer(TaxCertificateSerializer):
    children = TaxChildSerializer(many=True, read_only=True)
