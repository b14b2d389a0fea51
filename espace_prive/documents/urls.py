from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("envoyer/", views.document_upload, name="upload"),
    path("<uuid:family_document_id>/remplacer/", views.document_replace, name="replace"),
    path("<uuid:family_document_id>/supprimer/", views.document_delete, name="delete"),
    path("<uuid:family_document_id>/fichier/", views.document_file, name="file"),
]
