"""Family pages of the billing, mounted under /espace-famille/factures/."""

from django.urls import path

from . import family_views as views

app_name = "billing"

urlpatterns = [
    path("", views.statement, name="statement"),
    path("payer/", views.pay_balance, name="pay_balance"),
    path("paiement/retour/", views.card_return, name="card_return"),
    path("paiement/annule/", views.card_cancel, name="card_cancel"),
    path("<uuid:invoice_id>/", views.invoice_detail, name="invoice"),
    path("<uuid:invoice_id>/payer/", views.pay_invoice, name="pay_invoice"),
]
