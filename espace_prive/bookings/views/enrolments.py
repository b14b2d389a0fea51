"""Asking for a yearly enrolment, withdrawing a pending one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from espace_prive.access import family_required

from .. import selectors, services
from ..forms import EnrolmentForm
from ._common import add_errors


@require_http_methods(["GET", "POST"])
@family_required
def enrolment_new(request):
    family = request.family
    form_kwargs = {"family": family, "options": selectors.enrolment_options()}
    if request.method == "POST":
        form = EnrolmentForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                enrolment = services.enrolment_request(
                    actor=request.user,
                    child=data["child"],
                    service=data["service"],
                    site=data["site"],
                    school_year=data["school_year"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                missing = selectors.missing_documents_for_enrolment(enrolment)
                text = (
                    f"La demande d'inscription de {enrolment.child.first_name} à "
                    f"« {enrolment.service.name} » ({enrolment.school_year.label}) est "
                    "transmise au service ; vous serez prévenu·e par e-mail de sa réponse."
                )
                if missing:
                    names = ", ".join(status.document_type.name for status in missing)
                    text += f" Pièces à fournir : {names}."
                messages.success(request, text)
                return redirect("espace_prive:families:children")
    else:
        initial = {}
        child_id = request.GET.get("enfant")
        if child_id:
            initial["child"] = child_id
        form = EnrolmentForm(initial=initial, **form_kwargs)
    return render(
        request,
        "bookings/enrolment_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@family_required
def enrolment_withdraw(request, enrolment_id):
    enrolment = selectors.get_enrolment_for_family(request.family, enrolment_id)
    error = None
    if request.method == "POST":
        try:
            services.enrolment_cancel(
                actor=request.user, family=request.family, enrolment=enrolment
            )
        except services.EnrolmentAlreadyDecided as exc:
            error = str(exc)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"La demande d'inscription de {enrolment.child.first_name} à "
                f"« {enrolment.service.name} » est retirée.",
            )
            return redirect("espace_prive:families:children")
    return render(
        request,
        "bookings/enrolment_withdraw.html",
        {"enrolment": enrolment, "error": error},
        status=400 if error else 200,
    )
