"""Family pages of the messaging: the inbox, « Nous contacter », a thread, attachments.

Every thread and attachment is reached through a family-scoped selector: another
family's is a 404. Opening a thread marks it read for this guardian only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from . import preferences, selectors, services
from .forms import ContactForm, MessageForm, PreferencesForm


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_GET
@family_required
def inbox(request):
    threads = list(selectors.threads_for_family(request.family, request.user))
    return render(request, "messaging/inbox.html", {"threads": threads})


@require_http_methods(["GET", "POST"])
@family_required
def contact(request):
    if request.method == "POST":
        form = ContactForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.thread_start(
                    actor=request.user,
                    family=request.family,
                    subject=data["subject"],
                    topic=data["topic"],
                    body=data["body"],
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Votre message est envoyé au service.")
                return redirect("espace_prive:messaging:thread", thread.public_id)
    else:
        form = ContactForm()
    return render(
        request, "messaging/contact.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@family_required
def thread_detail(request, thread_id):
    thread = selectors.get_thread_for_family(request.family, thread_id)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.message_post(
                    actor=request.user,
                    thread=thread,
                    family=request.family,
                    body=form.cleaned_data["body"],
                    attachments=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Votre réponse est envoyée.")
                return redirect("espace_prive:messaging:thread", thread.public_id)
    else:
        form = MessageForm()
    thread_messages = list(selectors.messages_of_thread(thread))
    if request.method == "GET":
        services.thread_mark_read(actor=request.user, thread=thread)
    return render(
        request,
        "messaging/thread.html",
        {"thread": thread, "thread_messages": thread_messages, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@family_required
def attachment_file(request, attachment_id):
    attachment = selectors.get_attachment_for_family(request.family, attachment_id)
    return private_file_download(attachment.file.name, *attachment.download_words())


@require_http_methods(["GET", "POST"])
@family_required
def notification_preferences(request):
    """Which e-mails this guardian receives (the other guardian chooses for themself)."""
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences.preferences_update(actor=request.user, values=form.cleaned_data)
            messages.success(request, "Vos préférences d'e-mail sont enregistrées.")
            return redirect("espace_prive:messaging:preferences")
    else:
        form = PreferencesForm(initial=preferences.preferences_for(request.user))
    return render(request, "messaging/preferences.html", {"form": form})
