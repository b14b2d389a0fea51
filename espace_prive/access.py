"""Who may open a page of the espace famille: the family side's one gate.

``family_required`` is the decorator of every family page (families, demandes, and the
apps to come); the API has its own twin, ``IsFamilyGuardian`` in ``api/families``. The
staff side's gate is ``espace_prive.admin_access``.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from espace_prive.families.selectors import family_for_user


def family_required(view):
    """Signed in, and a guardian of a family; anyone else gets a page that says so.

    The family is kept on ``request.family``: views reach everything else from it,
    through family-scoped selectors.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        family = family_for_user(request.user)
        if family is None:
            return render(request, "families/no_family.html", status=403)
        request.family = family
        return view(request, *args, **kwargs)

    return wrapper
