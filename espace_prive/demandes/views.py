"""Family side of requests: "Liste des demandes", one request, withdrawing it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from . import selectors, services


@require_GET
@family_required
def request_list(request):
    requests = list(selectors.requests_for_family(request.family))
    response = render(
        request,
        "demandes/list.html",
        {
            "pending": [r for r in requests if r.is_pending],
            "decided": [r for r in requests if not r.is_pending],
            "unseen": {r.pk for r in requests if not r.is_pending and r.family_seen_at is None},
        },
    )
    services.requests_mark_seen(actor=request.user, family=request.family)
    return response


@require_GET
@family_required
def request_detail(request, request_id):
    change_request = selectors.get_request_for_family(request.family, request_id)
    return render(request, "demandes/detail.html", {"change_request": change_request})


@require_http_methods(["GET", "POST"])
@family_required
def request_cancel_view(request, request_id):
    change_request = selectors.get_request_for_family(request.family, request_id)
    if request.method == "POST":
        try:
            services.request_cancel(
                actor=request.user, family=request.family, change_request=change_request
            )
        except services.RequestAlreadyDecided as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Votre demande « {change_request.title} » est annulée.")
        return redirect("espace_prive:demandes:list")
    if not change_request.is_pending:
        return redirect("espace_prive:demandes:detail", change_request.public_id)
    return render(request, "demandes/cancel.html", {"change_request": change_request})


@require_GET
@family_required
def request_file(request, request_id, field):
    """A file the family sent with a request (the new photo, a document)."""
    change_request = selectors.get_request_for_family(request.family, request_id)
    if field not in change_request.section_def.file_fields:
        raise Http404("Fichier introuvable.")
    name, words = change_request.new_file(field)
    return private_file_download(name, *words)
