"""Family pages of the documents: the list, sending, replacing, withdrawing, reading.

Every document is reached through ``get_document_for_family``: another family's is a
404. Files are served as attachments, never cached.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from . import selectors, services
from .forms import DocumentUploadForm


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@family_required
def document_list(request):
    today = timezone.localdate()
    entries = selectors.family_documents(request.family)
    return render(
        request,
        "documents/list.html",
        {
            "entries": entries,
            "today": today,
            "expired": [e for e in entries if e.is_expired_on(today)],
            "expiring": [e for e in entries if e.is_expiring_on(today)],
        },
    )


def _prefill(request, form):
    """« Pièces à fournir » links here with ``?type=<code>&enfant=<child id>``: the type
    and the child are chosen already, among the form's own choices (anything else is
    simply not chosen)."""
    code = request.GET.get("type", "")[:50]
    if code and "document_type" in form.fields:
        document_type = form.fields["document_type"].queryset.filter(code=code).first()
        if document_type is not None:
            form.initial["document_type"] = document_type.pk
    child_id = request.GET.get("enfant", "")
    if child_id and "child" in form.fields:
        try:
            child_id = uuid.UUID(child_id)
        except ValueError:
            return
        child = form.fields["child"].queryset.filter(public_id=child_id).first()
        if child is not None:
            form.initial["child"] = child.pk


def _upload(request, *, replacing=None):
    form_kwargs = {
        "family": request.family,
        "document_types": selectors.document_types(),
        "replacing": replacing,
    }
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_upload(
                    actor=request.user,
                    family=request.family,
                    document_type=data.get("document_type"),
                    child=data.get("child"),
                    expires_on=data.get("expires_on"),
                    file=data["file"],
                    replaces=replacing,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"« {document.document_type.name} » est envoyé. Le service va le vérifier : "
                    "vous serez prévenu·e par e-mail.",
                )
                return redirect("espace_prive:documents:list")
    else:
        form = DocumentUploadForm(**form_kwargs)
        _prefill(request, form)
    return render(
        request,
        "documents/upload.html",
        {"form": form, "replacing": replacing},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@family_required
def document_upload(request):
    return _upload(request)


@require_http_methods(["GET", "POST"])
@family_required
def document_replace(request, family_document_id):
    document = selectors.get_document_for_family(request.family, family_document_id)
    return _upload(request, replacing=document)


@require_http_methods(["GET", "POST"])
@family_required
def document_delete(request, family_document_id):
    document = selectors.get_document_for_family(request.family, family_document_id)
    error = None
    if request.method == "POST":
        try:
            services.document_delete(actor=request.user, family=request.family, document=document)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"« {document.document_type.name} » est supprimé.")
            return redirect("espace_prive:documents:list")
    return render(
        request,
        "documents/delete.html",
        {"document": document, "error": error},
        status=400 if error else 200,
    )


@require_GET
@family_required
def document_file(request, family_document_id):
    document = selectors.get_document_for_family(request.family, family_document_id)
    return private_file_download(document.file.name, *document.download_words())
