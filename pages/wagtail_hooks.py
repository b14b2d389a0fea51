"""The public site in the admin: snippets, menus' fast entry, and the public cache hook."""

from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_access import PermissionMenuItem
from espace_prive.admin_snippets import SnippetViewSet

from . import cache
from .admin_views import MenuCopyView, MenuImportView, can_enter_menus
from .models import MenuGroup, MenusIndexPage, MenuWeekPage, NewsCategory


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = "Catégories d'actualités"
    list_display = ["name", "slug"]


class MenuGroupViewSet(SnippetViewSet):
    model = MenuGroup
    icon = "group"
    menu_label = "Cuisines (groupes de menus)"
    list_display = ["name", "slug"]


class PublicSiteViewSetGroup(SnippetViewSetGroup):
    items = (NewsCategoryViewSet, MenuGroupViewSet)
    menu_icon = "globe"
    menu_label = "Site public"
    menu_name = "site-public"


register_snippet(PublicSiteViewSetGroup)


@hooks.register("before_serve_page", order=100)
def allow_public_cache(page, request, serve_args, serve_kwargs):
    """Pages of the public site may be stored in the public cache (anonymous only).

    Runs after Wagtail's view-restriction check: a restricted page answers with a login
    redirect or a password form before reaching this hook, and is never marked.
    """
    if getattr(page, "public_cache", False):
        cache.mark_public(request)


@hooks.register("register_admin_urls")
def menus_admin_urls():
    return [
        path("menus/copier/", MenuCopyView.as_view(), name="pages_menus_copy"),
        path("menus/importer/", MenuImportView.as_view(), name="pages_menus_import"),
    ]


@hooks.register("register_admin_menu_item")
def menus_menu_item():
    return PermissionMenuItem(
        "Menus : saisie rapide",
        reverse("pages_menus_copy"),
        icon_name="form",
        order=250,
        shown_to=can_enter_menus,
    )


@hooks.register("register_page_header_buttons")
def menu_week_header_buttons(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, MenuWeekPage) and can_enter_menus(user):
        yield Button(
            "Copier vers une autre semaine",
            reverse("pages_menus_copy") + f"?source={page.pk}",
            icon_name="copy",
            priority=35,
        )
    if isinstance(page.specific_deferred, MenusIndexPage) and can_enter_menus(user):
        yield Button(
            "Importer des menus (CSV)",
            reverse("pages_menus_import"),
            icon_name="upload",
            priority=36,
        )


@hooks.register("before_copy_page")
def copy_menus_through_fast_entry(request, page):
    """A copied week would repeat the same week: choose the new week in our copy view."""
    specific_class = page.specific_class
    if specific_class is MenuWeekPage:
        return redirect(reverse("pages_menus_copy") + f"?source={page.pk}")
    if specific_class is MenusIndexPage:
        messages.error(
            request,
            "La page des menus ne se copie pas : copiez une semaine avec « Menus : saisie "
            "rapide ».",
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
