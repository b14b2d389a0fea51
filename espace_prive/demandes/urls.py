from django.urls import path

from . import views

app_name = "demandes"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<uuid:request_id>/", views.request_detail, name="detail"),
    path("<uuid:request_id>/annuler/", views.request_cancel_view, name="cancel"),
    path("<uuid:request_id>/fichier/<slug:field>/", views.request_file, name="file"),
]
