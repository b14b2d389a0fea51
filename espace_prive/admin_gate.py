"""The private area's sections of the Wagtail admin are closed, with a 403, to back-office
users who hold no role in the private area (a Communication editor, say).

Wagtail turns a refused admin view into a redirect to its dashboard; for the families'
data we answer "403 Accès refusé" before any view runs, so that nothing of it, not even
an empty list, reaches someone whose job is the public site. Finer rules (who may decide
a request, see health data…) stay in each view.
"""

from django.template.response import TemplateResponse

# Apps whose permissions make a back-office user part of the private area's staff.
PRIVATE_AREA_APP_LABELS = frozenset(
    {
        "accounts",
        "families",
        "demandes",
        "documents",
        "messaging",
        "bookings",
        "billing",
        "kitchen",
        "auth",
    }
)

# URL namespaces of the admin sections that show private-area data or settings.
PRIVATE_AREA_ADMIN_NAMESPACES = frozenset(
    {
        "accounts_admin",
        "families_admin",
        "demandes_admin",
        "documents_admin",
        "messaging_admin",
        "bookings_admin",
        "journal_securite",
        "wagtailusers_users",
        "wagtailusers_groups",
    }
)
# Snippets of the catalogue (services, sites, tariff grids) open to whoever holds a
# permission on that model: editors may view services and sites, to pick them on the
# public pages, and nothing of the tariff grids. The choosers are left to Wagtail.
CATALOGUE_SNIPPETS_PREFIX = "wagtailsnippets_catalogue_"
# Snippets of the documents and the messaging (types, pièces à fournir, reply templates,
# routes): open to whoever holds a permission of that app, closed to everyone else.
PRIVATE_SNIPPETS_PREFIXES = {
    "wagtailsnippets_documents_": "documents",
    "wagtailsnippets_messaging_": "messaging",
    "wagtailsnippets_bookings_": "bookings",
    "wagtailsnippets_billing_": "billing",
    "wagtailsnippets_attendance_": "attendance",
    "wagtailsnippets_kitchen_": "kitchen",
}
# Sections open only to staff holding a permission of one app (the families' money is
# not for every private-area role: a bookings agent without a billing right gets 403).
APP_ADMIN_NAMESPACES = {
    "billing_admin": "billing",
    "attendance_admin": "attendance",
    "kitchen_admin": "kitchen",
}


def _opening_permissions(namespace):
    """Which permissions open ``namespace`` (a predicate on "app_label.codename"), or
    None when the namespace is not a private-area section."""
    if namespace in PRIVATE_AREA_ADMIN_NAMESPACES:
        return lambda permission: permission.partition(".")[0] in PRIVATE_AREA_APP_LABELS
    if namespace in APP_ADMIN_NAMESPACES:
        app_label = APP_ADMIN_NAMESPACES[namespace]
        return lambda permission: permission.startswith(f"{app_label}.")
    for prefix, app_label in PRIVATE_SNIPPETS_PREFIXES.items():
        if namespace.startswith(prefix):
            return lambda permission, app_label=app_label: permission.startswith(f"{app_label}.")
    if namespace.startswith(CATALOGUE_SNIPPETS_PREFIX):
        model_name = namespace.removeprefix(CATALOGUE_SNIPPETS_PREFIX)
        return lambda permission: (
            permission.startswith("catalogue.") and permission.endswith(f"_{model_name}")
        )
    return None


def user_may_enter(user, namespace):
    """True unless ``namespace`` is a private-area section ``user`` holds no role in."""
    opens = _opening_permissions(namespace)
    if opens is None or user.is_superuser:
        return True
    return user.is_active and any(opens(permission) for permission in user.get_all_permissions())


class PrivateAreaAdminGateMiddleware:
    """Answer 403 on private-area admin URLs to users without a private-area role.

    Anonymous users and those without a second factor are left to the login and to
    ``SecondFactorRequiredMiddleware``, which come first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = request.user
        if match is None or not user.is_authenticated or user_may_enter(user, match.namespace):
            return None
        return TemplateResponse(
            request, "wagtailadmin/private_area_denied.html", status=403
        ).render()
