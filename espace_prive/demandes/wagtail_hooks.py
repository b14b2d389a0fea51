"""The staff's queue of family requests in the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urlpatterns = [
    path("", admin_views.StaffQueueView.as_view(), name="index"),
    path("<uuid:request_id>/", admin_views.StaffRequestView.as_view(), name="detail"),
    path(
        "<uuid:request_id>/fichier/<slug:field>/",
        admin_views.StaffRequestFileView.as_view(),
        name="file",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("demandes/", include((admin_urlpatterns, "demandes_admin")))]


class RequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_queue(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return RequestsMenuItem(
        "Demandes des familles",
        reverse("demandes_admin:index"),
        name="demandes",
        icon_name="tasks",
        order=150,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return Permission.objects.filter(
        content_type__app_label="demandes",
        codename__in=["view_changerequest", "decide_changerequest"],
    )
