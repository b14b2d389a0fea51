"""Staff views in the Wagtail admin: import families, invitations and letters, the review
of a pré-inscription (listed in the Demandes queue). Each is guarded by a permission of
the accounts app."""

import uuid
from urllib.parse import urlencode

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import content_download, download_filename

from . import services
from .family_import import COLUMNS, MAX_CHILDREN, example_csv, import_plan
from .forms import ImportConfirmForm, ImportUploadForm, RefusalForm, StaffPartnerInviteForm
from .letters import letters_pdf
from .models import Invitation, Registration
from .permissions import MANAGE_INVITATIONS, REVIEW_REGISTRATIONS
from .security import request_origin
from .selectors import (
    invitations_for_admin,
    letters_to_print,
    registration_for_review,
)

IMPORT_SALT = "accounts.family-import"
IMPORT_MAX_AGE = 60 * 60


class AccountsAdminView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    parent = None  # (label, url name) of the page above, for the breadcrumbs

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent:
            label, url_name = self.parent
            items.append({"url": reverse(url_name), "label": label})
        return [*items, {"url": "", "label": self.get_page_title()}]


def _letters_download(issued, *words):
    return content_download(letters_pdf(issued), download_filename(*words, extension="pdf"))


# --- Import ---------------------------------------------------------------------------


class ImportView(AccountsAdminView):
    """Upload → preview (every bad line with its reasons, nothing written) → confirm."""

    permission = MANAGE_INVITATIONS
    page_title = "Importer des familles"
    template_name = "accounts/admin/import.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=COLUMNS, max_children=MAX_CHILDREN, **kwargs)

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ImportUploadForm()))

    def post(self, request):
        if "payload" in request.POST:
            return self._confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = upload.read()
        plan = import_plan(content)
        payload = signing.dumps(
            {"name": upload.name, "content": content.decode("latin-1")},
            salt=IMPORT_SALT,
            compress=True,
        )
        return self._preview(plan, upload.name, payload)

    def _preview(self, plan, filename, payload):
        self.template_name = "accounts/admin/import_preview.html"
        return self.render_to_response(
            self.get_context_data(
                plan=plan,
                filename=filename,
                confirm_form=ImportConfirmForm(initial={"payload": payload}) if plan.ok else None,
            )
        )

    def _confirm(self, request):
        form = ImportConfirmForm(request.POST)
        try:
            if not form.is_valid():
                raise signing.BadSignature
            data = signing.loads(
                form.cleaned_data["payload"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(
                request, "La prévisualisation a expiré : importez de nouveau le fichier."
            )
            return redirect("accounts_admin:import")
        content = data["content"].encode("latin-1")
        plan = import_plan(content)  # checked again: the data may have changed meanwhile
        if not plan.ok:
            return self._preview(plan, data["name"], form.cleaned_data["payload"])
        try:
            summary = services.families_import(
                actor=request.user, plan=plan, **request_origin(request)
            )
        except services.AccountError as error:
            messages.error(request, error.message)
            return redirect("accounts_admin:import")
        self.template_name = "accounts/admin/import_result.html"
        return self.render_to_response(
            self.get_context_data(summary=summary, plan=plan, filename=data["name"])
        )


class ImportExampleView(AdminPermissionMixin, View):
    permission = MANAGE_INVITATIONS

    def get(self, request):
        filename = download_filename("familles exemple", extension="csv")
        return content_download(example_csv(), filename, content_type="text/csv; charset=utf-8")


# --- Invitations ------------------------------------------------------------------------


class InvitationListView(AccountsAdminView):
    permission = MANAGE_INVITATIONS
    page_title = "Invitations"
    template_name = "accounts/admin/invitations.html"

    def get(self, request):
        state = request.GET.get("etat", "")
        channel = request.GET.get("envoi", "")
        query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: PostgreSQL
        queryset = invitations_for_admin(state=state, channel=channel, query=query)
        page = Paginator(queryset, 50).get_page(request.GET.get("p"))
        now = timezone.now()
        return self.render_to_response(
            self.get_context_data(
                page=page,
                rows=[(invitation, invitation.state(now)) for invitation in page],
                states=Invitation.State.choices,
                channels=Invitation.Channel.choices,
                state=state,
                channel=channel,
                query=query,
                letters_pending=letters_to_print().count(),
            )
        )

    def post(self, request):
        action = request.POST.get("action")
        if action == "print_pending":
            pending = list(letters_to_print())
            if not pending:
                messages.info(request, "Aucune lettre à imprimer.")
                return redirect("accounts_admin:invitations")
            issued = services.invitation_letters_issue(
                actor=request.user, invitations=pending, **request_origin(request)
            )
            return _letters_download(issued, "invitations à imprimer")
        try:
            public_id = uuid.UUID(request.POST.get("invitation") or "")
        except ValueError:
            public_id = None
        invitation = (
            Invitation.objects.select_related("guardian__family")
            .filter(public_id=public_id, used_at__isnull=True)
            .first()
            if public_id
            else None
        )
        if invitation is None:
            raise Http404("Invitation introuvable ou déjà utilisée.")
        try:
            if action == "print" and invitation.channel == Invitation.Channel.LETTER:
                issued = services.invitation_letters_issue(
                    actor=request.user, invitations=[invitation], **request_origin(request)
                )
                guardian = invitation.guardian
                return _letters_download(
                    issued, "invitation", guardian.full_name, guardian.family.reference
                )
            if action == "resend" and invitation.channel == Invitation.Channel.EMAIL:
                services.invitation_send_email(
                    actor=request.user,
                    guardian=invitation.guardian,
                    email=invitation.email,
                    **request_origin(request),
                )
                messages.success(request, f"Invitation renvoyée à {invitation.email}.")
            else:
                messages.error(request, "Action inconnue.")
        except services.AccountError as error:
            messages.error(request, error.message)
        return redirect("accounts_admin:invitations")


class StaffPartnerInviteView(AccountsAdminView):
    permission = MANAGE_INVITATIONS
    page_title = "Inviter un second responsable"
    template_name = "accounts/admin/partner_invite.html"
    parent = ("Invitations", "accounts_admin:invitations")

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=StaffPartnerInviteForm()))

    def post(self, request):
        form = StaffPartnerInviteForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "reference"}
            try:
                invitation = services.partner_invite(
                    actor=request.user, family=form.family, **request_origin(request), **data
                )
            except services.AccountError as error:
                form.add_error(None, error.message)
            else:
                if invitation.channel == Invitation.Channel.EMAIL:
                    messages.success(request, f"Invitation envoyée à {invitation.email}.")
                else:
                    messages.success(
                        request,
                        "Second responsable enregistré : imprimez sa lettre d'invitation "
                        "(« Lettres à imprimer »).",
                    )
                return redirect("accounts_admin:invitations")
        return self.render_to_response(self.get_context_data(form=form))


