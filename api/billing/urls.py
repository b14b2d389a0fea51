"""Routes of the billing API, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("credit-notes", views.CreditNoteViewSet, basename="credit-note")

urlpatterns = [
    path("statement/", views.StatementView.as_view(), name="statement"),
    path("payments/checkout/", views.CheckoutView.as_view(), name="payment-checkout"),
    path("tax-certificates/", views.TaxCertificateListView.as_view(), name="tax-certificate-list"),
    path(
        "tax-certificates/<uuid:regie_id>/<int:year>/",
        views.TaxCertificateDetailView.as_view(),
        name="tax-certificate-detail",
    ),
    path(
        "tax-certificates/<uuid:regie_id>/<int:year>/pdf/",
        views.TaxCertificatePdfView.as_view(),
        name="tax-certificate-pdf",
    ),
    *router.urls,
]
