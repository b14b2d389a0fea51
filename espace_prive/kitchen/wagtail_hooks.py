"""The kitchen in the Wagtail admin: meal counts (page, CSV, PDF), the occupancy
dashboard (page, CSV), and the kitchens (e-mail, sites served) as snippets."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.snippets.models import register_snippet

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views
from .models import Kitchen
from .permissions import GRANTABLE, VIEW_MEAL_COUNTS, VIEW_OCCUPANCY

meals_view = admin_views.MealCountsView.as_view()
admin_urlpatterns = [
    path("repas/", meals_view, name="meals"),
    path("repas/effectifs.csv", meals_view, {"export": "csv"}, name="meals_csv"),
    path("repas/effectifs.pdf", meals_view, {"export": "pdf"}, name="meals_pdf"),
    path("frequentation/", admin_views.OccupancyDashboardView.as_view(), name="occupancy"),
    path(
        "frequentation/frequentation.csv",
        admin_views.OccupancyDashboardView.as_view(),
        {"export": "csv"},
        name="occupancy_csv",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("restauration/", include((admin_urlpatterns, "kitchen_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    menu = Menu(
        items=[
            PermissionMenuItem(
                "Effectifs des repas",
                reverse("kitchen_admin:meals"),
                name="effectifs-repas",
                icon_name="list-ul",
                order=1,
                permission=VIEW_MEAL_COUNTS,
            ),
            PermissionMenuItem(
                "Fréquentation des services",
                reverse("kitchen_admin:occupancy"),
                name="frequentation",
                icon_name="table",
                order=2,
                permission=VIEW_OCCUPANCY,
            ),
        ]
    )
    # Shown when one of its items is (Wagtail hides an empty submenu).
    return SubmenuMenuItem(
        "Restauration et fréquentation", menu, name="restauration", icon_name="table", order=154
    )


@hooks.register("register_permissions")
def register_permissions():
    return grantable_permissions(*GRANTABLE)


class KitchenViewSet(SnippetViewSet):
    model = Kitchen
    icon = "site"
    menu_label = "Cuisines"
    menu_order = 155
    add_to_admin_menu = True
    list_display = ["name", "email", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("email")]),
        FieldPanel("is_active"),
        InlinePanel("served_sites", heading="Sites servis", label="Site"),
    ]


register_snippet(KitchenViewSet)
