from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("mon-compte/", views.account, name="account"),
    path("mon-compte/<slug:section_key>/modifier/", views.account_edit, name="account_edit"),
    path(
        "mon-compte/responsables/<uuid:guardian_id>/<slug:section_key>/modifier/",
        views.guardian_edit,
        name="guardian_edit",
    ),
    path("mon-compte/second-responsable/ajouter/", views.guardian_add, name="guardian_add"),
    path("mon-compte/justificatif-quotient-familial/", views.qf_proof, name="qf_proof"),
    path("mon-compte/mes-donnees.zip", views.export, name="export"),
    path("enfants/", views.children, name="children"),
    path("enfants/ajouter/", views.child_add, name="child_add"),
    path("enfants/<uuid:child_id>/", views.child_detail, name="child"),
    path("enfants/<uuid:child_id>/photo/", views.child_photo, name="child_photo"),
    path(
        "enfants/<uuid:child_id>/photo/modifier/", views.child_photo_edit, name="child_photo_edit"
    ),
    path(
        "enfants/<uuid:child_id>/<slug:section_key>/modifier/",
        views.child_edit,
        name="child_edit",
    ),
    path("enfants/<uuid:child_id>/pai/", views.child_pai_document, name="child_pai_document"),
    path("enfants/<uuid:child_id>/fiche.pdf", views.child_sheet, name="child_sheet"),
    path(
        "enfants/<uuid:child_id>/fiche-complete.pdf",
        views.child_sheet,
        {"complete": True},
        name="child_sheet_complete",
    ),
    path(
        "enfants/<uuid:child_id>/personnes-autorisees/ajouter/",
        views.pickup_add,
        name="pickup_add",
    ),
    path(
        "enfants/<uuid:child_id>/personnes-autorisees/<uuid:person_id>/modifier/",
        views.pickup_edit,
        name="pickup_edit",
    ),
    path(
        "enfants/<uuid:child_id>/personnes-autorisees/<uuid:person_id>/retirer/",
        views.pickup_delete,
        name="pickup_delete",
    ),
    path(
        "fiche-de-pre-inscription.pdf",
        views.preregistration_sheet,
        name="preregistration_sheet",
    ),
]
