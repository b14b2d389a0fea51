"""Routes of the staff register API, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "staff/sites/<uuid:site_id>/days/<str:day>/register/",
        views.DayRegisterView.as_view(),
        name="staff-day-register",
    ),
]
