"""The accounts app in the Wagtail admin: a "Comptes" menu (import, invitations, security
journal; pré-inscriptions are listed in the "Demandes des familles" queue), its
permissions, and the hooks that end the sessions of a user deactivated from the Wagtail
users admin."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import InspectView, ModelIndexView, ModelViewSet

from . import admin_views, services
from .models import AuditEvent
from .permissions import GRANTABLE, MANAGE_INVITATIONS, VIEW_AUDIT
from .security import request_origin

ACCOUNTS_MENU_HOOK = "register_accounts_menu_item"


admin_urlpatterns = [
    path("import/", admin_views.ImportView.as_view(), name="import"),
    path("import/exemple.csv", admin_views.ImportExampleView.as_view(), name="import_example"),
    path("invitations/", admin_views.InvitationListView.as_view(), name="invitations"),
    path(
        "invitations/second-responsable/",
        admin_views.StaffPartnerInviteView.as_view(),
        name="partner_invite",
    ),
    path("pre-inscriptions/", admin_views.RegistrationListView.as_view(), name="registrations"),
    path(
        "pre-inscriptions/<uuid:public_id>/",
        admin_views.RegistrationDetailView.as_view(),
        name="registration",
    ),
]


@hooks.register("register_admin_urls")
def register_accounts_admin_urls():
    return [path("comptes/", include((admin_urlpatterns, "accounts_admin")))]


# --- Security journal: read-only, for staff holding accounts.view_auditevent ----------


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only "view", granted by the model's permission; no one adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])


register_permission_policy(AuditEvent, ReadOnlyPermissionPolicy(AuditEvent))


class AuditIndexView(ModelIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "actor")


class AuditViewSet(ModelViewSet):
    model = AuditEvent
    icon = "history"
    menu_label = "Journal de sécurité"
    add_to_admin_menu = False
    index_view_class = AuditIndexView
    inspect_view_class = InspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("created_at", label="Date", accessor="created_at", sort_key="created_at"),
        Column("kind", label="Événement", accessor="get_kind_display", sort_key="kind"),
        Column("email", label="Compte", accessor="email"),
        Column("actor", label="Auteur", accessor="actor"),
        Column("ip_address", label="Adresse IP", accessor="ip_address"),
    ]
    list_filter = {"kind": ["exact"], "created_at": ["date__gte", "date__lte"]}
    search_fields = ["email", "ip_address", "user_agent"]
    ordering = ["-created_at"]
    inspect_view_fields = [
        "created_at",
        "kind",
        "user",
        "email",
        "actor",
        "ip_address",
        "user_agent",
        "details",
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete, history or usage views: never link to them.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        # Read only: the listing, its results and one event.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


audit_viewset = AuditViewSet("journal_securite")


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return audit_viewset


# --- Menu -------------------------------------------------------------------------------


@hooks.register("register_admin_menu_item")
def register_accounts_menu():
    return SubmenuMenuItem(
        "Comptes",
        Menu(register_hook_name=ACCOUNTS_MENU_HOOK),
        name="comptes",
        icon_name="group",
        order=250,
    )


@hooks.register(ACCOUNTS_MENU_HOOK)
def menu_invitations():
    return PermissionMenuItem(
        "Invitations",
        reverse("accounts_admin:invitations"),
        icon_name="mail",
        order=200,
        permission=MANAGE_INVITATIONS,
    )


@hooks.register(ACCOUNTS_MENU_HOOK)
def menu_import():
    return PermissionMenuItem(
        "Importer des familles",
        reverse("accounts_admin:import"),
        icon_name="upload",
        order=300,
        permission=MANAGE_INVITATIONS,
    )


@hooks.register(ACCOUNTS_MENU_HOOK)
def menu_audit():
    return PermissionMenuItem(
        "Journal de sécurité",
        reverse(audit_viewset.get_url_name("index")),
        icon_name="history",
        order=400,
        permission=VIEW_AUDIT,
    )


@hooks.register("register_account_menu_item")
def account_security_link(request):
    """Passwords and the second factor are managed on the portal's account pages."""
    return {
        "url": reverse("espace_prive:accounts:account"),
        "label": "Mot de passe et double authentification",
        "help_text": "Changer de mot de passe, de téléphone ou de codes de secours.",
    }


@hooks.register("register_permissions")
def register_accounts_permissions():
    return grantable_permissions(*GRANTABLE)


# --- Deactivation from the Wagtail users admin ends the user's sessions ----------------


@hooks.register("before_edit_user")
def remember_active_state(request, user):
    request._accounts_user_was_active = user.is_active


@hooks.register("after_edit_user")
def end_sessions_of_deactivated_user(request, user):
    if getattr(request, "_accounts_user_was_active", True) and not user.is_active:
        services.user_access_revoke(actor=request.user, user=user, **request_origin(request))


@hooks.register("after_bulk_action")
def end_sessions_after_bulk_deactivation(request, action_type, objects, action_class_instance):
    if action_type != "set_active_state":
        return
    from django.contrib.auth import get_user_model

    # ``objects`` still hold the state read before the bulk update.
    were_active = [obj.pk for obj in objects if obj.is_active]
    for user in get_user_model().objects.filter(pk__in=were_active, is_active=False):
        services.user_access_revoke(actor=request.user, user=user, **request_origin(request))
