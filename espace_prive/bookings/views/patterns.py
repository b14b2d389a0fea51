"""A weekly pattern: the form, a preview of what will be booked (and what cannot be,
and why; the waiting-list days; the total at the family's tariff), then confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from espace_prive.access import family_required
from espace_prive.families.selectors import get_child_for_family

from .. import selectors, services
from ..forms import PatternForm
from ..planning import money
from ._common import add_errors, day_label


@require_http_methods(["GET", "POST"])
@family_required
def pattern(request, child_id):
    child = get_child_for_family(request.family, child_id)
    pairs = selectors.bookable_units_for_child(child)
    form = PatternForm(request.POST or None, pairs=pairs)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "actor": request.user,
            "child": child,
            "units": data["unit_objects"],
            "weekdays": data["weekdays"],
            "start": data["start"],
            "end": data["end"],
        }
        try:
            if request.POST.get("action") == "confirmer":
                result = services.booking_pattern_confirm(**arguments)
            else:
                preview = services.booking_pattern_preview(**arguments)
        except (ValidationError, PermissionDenied) as error:
            add_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
            preview = None
        else:
            if preview is None:
                messages.success(request, _summary(child, result))
                url = reverse("espace_prive:bookings:agenda", kwargs={"child_id": child.public_id})
                return redirect(f"{url}?mois={data['start']:%Y-%m}")
    lines = []
    if preview is not None:
        lines = [
            {"line": line, "label": day_label(line.day), "price": _price(line.price)}
            for line in preview.lines
        ]
    return render(
        request,
        "bookings/pattern.html",
        {
            "child": child,
            "form": form,
            "has_units": bool(pairs),
            "preview": preview,
            "lines": lines,
            "total": money(preview.total) if preview else "",
            "waiting_total": money(preview.waiting_total) if preview else "",
        },
        status=400 if form.errors else 200,
    )


def _price(amount):
    return money(amount) if amount is not None else ""


def _summary(child, result):
    parts = [
        f"{len(result.booked)} jour{'s' if len(result.booked) > 1 else ''} réservé"
        f"{'s' if len(result.booked) > 1 else ''} pour {child.first_name} "
        f"({money(result.total)})"
    ]
    if result.waiting:
        parts.append(f"{len(result.waiting)} sur liste d'attente")
    if result.refused:
        parts.append(f"{len(result.refused)} impossible{'s' if len(result.refused) > 1 else ''}")
    if result.unchanged:
        parts.append(
            f"{len(result.unchanged)} déjà réservé{'s' if len(result.unchanged) > 1 else ''}"
        )
    return ", ".join(parts) + "."
