"""The staff side's one gate (``espace_prive.admin_access``): the permission first, the
URL's objects after; menu items shown by the same rule."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import View

from espace_prive.accounts.permissions import GRANTABLE as ACCOUNTS
from espace_prive.admin_access import (
    AdminPermissionMixin,
    PermissionMenuItem,
    grantable_permissions,
)
from espace_prive.demandes.permissions import GRANTABLE as DEMANDES
from espace_prive.families.permissions import GRANTABLE as FAMILIES
from espace_prive.families.permissions import VIEW_CHILD, VIEW_FAMILY
from tests.conftest import sign_in
from tests.factories import make_staff, make_staff_with_perms

pytestmark = pytest.mark.django_db


def test_the_objects_are_looked_up_only_after_the_permission_check():
    """Without the permission, an unknown child and a real one answer the same."""
    url = reverse("families_admin:child", args=[uuid.uuid4()])
    without = sign_in(Client(), make_staff_with_perms(VIEW_FAMILY)).get(url)
    assert without.status_code == 302  # Wagtail's "no permission": back to the dashboard
    assert without["Location"] == reverse("wagtailadmin_home")
    allowed = sign_in(Client(), make_staff_with_perms(VIEW_CHILD)).get(url)
    assert allowed.status_code == 404  # load() looked it up


def test_a_view_that_names_no_permission_fails_loudly_even_for_a_superuser():
    class Unnamed(AdminPermissionMixin, View):
        def get(self, request):
            return HttpResponse("ok")

    request = RequestFactory().get("/admin/x/")
    request.user = make_staff(superuser=True)
    with pytest.raises(ImproperlyConfigured):
        Unnamed.as_view()(request)


def test_a_menu_item_is_shown_by_its_permission_or_its_rule():
    item = PermissionMenuItem("Familles", "/admin/familles/", permission=VIEW_FAMILY)
    request = RequestFactory().get("/admin/")
    request.user = make_staff_with_perms(VIEW_FAMILY)
    assert item.is_shown(request)
    request.user = make_staff_with_perms(VIEW_CHILD)
    assert not item.is_shown(request)
    ruled = PermissionMenuItem("Menus", "/admin/menus/", shown_to=lambda user: user.is_staff)
    assert ruled.is_shown(request)
    for kwargs in ({}, {"permission": VIEW_FAMILY, "shown_to": bool}):
        with pytest.raises(TypeError):
            PermissionMenuItem("X", "/admin/x/", **kwargs)


def test_each_apps_permissions_are_offered_to_groups_exactly():
    for permissions in (ACCOUNTS, FAMILIES, DEMANDES):
        rows = grantable_permissions(*permissions)
        assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows) == sorted(
            permissions
        )


@pytest.mark.parametrize(
    "module, grantable",
    [
        ("espace_prive.attendance.admin_views", "espace_prive.attendance.permissions"),
        ("espace_prive.kitchen.admin_views", "espace_prive.kitchen.permissions"),
    ],
)
def test_every_attendance_and_kitchen_admin_page_is_behind_its_permission(module, grantable):
    """Each page of the attendance and the kitchen names its permission; a staff holding
    every other right of the app (so the section's gate lets them in) is refused by the
    page itself, before any object of the URL is looked up (random ids: no 404)."""
    import importlib

    from tests.routes import routes_of_modules, url_of

    granted = importlib.import_module(grantable).GRANTABLE
    routes = routes_of_modules([module])
    assert len(routes) >= 3
    for route in routes:
        view = route.callback.view_class
        assert issubclass(view, AdminPermissionMixin), route.name
        assert view.permission in granted, route.name
        others = [code for code in granted if code != view.permission]
        client = sign_in(Client(), make_staff_with_perms(*others))
        url = url_of(route, strict=False)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response["Location"] == reverse("wagtailadmin_home"), (method, url)
