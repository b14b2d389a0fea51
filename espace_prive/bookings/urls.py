from django.urls import path

from .views import absences, agenda, enrolments, patterns

app_name = "bookings"

urlpatterns = [
    path("inscriptions/nouvelle/", enrolments.enrolment_new, name="enrolment_new"),
    path(
        "inscriptions/<uuid:enrolment_id>/retirer/",
        enrolments.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("agenda/", agenda.family_agenda, name="family_agenda"),
    path("agenda/<uuid:child_id>/", agenda.child_agenda, name="agenda"),
    path("agenda/<uuid:child_id>/reserver/", agenda.day_book, name="book"),
    path("agenda/<uuid:child_id>/sejour/", agenda.session_book, name="session_book"),
    path("agenda/<uuid:child_id>/jours-reguliers/", patterns.pattern, name="pattern"),
    path("<uuid:booking_id>/annuler/", agenda.booking_cancel, name="cancel"),
    path("absences/", absences.absence_list, name="absences"),
    path("absences/declarer/", absences.absence_new, name="absence_new"),
    path(
        "absences/<uuid:absence_id>/justificatif/",
        absences.absence_certificate,
        name="absence_certificate",
    ),
]
