from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default):
    """The ``next`` parameter when it points to this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def link_invalid(request, error, *, title="Lien non valable", status=400):
    """The French page for a wrong, expired or reused link or code: nothing was changed."""
    return render(
        request,
        "accounts/link_invalid.html",
        {"title": title, "message": error.message, "code": error.code},
        status=status,
    )
