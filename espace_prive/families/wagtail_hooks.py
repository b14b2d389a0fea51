"""Families and children in the Wagtail admin: file, health data (logged), anonymisation."""

from django.urls import include, path, reverse
from wagtail import hooks

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions

from . import admin_views
from .permissions import GRANTABLE, VIEW_FAMILY

admin_urlpatterns = [
    path("", admin_views.FamilyIndexView.as_view(), name="index"),
    path("<uuid:family_id>/", admin_views.FamilyView.as_view(), name="family"),
    path("<uuid:family_id>/modifier/", admin_views.FamilyEditView.as_view(), name="family_edit"),
    path(
        "<uuid:family_id>/anonymiser/",
        admin_views.FamilyAnonymiseView.as_view(),
        name="anonymise",
    ),
    path("enfants/<uuid:child_id>/", admin_views.ChildView.as_view(), name="child"),
    path("enfants/<uuid:child_id>/photo/", admin_views.ChildPhotoView.as_view(), name="photo"),
    path("enfants/<uuid:child_id>/sante/", admin_views.ChildHealthView.as_view(), name="health"),
    path(
        "enfants/<uuid:child_id>/sante/pai/",
        admin_views.ChildPaiDocumentView.as_view(),
        name="pai_document",
    ),
    path(
        "enfants/<uuid:child_id>/acces-sante/",
        admin_views.ChildHealthAccessesView.as_view(),
        name="health_accesses",
    ),
    path("enfants/<uuid:child_id>/fiche.pdf", admin_views.ChildSheetView.as_view(), name="sheet"),
    path(
        "enfants/<uuid:child_id>/fiche-complete.pdf",
        admin_views.ChildSheetView.as_view(complete=True),
        name="sheet_complete",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("familles/", include((admin_urlpatterns, "families_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermissionMenuItem(
        "Familles",
        reverse("families_admin:index"),
        name="familles",
        icon_name="group",
        order=140,
        permission=VIEW_FAMILY,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)
