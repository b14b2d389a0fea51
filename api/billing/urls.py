"""Routes of the billing API, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path("statement/", views.StatementView.as_view(), name="statement"),
    path("payments/checkout/", views.CheckoutView.as_view(), name="payment-checkout"),
    *router.urls,
]
