"""Family pages: Mon compte, Mes enfants, their sections, files and PDF editions.

Every view works on ``request.family`` (the signed-in guardian's family) and reaches
children, guardians and persons through family-scoped selectors: another family's
object is a 404. A change is never saved here: it becomes a request for staff.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from espace_prive.access import family_required
from espace_prive.bookings import selectors as booking_selectors
from espace_prive.demandes import selectors as request_selectors
from espace_prive.demandes.services import request_create
from espace_prive.downloads import content_download, download_filename, private_file_download
from espace_prive.rgpd import family_export_zip

from . import editions, selectors
from .files import file_words, sheet_words
from .forms import section_form_class
from .models import Guardian
from .sections import (
    CHILD_SECTIONS,
    FAMILY_SECTIONS,
    GUARDIAN_SECTIONS,
    HEALTH_SECTIONS,
    SECTIONS,
    Operation,
    Scope,
    display_current,
    resolve_target,
    target_key,
)

# --- Building the sections shown on a page --------------------------------------------------


def section_block(section, instance, *, pending, edit_url, anchor):
    """One section of the file: its values, and what a pending request proposes."""
    rows = []
    for name in section.fields:
        proposed = pending.changes.get(name) if pending else None
        rows.append(
            {
                "name": name,
                "label": section.field_label(name),
                "value": display_current(instance, name) if instance is not None else "",
                "has_file": name in section.file_fields and bool(getattr(instance, name, None)),
                "is_file": name in section.file_fields,
                "pending": proposed,
            }
        )
    return {
        "section": section,
        "rows": rows,
        "pending": pending,
        "edit_url": edit_url,
        "anchor": anchor,
    }


def _family_blocks(family, index):
    return [
        section_block(
            section,
            family,
            pending=index.get(section, target_key(section, family=family)),
            edit_url=reverse("espace_prive:families:account_edit", args=[section.key]),
            anchor=section.key,
        )
        for section in FAMILY_SECTIONS
    ]


def _guardian_blocks(guardian, index):
    return [
        section_block(
            section,
            guardian,
            pending=index.get(section, target_key(section, guardian=guardian)),
            edit_url=reverse(
                "espace_prive:families:guardian_edit", args=[guardian.public_id, section.key]
            ),
            anchor=f"{section.key}-{guardian.public_id}",
        )
        for section in GUARDIAN_SECTIONS
    ]


def _child_blocks(child, sections, instance, index):
    return [
        section_block(
            section,
            instance,
            pending=index.get(section, target_key(section, child=child)),
            edit_url=reverse(
                "espace_prive:families:child_edit", args=[child.public_id, section.key]
            ),
            anchor=section.key,
        )
        for section in sections
    ]


# --- Mon compte ------------------------------------------------------------------------------


@require_GET
@family_required
def account(request):
    family = request.family
    index = request_selectors.PendingIndex(request_selectors.pending_requests_for_family(family))
    guardians = [
        {"guardian": guardian, "blocks": _guardian_blocks(guardian, index)}
        for guardian in selectors.guardians_for_family(family)
    ]
    has_partner = any(g["guardian"].role == Guardian.Role.PARTNER for g in guardians)
    return render(
        request,
        "families/account.html",
        {
            "family": family,
            "guardians": guardians,
            "family_blocks": _family_blocks(family, index),
            "pending_partner": index.additions_of("guardian_new"),
            "can_add_partner": not has_partner,
            "viewer_is_primary": any(
                g["guardian"].role == Guardian.Role.PRIMARY
                and g["guardian"].user_id == request.user.pk
                for g in guardians
            ),
            "today": timezone.localdate(),
        },
    )


def _edit(
    request,
    *,
    section,
    targets,
    back_url,
    title,
    operation=Operation.UPDATE,
    pending=None,
    intro="",
):
    """Show a section's form; a valid submission becomes a request (or applies at once)."""
    instance = resolve_target(section, operation, family=request.family, **targets)
    form_class = section_form_class(section.key)
    if request.method == "POST" and pending is None:
        form = form_class(request.POST, request.FILES, instance=instance)
        if form.is_valid():
            try:
                change_request = request_create(
                    actor=request.user,
                    family=request.family,
                    section=section,
                    operation=operation,
                    values=form.values(),
                    **targets,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if change_request.auto_applied:
                    messages.success(request, f"« {section.label} » : modification enregistrée.")
                else:
                    messages.success(
                        request,
                        f"Votre demande « {change_request.title} » a été transmise au service. "
                        "Elle est en attente de validation : vous serez prévenu·e par e-mail.",
                    )
                if _opened_in_place(request):  # reload the page the form sits in
                    return HttpResponseClientRefresh()
                if request.htmx:
                    return HttpResponseClientRedirect(back_url)
                return redirect(back_url)
    else:
        form = form_class(instance=instance)
    return render(
        request,
        "families/section_form.html",
        {
            "form": form,
            "section": section,
            "title": title,
            "back_url": back_url,
            "pending": pending,
            "intro": intro or section.help_text,
            "operation": operation,
            "is_multipart": bool(section.file_fields),
            "inline": _opened_in_place(request),
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )


def _pending_request(family, section, /, **targets):
    """The family's pending request on this section and target, if any."""
    pending = request_selectors.pending_requests_for_family(family)
    return request_selectors.PendingIndex(pending).get(section, target_key(section, **targets))


def _opened_in_place(request):
    """True when htmx asks for the form from another page (the file it is shown in)."""
    if not request.htmx:
        return False
    return urlsplit(request.htmx.current_url or "").path != request.path


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_http_methods(["GET", "POST"])
@family_required
def account_edit(request, section_key):
    section = SECTIONS.get(section_key)
    if section is None or section.scope != Scope.FAMILY:
        raise Http404("Rubrique inconnue.")
    family = request.family
    pending = _pending_request(family, section, family=family)
    return _edit(
        request,
        section=section,
        targets={},
        back_url=reverse("espace_prive:families:account") + f"#{section.key}",
        title=section.label,
        pending=pending,
    )


@require_http_methods(["GET", "POST"])
@family_required
def guardian_edit(request, guardian_id, section_key):
    guardian = selectors.get_guardian_for_family(request.family, guardian_id)
    section = SECTIONS.get(section_key)
    if section is None or section not in GUARDIAN_SECTIONS:
        raise Http404("Rubrique inconnue.")
    pending = _pending_request(request.family, section, guardian=guardian)
    return _edit(
        request,
        section=section,
        targets={"guardian": guardian},
        back_url=reverse("espace_prive:families:account") + f"#{section.key}-{guardian.public_id}",
        title=f"{section.label} — {guardian.full_name}",
        pending=pending,
    )


@require_http_methods(["GET", "POST"])
@family_required
def guardian_add(request):
    if request.family.guardians.filter(role=Guardian.Role.PARTNER).exists():
        messages.info(request, "Le second responsable est déjà enregistré.")
        return redirect("espace_prive:families:account")
    return _edit(
        request,
        section=SECTIONS["guardian_new"],
        targets={},
        operation=Operation.CREATE,
        back_url=reverse("espace_prive:families:account"),
        title="Ajouter le second responsable",
        intro=(
            "Le service enregistre le second responsable après vérification. Il pourra "
            "ensuite avoir son propre accès à l'espace famille."
        ),
    )


@require_GET
@family_required
def qf_proof(request):
    family = request.family
    return private_file_download(family.qf_proof.name, *file_words("qf_proof", family=family))


@require_GET
@family_required
def export(request):
    """RGPD: all the family's data, JSON and files, in one zip."""
    data = family_export_zip(actor=request.user, family=request.family)
    stamp = timezone.localdate().isoformat()
    words = ("dossier famille", request.family.reference, stamp)
    return content_download(data, download_filename(*words, extension="zip"))


# --- Mes enfants -----------------------------------------------------------------------------


@require_GET
@family_required
def children(request):
    family = request.family
    index = request_selectors.PendingIndex(request_selectors.pending_requests_for_family(family))
    enrolments = {}
    for enrolment in booking_selectors.enrolments_for_family(family):
        enrolment.child.family = family  # its own family's row: not read again
        if enrolment.is_pending:
            enrolment.missing = booking_selectors.missing_documents_for_enrolment(enrolment)
        enrolments.setdefault(enrolment.child_id, []).append(enrolment)
    cards = []
    for child in selectors.children_for_family(family):
        record = selectors.health_record_for_child(child)
        cards.append(
            {
                "child": child,
                "age": child.age_on(timezone.localdate()),
                "record": record,
                "pending_count": len(index.for_child(child)),
                "enrolments": enrolments.get(child.pk, []),
            }
        )
    return render(
        request,
        "families/children.html",
        {"cards": cards, "pending_children": index.additions_of("child_new")},
    )


@require_http_methods(["GET", "POST"])
@family_required
def child_add(request):
    return _edit(
        request,
        section=SECTIONS["child_new"],
        targets={},
        operation=Operation.CREATE,
        back_url=reverse("espace_prive:families:children"),
        title="Ajouter un enfant",
        intro=(
            "Le service enregistre l'enfant après vérification ; vous pourrez ensuite "
            "compléter ses autorisations, ses données sanitaires et sa photo."
        ),
    )


@require_GET
@family_required
def child_detail(request, child_id):
    child = selectors.get_child_for_family(request.family, child_id)
    record = selectors.health_record_for_child(child)
    index = request_selectors.PendingIndex(
        request_selectors.pending_requests_for_family(request.family)
    )
    photo_section = SECTIONS["child_photo"]
    pickup_section = SECTIONS["pickup_person"]
    persons = []
    for person in selectors.pickup_persons_for_child(child):
        persons.append(
            {
                "person": person,
                "pending": index.get(
                    pickup_section, target_key(pickup_section, pickup_person=person)
                ),
            }
        )
    return render(
        request,
        "families/child_detail.html",
        {
            "child": child,
            "age": child.age_on(timezone.localdate()),
            "record": record,
            "child_blocks": _child_blocks(child, CHILD_SECTIONS, child, index),
            "health_blocks": _child_blocks(child, HEALTH_SECTIONS, record, index),
            "photo_pending": index.get(photo_section, target_key(photo_section, child=child)),
            "persons": persons,
            "pending_persons": index.additions_of("pickup_person", child),
        },
    )


@require_http_methods(["GET", "POST"])
@family_required
def child_edit(request, child_id, section_key):
    child = selectors.get_child_for_family(request.family, child_id)
    section = SECTIONS.get(section_key)
    if section is None or section not in CHILD_SECTIONS + HEALTH_SECTIONS:
        raise Http404("Rubrique inconnue.")
    pending = _pending_request(request.family, section, child=child)
    return _edit(
        request,
        section=section,
        targets={"child": child},
        back_url=reverse("espace_prive:families:child", args=[child.public_id]) + f"#{section.key}",
        title=f"{section.label} — {child.first_name}",
        pending=pending,
    )


@require_http_methods(["GET", "POST"])
@family_required
def child_photo_edit(request, child_id):
    child = selectors.get_child_for_family(request.family, child_id)
    section = SECTIONS["child_photo"]
    pending = _pending_request(request.family, section, child=child)
    return _edit(
        request,
        section=section,
        targets={"child": child},
        back_url=reverse("espace_prive:families:child", args=[child.public_id]) + "#photo",
        title=f"Photo de {child.first_name}",
        pending=pending,
    )


@require_GET
@family_required
def child_photo(request, child_id):
    child = selectors.get_child_for_family(request.family, child_id)
    words = file_words("photo", family=request.family, child=child)
    return private_file_download(child.photo.name, *words)


@require_GET
@family_required
def child_pai_document(request, child_id):
    child = selectors.get_child_for_family(request.family, child_id)
    record = selectors.health_record_for_child(child)
    words = file_words("pai_document", family=request.family, child=child)
    return private_file_download(record.pai_document.name, *words)


@require_GET
@family_required
def child_sheet(request, child_id, complete=False):
    child = selectors.get_child_for_family(request.family, child_id)
    pdf = editions.child_sheet_pdf(child=child, complete=complete)
    return content_download(
        pdf, download_filename(*sheet_words(child, complete=complete), extension="pdf")
    )


# --- Authorised pick-up persons --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@family_required
def pickup_add(request, child_id):
    child = selectors.get_child_for_family(request.family, child_id)
    return _edit(
        request,
        section=SECTIONS["pickup_person"],
        targets={"child": child},
        operation=Operation.CREATE,
        back_url=reverse("espace_prive:families:child", args=[child.public_id])
        + "#personnes-autorisees",
        title=f"Ajouter une personne autorisée à récupérer {child.first_name}",
    )


def _pending_for_person(family, person):
    return _pending_request(family, SECTIONS["pickup_person"], pickup_person=person)


@require_http_methods(["GET", "POST"])
@family_required
def pickup_edit(request, child_id, person_id):
    child = selectors.get_child_for_family(request.family, child_id)
    person = selectors.get_pickup_person_for_child(child, person_id)
    return _edit(
        request,
        section=SECTIONS["pickup_person"],
        targets={"child": child, "pickup_person": person},
        back_url=reverse("espace_prive:families:child", args=[child.public_id])
        + "#personnes-autorisees",
        title=f"Modifier {person.full_name}",
        pending=_pending_for_person(request.family, person),
    )


@require_http_methods(["GET", "POST"])
@family_required
def pickup_delete(request, child_id, person_id):
    child = selectors.get_child_for_family(request.family, child_id)
    person = selectors.get_pickup_person_for_child(child, person_id)
    back_url = (
        reverse("espace_prive:families:child", args=[child.public_id]) + "#personnes-autorisees"
    )
    pending = _pending_for_person(request.family, person)
    error = None
    if request.method == "POST" and pending is None:
        try:
            request_create(
                actor=request.user,
                family=request.family,
                section=SECTIONS["pickup_person"],
                operation=Operation.DELETE,
                child=child,
                pickup_person=person,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"Votre demande de retrait de {person.full_name} a été transmise au service.",
            )
            return redirect(back_url)
    return render(
        request,
        "families/pickup_delete.html",
        {
            "child": child,
            "person": person,
            "back_url": back_url,
            "pending": pending,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Blank pre-registration form (public) ----------------------------------------------------


@require_GET
def preregistration_sheet(request):
    filename = download_filename("fiche de pré-inscription", extension="pdf")
    return content_download(editions.preregistration_pdf(), filename)
