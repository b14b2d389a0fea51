"""Who may open a custom view or see a menu item of the Wagtail admin: the staff side's
one gate (the family side's is ``espace_prive.access``).

A view names its permission (``permission = families.VIEW_CHILD``, strings from the
app's ``permissions.py``) or overrides ``has_permission(user)`` for a rule of several;
the objects of its URL are looked up in ``load()``, only once the check has passed, so
that nobody without the permission learns what exists. A refusal is Wagtail's own: back
to the dashboard with « Désolé, vous n'avez pas la permission… » (a script gets a 403).
``espace_prive.admin_gate`` closes the private-area sections before that, with a 403,
to back-office users who hold no role in the private area.
"""

from functools import reduce
from operator import or_

from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem


class AdminPermissionMixin:
    """First the permission, then ``load()`` the URL's objects, then the view."""

    permission = None  # "app_label.codename"

    def has_permission(self, user):
        if self.permission is None:  # a superuser would pass has_perm(None)
            raise ImproperlyConfigured(f"{type(self).__name__} names no permission.")
        return user.has_perm(self.permission)

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request.user):
            return permission_denied(request)
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Look up the objects of the URL (after the permission check: no probing)."""


class PermissionMenuItem(MenuItem):
    """A menu item shown to users who hold ``permission``, or for whom ``shown_to(user)``
    is true (the same rule as the view it opens)."""

    def __init__(self, *args, permission=None, shown_to=None, **kwargs):
        if (permission is None) == (shown_to is None):
            raise TypeError("PermissionMenuItem needs one of permission= or shown_to=.")
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to or (lambda user: user.has_perm(permission))

    def is_shown(self, request):
        return self.shown_to(request.user)


def grantable_permissions(*permissions):
    """The ``Permission`` rows of ``"app_label.codename"`` strings, for a
    ``register_permissions`` hook (Wagtail's group editor lists them)."""
    conditions = []
    for permission in permissions:
        app_label, codename = permission.split(".")
        conditions.append(Q(content_type__app_label=app_label, codename=codename))
    return Permission.objects.filter(reduce(or_, conditions))
