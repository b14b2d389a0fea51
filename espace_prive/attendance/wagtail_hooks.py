"""The attendance in the Wagtail admin: « Listes du jour » (sites and units of a day,
daily lists, PDF, tablet register) and the agents' site assignments (snippet)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views
from .models import SiteAssignment
from .permissions import GRANTABLE, VIEW_REGISTER

SHEET = "<uuid:site_id>/<str:day>/<uuid:unit_id>/"

admin_urlpatterns = [
    path("", admin_views.IndexView.as_view(), name="index"),
    path(SHEET, admin_views.DayListView.as_view(), name="list"),
    path(f"{SHEET}pdf/", admin_views.DayListPdfView.as_view(), name="pdf"),
    path(f"{SHEET}tablette/", admin_views.TabletView.as_view(), name="tablet"),
    path(f"{SHEET}pointer/", admin_views.TapView.as_view(), name="tap"),
    path(f"{SHEET}clore/", admin_views.CloseView.as_view(), name="close"),
    path(f"{SHEET}rouvrir/", admin_views.ReopenView.as_view(), name="reopen"),
    path("photo/<uuid:child_id>/", admin_views.ChildPhotoView.as_view(), name="photo"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("pointage/", include((admin_urlpatterns, "attendance_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermissionMenuItem(
        "Listes du jour",
        reverse("attendance_admin:index"),
        name="listes-du-jour",
        icon_name="list-ul",
        order=151,
        permission=VIEW_REGISTER,
    )


@hooks.register("register_permissions")
def register_permissions():
    return grantable_permissions(*GRANTABLE)


class SiteAssignmentViewSet(SnippetViewSet):
    model = SiteAssignment
    icon = "user"
    menu_label = "Affectations des animateurs"
    menu_name = "affectations-animateurs"
    add_to_admin_menu = True
    menu_order = 154
    list_display = ["user", "site"]
    list_filter = ["site"]
    panels = [FieldPanel("user"), FieldPanel("site")]


register_snippet(SiteAssignmentViewSet)
