from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("nous-contacter/", views.contact, name="contact"),
    path("preferences-e-mail/", views.notification_preferences, name="preferences"),
    path("<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("pieces-jointes/<uuid:attachment_id>/", views.attachment_file, name="attachment"),
]
