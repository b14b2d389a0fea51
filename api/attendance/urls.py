"""Routes of the staff register API, mounted under /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "staff/sites/<uuid:site_id>/days/<str:day>/register/",
        views.DayRegisterView.as_view(),
        name="staff-day-register",
    ),
    path(
        "staff/sites/<uuid:site_id>/days/<str:day>/register/close/",
        views.RegisterCloseView.as_view(),
        name="staff-day-register-close",
    ),
    path(
        "staff/sites/<uuid:site_id>/days/<str:day>/register/reopen/",
        views.RegisterReopenView.as_view(),
        name="staff-day-register-reopen",
    ),
]
