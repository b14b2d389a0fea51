"""REST API of the billing for a family: its issued invoices, its relevé de compte, its
payments, and starting a card payment. The same selectors as the pages: another
family's invoice is 404; a draft is never shown. A payment is recorded only by the
signed webhook, never by this API.
"""

import logging

import stripe
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from api.families.views import FamilyScopedMixin
from espace_prive.billing import family_selectors as selectors
from espace_prive.billing.document_views import invoice_download, tax_certificate_download
from espace_prive.billing.models import CreditNote, Invoice, Payment
from espace_prive.billing.services.card import checkout_start
from espace_prive.billing.services.tax import family_tax_year, family_tax_years

from ..schema import error_response
from . import serializers as api_serializers

TAG = "Factures et paiements"
logger = logging.getLogger(__name__)


class PaymentUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Le paiement en ligne est momentanément indisponible : réessayez plus tard."
    default_code = "payment_unavailable"


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary="Mes factures émises (la plus récente d'abord)"),
    retrieve=extend_schema(
        tags=[TAG],
        summary="Une facture : ses lignes (et pourquoi ce prix), avoirs et paiements reçus",
        responses=api_serializers.InvoiceDetailSerializer,
    ),
)
class InvoiceViewSet(
    FamilyScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = api_serializers.InvoiceSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if self.is_schema_generation:
            return Invoice.objects.none()
        return selectors.issued_invoices(self.family)

    def get_object(self):
        return selectors.invoice_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "retrieve":
            return api_serializers.InvoiceDetailSerializer
        return api_serializers.InvoiceSerializer

    @extend_schema(
        tags=[TAG],
        summary="Télécharger le PDF d'une facture",
        description="Le PDF gardé depuis l'émission (fait à la première demande sinon).",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("Facture d'une autre famille, ou inconnue."),
        },
    )
    @action(detail=True, url_path="pdf", url_name="pdf")
    def pdf(self, request, public_id=None):
        invoice = selectors.invoice_for_family(self.family, public_id)
        return invoice_download(invoice)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="Mes avoirs : chacun avec la facture qu'il corrige (le plus récent d'abord)",
    )
)
class CreditNoteViewSet(FamilyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = api_serializers.CreditNoteListSerializer

    def get_queryset(self):
        if self.is_schema_generation:
            return CreditNote.objects.none()
        return selectors.credit_notes(self.family)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG], summary="Mes paiements et remboursements (le plus récent d'abord)"
    )
)
class PaymentViewSet(FamilyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = api_serializers.PaymentSerializer

    def get_queryset(self):
        if self.is_schema_generation:
            return Payment.objects.none()
        return selectors.payments(self.family)


class StatementView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.AccountSerializer
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary="Mon relevé de compte : par régie, le solde et les opérations en ordre de date",
        responses=api_serializers.AccountSerializer(many=True),
    )
    def get(self, request):
        accounts = selectors.accounts(self.family)
        return Response(self.get_serializer(accounts, many=True).data)


class CheckoutView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.CheckoutRequestSerializer

    @extend_schema(
        tags=[TAG],
        summary="Payer par carte : ouvre une page de paiement Stripe pour ce qui est dû",
        description=(
            "Le montant est calculé ici (tout ce qui est dû à la régie, ou ce qui reste dû "
            "sur une facture), jamais pris de la requête. Le paiement est enregistré quand "
            "Stripe le confirme (webhook signé), pas au retour sur le site."
        ),
        request=api_serializers.CheckoutRequestSerializer,
        responses={
            201: api_serializers.CheckoutSerializer,
            503: error_response("Le prestataire de paiement ne répond pas."),
        },
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        regie, invoices = self._what(serializer.validated_data)
        if not selectors.card_payment_available(regie):
            raise serializers.ValidationError(
                {"non_field_errors": ["Le paiement par carte n'est pas proposé par cette régie."]}
            )
        page = request.build_absolute_uri(reverse("espace_prive:billing:card_return"))
        try:
            checkout, url = checkout_start(
                regie=regie,
                family=self.family,
                invoices=invoices,
                success_url=page + "?session_id={CHECKOUT_SESSION_ID}",
                cancel_url=request.build_absolute_uri(reverse("espace_prive:billing:card_cancel")),
            )
        except stripe.StripeError as error:
            logger.warning("Checkout could not start for family %s", self.family.pk, exc_info=True)
            raise PaymentUnavailable() from error
        if checkout is None:
            raise serializers.ValidationError({"non_field_errors": ["Il n'y a rien à payer."]})
        data = {"public_id": checkout.public_id, "amount": checkout.amount, "url": url}
        return Response(
            api_serializers.CheckoutSerializer(data).data, status=status.HTTP_201_CREATED
        )

    def _what(self, data):
        """The régie and invoices asked for (404: not the family's)."""
        if "invoice" in data:
            invoice = selectors.invoice_for_family(self.family, data["invoice"])
            if "regie" in data and data["regie"] != invoice.regie.public_id:
                raise serializers.ValidationError(
                    {"regie": ["Cette facture n'est pas de cette régie."]}
                )
            return invoice.regie, [invoice]
        accounts = selectors.accounts(self.family, with_card=False)
        if "regie" in data:
            account = next((a for a in accounts if a.regie.public_id == data["regie"]), None)
            if account is None:
                raise Http404("Régie inconnue.")
            return account.regie, None
        if len(accounts) == 1:
            return accounts[0].regie, None
        if not accounts:
            raise serializers.ValidationError({"non_field_errors": ["Il n'y a rien à payer."]})
        raise serializers.ValidationError({"regie": ["Indiquez la régie dont payer le solde."]})


class TaxCertificateListView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.TaxCertificateSerializer
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary="Mes attestations fiscales (frais de garde) : par régie et année",
        description=(
            "Les frais de garde payés chaque année civile pour les enfants de moins de 6 ans "
            "au 1er janvier. L'attestation d'une année est disponible une fois l'année finie."
        ),
        responses=api_serializers.TaxCertificateSerializer(many=True),
    )
    def get(self, request):
        years = family_tax_years(family=self.family)
        return Response(self.get_serializer(years, many=True).data)


class TaxCertificateMixin(FamilyScopedMixin):
    def tax_year(self, regie_id, year):
        entry = family_tax_year(family=self.family, regie_public_id=regie_id, year=year)
        if entry is None:
            raise Http404("Aucune attestation fiscale pour cette année.")
        return entry


class TaxCertificateDetailView(TaxCertificateMixin, generics.GenericAPIView):
    serializer_class = api_serializers.TaxCertificateDetailSerializer

    @extend_schema(
        tags=[TAG],
        summary="Une attestation fiscale : le montant payé par enfant",
        responses={
            200: api_serializers.TaxCertificateDetailSerializer,
            404: error_response("Aucune attestation de cette régie pour cette année."),
        },
    )
    def get(self, request, regie_id, year):
        return Response(self.get_serializer(self.tax_year(regie_id, year)).data)


class TaxCertificatePdfView(TaxCertificateMixin, generics.GenericAPIView):
    serializer_class = None

    @extend_schema(
        tags=[TAG],
        summary="Télécharger le PDF d'une attestation fiscale (année terminée)",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("Année en cours, rien à attester, ou autre famille."),
        },
    )
    def get(self, request, regie_id, year):
        self.tax_year(regie_id, year)  # the family's, or 404
        return tax_certificate_download(self.family, regie_id, year)
