from django.urls import path

from . import views

urlpatterns = [
    path("stripe/webhook/<uuid:regie_id>/", views.stripe_webhook, name="stripe_webhook"),
]
