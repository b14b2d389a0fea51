from django.urls import include, path

from . import views

app_name = "espace_prive"

urlpatterns = [
    path("", views.home, name="home"),
    path("compte/", include("espace_prive.accounts.urls")),
    path("", include("espace_prive.families.urls")),
    path("demandes/", include("espace_prive.demandes.urls")),
    path("documents/", include("espace_prive.documents.urls")),
    path("messages/", include("espace_prive.messaging.urls")),
    path("agenda-en-ligne/", include("espace_prive.bookings.feed.urls")),
    path("reservations/", include("espace_prive.bookings.urls")),
    path("", include("espace_prive.billing.urls")),
    path("", include("espace_prive.kitchen.urls")),
]