# --- Pré-inscriptions -------------------------------------------------------------------


# Pending pré-inscriptions are listed in the staff queue of family requests (Demandes des
# familles, type "Pré-inscription"), reviewed here, and the staff return to that queue.
QUEUE_URL_NAME = "demandes_admin:index"
QUEUE_REGISTRATION_TYPE = "pre_inscription"


class RegistrationListView(AdminPermissionMixin, View):
    """The former list of pré-inscriptions: now the queue, filtered on their type."""

    permission = REVIEW_REGISTRATIONS

    def get(self, request):
        status = request.GET.get("etat", Registration.Status.PENDING)
        if status == "toutes":
            status = ""
        elif status not in Registration.Status.values:
            status = Registration.Status.PENDING
        query = urlencode({"section": QUEUE_REGISTRATION_TYPE, "state": status})
        return redirect(f"{reverse(QUEUE_URL_NAME)}?{query}")


class RegistrationDetailView(AccountsAdminView):
    permission = REVIEW_REGISTRATIONS
    template_name = "accounts/admin/registration_detail.html"
    parent = ("Demandes des familles", QUEUE_URL_NAME)

    def load(self, public_id):
        try:
            self.registration = registration_for_review(public_id)
        except Registration.DoesNotExist:
            raise Http404("Pré-inscription introuvable.") from None

    def get_page_title(self):
        return f"Pré-inscription de {self.registration.full_name}"

    def get(self, request, public_id):
        return self.render_to_response(
            self.get_context_data(registration=self.registration, refusal_form=RefusalForm())
        )

    def post(self, request, public_id):
        action = request.POST.get("action")
        refusal_form = RefusalForm(request.POST if action == "refuse" else None)
        try:
            if action == "accept":
                registration = services.registration_accept(
                    actor=request.user, registration=self.registration, **request_origin(request)
                )
                messages.success(
                    request,
                    f"Demande acceptée : famille {registration.family.reference} créée, "
                    "e-mail de bienvenue envoyé.",
                )
                return redirect(QUEUE_URL_NAME)
            if action == "refuse" and refusal_form.is_valid():
                services.registration_refuse(
                    actor=request.user,
                    registration=self.registration,
                    reason=refusal_form.cleaned_data["reason"],
                    **request_origin(request),
                )
                messages.success(request, "Demande refusée : le motif a été envoyé par e-mail.")
                return redirect(QUEUE_URL_NAME)
        except services.AccountError as error:
            messages.error(request, error.message)
        self.registration = registration_for_review(public_id)
        return self.render_to_response(
            self.get_context_data(registration=self.registration, refusal_form=refusal_form),
            status=400,
        )
