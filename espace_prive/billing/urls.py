from django.urls import path

from . import document_views, views

app_name = "billing"

urlpatterns = [
    path("stripe/webhook/<uuid:regie_id>/", views.stripe_webhook, name="stripe_webhook"),
    path(
        "factures/<uuid:invoice_id>/pdf/",
        document_views.invoice_pdf,
        name="invoice_pdf",
    ),
    path("attestations-fiscales/", document_views.tax_certificates, name="tax_certificates"),
    path(
        "attestations-fiscales/<uuid:regie_id>/<int:year>/pdf/",
        document_views.tax_certificate_pdf,
        name="tax_certificate_pdf",
    ),
]
