"""The documents in the Wagtail admin: review queue, a family's documents, and the
reference data (document types, documents required per service and school year)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views
from .models import DocumentType, RequiredDocument
from .permissions import GRANTABLE, VIEW_DOCUMENT

admin_urlpatterns = [
    path("", admin_views.ReviewQueueView.as_view(), name="index"),
    path("<uuid:family_document_id>/", admin_views.DocumentView.as_view(), name="detail"),
    path("<uuid:family_document_id>/fichier/", admin_views.DocumentFileView.as_view(), name="file"),
    path("famille/<uuid:family_id>/", admin_views.FamilyDocumentsView.as_view(), name="family"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("documents-familles/", include((admin_urlpatterns, "documents_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermissionMenuItem(
        "Documents des familles",
        reverse("documents_admin:index"),
        name="documents-familles",
        icon_name="doc-full",
        order=155,
        permission=VIEW_DOCUMENT,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)


class DocumentTypeViewSet(SnippetViewSet):
    model = DocumentType
    icon = "doc-full"
    menu_label = "Types de documents"
    list_display = ["name", "code", "expiry_rule", "per_child", "is_health", "is_active"]
    list_filter = ["is_active", "per_child", "is_health"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("expiry_rule"), FieldPanel("validity_months")]),
        FieldRowPanel([FieldPanel("per_child"), FieldPanel("is_health")]),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]


class RequiredDocumentViewSet(SnippetViewSet):
    model = RequiredDocument
    icon = "tasks"
    menu_label = "Pièces à fournir"
    list_display = ["service", "document_type", "school_year_label"]
    list_filter = ["service", "school_year_start"]
    panels = [
        FieldPanel("service"),
        FieldPanel("document_type"),
        FieldPanel("school_year_start"),
        FieldPanel("notes"),
    ]


class DocumentsReferenceGroup(SnippetViewSetGroup):
    items = (DocumentTypeViewSet, RequiredDocumentViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = "Pièces justificatives"
    menu_name = "pieces-justificatives"


register_snippet(DocumentsReferenceGroup)
