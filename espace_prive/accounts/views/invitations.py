"""Invited guardians create their login: by e-mail link, or with a letter's access code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .. import services, throttle
from ..forms import AccessCodeForm, InvitationPasswordForm, LetterAccountForm, PartnerInviteForm
from ..models import Invitation
from ..security import request_origin
from ..selectors import guardian_for_user, partner_for_family
from .common import link_invalid

INVITATION_TOKEN_SESSION_KEY = "_invitation_token"
INVITATION_CODE_SESSION_KEY = "_invitation_by_code"


def invitation_accept(request, token):
    """The link of the e-mail: checked, then kept in the session (not in the address bar)."""
    try:
        services.invitation_for_token(token)
    except services.LinkInvalid as error:
        return link_invalid(request, error, title="Invitation non valable")
    request.session[INVITATION_TOKEN_SESSION_KEY] = token
    return redirect("espace_prive:accounts:invitation_password")


def invitation_password(request):
    token = request.session.get(INVITATION_TOKEN_SESSION_KEY)
    try:
        invitation = services.invitation_for_token(token)
    except services.LinkInvalid as error:
        return link_invalid(request, error, title="Invitation non valable")
    form = InvitationPasswordForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"], request=request
            )
        except services.LinkInvalid as error:
            return link_invalid(request, error, title="Invitation non valable")
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            del request.session[INVITATION_TOKEN_SESSION_KEY]
            messages.success(
                request,
                "Votre compte est prêt. Connectez-vous avec votre adresse e-mail et le mot de "
                "passe que vous venez de choisir.",
            )
            return redirect("espace_prive:accounts:login")
    return render(
        request,
        "accounts/invitation_password.html",
        {"form": form, "invitation": invitation, "guardian": invitation.guardian},
    )


def access_code(request):
    """Step 1 for a letter: the access code printed on it."""
    if request.user.is_authenticated:
        return redirect("espace_prive:home")
    form = AccessCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_for_code(
                request=request, code=form.cleaned_data["code"]
            )
        except throttle.Locked as locked:
            form.add_error("code", locked.message)
        except services.LinkInvalid as error:
            form.add_error("code", error.message)
        else:
            request.session[INVITATION_CODE_SESSION_KEY] = str(invitation.public_id)
            return redirect("espace_prive:accounts:access_code_account")
    return render(request, "accounts/access_code.html", {"form": form})


def access_code_account(request):
    """Step 2 for a letter: the guardian's e-mail address and password."""
    if request.user.is_authenticated:
        return redirect("espace_prive:home")
    public_id = request.session.get(INVITATION_CODE_SESSION_KEY)
    invitation = (
        Invitation.objects.select_related("guardian__family")
        .filter(public_id=public_id, channel=Invitation.Channel.LETTER)
        .first()
        if public_id
        else None
    )
    if invitation is None:
        return redirect("espace_prive:accounts:access_code")
    form = LetterAccountForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except services.LinkInvalid as error:
            del request.session[INVITATION_CODE_SESSION_KEY]
            return link_invalid(request, error, title="Code d'accès non valable")
        except services.AccountError as error:
            form.add_error("email", error.message)
        else:
            del request.session[INVITATION_CODE_SESSION_KEY]
            messages.success(
                request,
                f"Votre compte est créé. Un lien de confirmation a été envoyé à {user.email} ; "
                "vous pouvez déjà vous connecter.",
            )
            return redirect("espace_prive:accounts:login")
    try:
        services.invitation_check_open(invitation)
    except services.LinkInvalid as error:
        del request.session[INVITATION_CODE_SESSION_KEY]
        return link_invalid(request, error, title="Code d'accès non valable")
    return render(
        request,
        "accounts/access_code_account.html",
        {"form": form, "guardian": invitation.guardian},
    )


@login_required
def partner_invite(request):
    """The first guardian invites the second one (conjoint), who gets their own login."""
    guardian = guardian_for_user(request.user)
    if guardian is None or guardian.role != guardian.Role.PRIMARY:
        raise Http404("Seul le responsable 1 peut inviter le second responsable.")
    partner = partner_for_family(guardian.family)
    if partner is not None and partner.user_id:
        messages.info(request, f"{partner.full_name} a déjà son propre compte.")
        return redirect("espace_prive:accounts:account")
    initial = {}
    if partner is not None:
        initial = {
            "civility": partner.civility,
            "first_name": partner.first_name,
            "last_name": partner.last_name,
            "email": partner.email,
        }
    if partner is None:
        return render(request, "accounts/partner_invite.html", {"partner": None})
    form = PartnerInviteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_invite(
                actor=request.user,
                family=guardian.family,
                **request_origin(request),
                **form.cleaned_data,
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"L'invitation a été envoyée à {form.cleaned_data['email']}. Elle est valable "
                "quelques jours : le lien permet de choisir un mot de passe.",
            )
            return redirect("espace_prive:accounts:account")
    return render(request, "accounts/partner_invite.html", {"form": form, "partner": partner})
