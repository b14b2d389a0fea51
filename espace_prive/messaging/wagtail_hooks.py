"""The messaging in the Wagtail admin: inbox, threads, messages to many families, and
the reference data (reply templates, where each topic goes)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views, selectors
from .models import ReplyTemplate, TopicRoute
from .permissions import GRANTABLE, VIEW_THREAD

admin_urlpatterns = [
    path("", admin_views.InboxView.as_view(), name="index"),
    path("plusieurs-familles/", admin_views.BroadcastView.as_view(), name="broadcast"),
    path("<uuid:thread_id>/", admin_views.ThreadView.as_view(), name="thread"),
    path(
        "pieces-jointes/<uuid:attachment_id>/",
        admin_views.AttachmentView.as_view(),
        name="attachment",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("messages-familles/", include((admin_urlpatterns, "messaging_admin")))]


class InboxMenuItem(PermissionMenuItem):
    """« Messages des familles (3) »: the open threads with family messages unread by
    this agent."""

    def render_component(self, request):
        unread = selectors.staff_unread_thread_count(request.user)
        label = f"{self.label} ({unread})" if unread else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname,
            attrs=self.attrs,
        )  # fmt: skip


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return InboxMenuItem(
        "Messages des familles",
        reverse("messaging_admin:index"),
        name="messages-familles",
        icon_name="mail",
        order=157,
        permission=VIEW_THREAD,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)


class ReplyTemplateViewSet(SnippetViewSet):
    model = ReplyTemplate
    icon = "doc-empty"
    menu_label = "Modèles de réponse"
    list_display = ["title", "is_active"]
    list_filter = ["is_active"]


class TopicRouteViewSet(SnippetViewSet):
    model = TopicRoute
    icon = "redirect"
    menu_label = "Destinataires des sujets"
    list_display = ["topic", "group"]


class MessagingReferenceGroup(SnippetViewSetGroup):
    items = (ReplyTemplateViewSet, TopicRouteViewSet)
    menu_icon = "mail"
    menu_label = "Messagerie"
    menu_name = "messagerie-reglages"


register_snippet(MessagingReferenceGroup)
