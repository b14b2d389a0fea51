"""Routes of the bookings API, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import sessions, views

router = SimpleRouter()
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("absence-reasons", views.AbsenceReasonViewSet, basename="absence-reason")
router.register("absences", views.AbsenceViewSet, basename="absence")

urlpatterns = [
    path("enrolment-options/", views.EnrolmentOptionsView.as_view(), name="enrolment-options"),
    path(
        "children/<uuid:public_id>/agenda/",
        views.ChildAgendaView.as_view(),
        name="child-agenda",
    ),
    path(
        "children/<uuid:public_id>/sessions/",
        sessions.ChildSessionsView.as_view(),
        name="child-sessions",
    ),
    path("bookings/session/", sessions.SessionBookView.as_view(), name="booking-session"),
    path("calendar-feed/", views.CalendarFeedView.as_view(), name="calendar-feed"),
    *router.urls,
]
