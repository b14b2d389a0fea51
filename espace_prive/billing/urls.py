"""The billing's family pages (/espace-famille/factures/…) and Stripe's webhook."""

from django.urls import path

from . import document_views, family_views, views

app_name = "billing"

urlpatterns = [
    path("paiement/stripe/webhook/<uuid:regie_id>/", views.stripe_webhook, name="stripe_webhook"),
    path("factures/", family_views.statement, name="statement"),
    path("factures/payer/", family_views.pay_balance, name="pay_balance"),
    path("factures/paiement/retour/", family_views.card_return, name="card_return"),
    path("factures/paiement/annule/", family_views.card_cancel, name="card_cancel"),
    path("factures/<uuid:invoice_id>/", family_views.invoice_detail, name="invoice"),
    path("factures/<uuid:invoice_id>/payer/", family_views.pay_invoice, name="pay_invoice"),
    path("factures/<uuid:invoice_id>/pdf/", document_views.invoice_pdf, name="invoice_pdf"),
    path(
        "factures/attestations-fiscales/",
        document_views.tax_certificates,
        name="tax_certificates",
    ),
    path(
        "factures/attestations-fiscales/<uuid:regie_id>/<int:year>/pdf/",
        document_views.tax_certificate_pdf,
        name="tax_certificate_pdf",
    ),
]
