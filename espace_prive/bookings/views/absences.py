"""Declaring an absence (a day or a range, a reason, an optional certificate), the list
of the family's absences, the certificate as a download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from .. import selectors, services
from ..forms import AbsenceForm
from ._common import add_errors


@require_GET
@family_required
def absence_list(request):
    return render(
        request,
        "bookings/absences.html",
        {"declarations": selectors.absences_for_family(request.family)},
    )


@require_http_methods(["GET", "POST"])
@family_required
def absence_new(request):
    form_kwargs = {"family": request.family, "reasons": selectors.absence_reasons()}
    if request.method == "POST":
        form = AbsenceForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = services.absence_declare(
                    actor=request.user,
                    child=data["child"],
                    reason=data["reason"],
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    details=data["details"],
                    certificate=data.get("certificate"),
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    error = ValidationError(str(error))
                add_errors(form, error)
            else:
                messages.success(request, _summary(data["child"], outcome))
                return redirect("espace_prive:bookings:absences")
    else:
        initial = {}
        for name, param in (("child", "enfant"), ("first_day", "jour")):
            if request.GET.get(param):
                initial[name] = request.GET[param]
        form = AbsenceForm(initial=initial, **form_kwargs)
    return render(
        request,
        "bookings/absence_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _summary(child, outcome):
    parts = []
    if outcome.absent:
        count = len(outcome.absent)
        parts.append(
            f"Absence de {child.first_name} enregistrée ({count} jour{'s' if count > 1 else ''})."
        )
    if outcome.cancelled:
        count = len(outcome.cancelled)
        plural = "s" if count > 1 else ""
        parts.append(
            f"{count} réservation{plural} encore dans le délai d'annulation : "
            f"annulée{plural}, sans absence à déclarer."
        )
    return " ".join(parts)


@require_GET
@family_required
def absence_certificate(request, absence_id):
    declaration = selectors.get_absence_for_family(request.family, absence_id)
    return private_file_download(declaration.certificate.name, *declaration.download_words())
