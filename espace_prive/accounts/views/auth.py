"""Sign-in, sign-out, passwords and e-mail address of the family (and staff) login."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from .. import services
from ..forms import (
    EmailAuthenticationForm,
    EmailChangeForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from ..selectors import (
    backup_codes_remaining,
    guardian_for_user,
    partner_for_family,
    user_has_second_factor,
    user_is_back_office,
)
from .common import link_invalid


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only; the session is deleted from the store (``logout`` flushes it)."""


@login_required
def account(request):
    """Mon compte: the login's address, password, second factor, the conjoint's login."""
    user = request.user
    guardian = guardian_for_user(user)
    partner = partner_for_family(guardian.family) if guardian else None
    can_invite_partner = (
        guardian is not None
        and guardian.role == guardian.Role.PRIMARY
        and (partner is None or partner.user_id is None)
    )
    return render(
        request,
        "accounts/account.html",
        {
            "guardian": guardian,
            "partner": partner,
            "can_invite_partner": can_invite_partner,
            "has_second_factor": user_has_second_factor(user),
            "second_factor_mandatory": user_is_back_office(user),
            "backup_codes_remaining": backup_codes_remaining(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("espace_prive:accounts:account")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session signed in
        services.password_changed(request=self.request, user=form.user)
        messages.success(
            self.request,
            "Votre mot de passe a été modifié. Vos autres sessions ont été fermées.",
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    success_url = reverse_lazy("espace_prive:accounts:password_reset_done")

    def form_valid(self, form):
        services.password_reset_requested(request=self.request, email=form.cleaned_data["email"])
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Single use: the token depends on the password hash and last login."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("espace_prive:accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(request=self.request, user=form.user, reset=True)
        return response

    def render_to_response(self, context, **response_kwargs):
        if not context.get("validlink"):
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def email_change(request):
    form = EmailChangeForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_request(
                request=request, user=request.user, new_email=form.cleaned_data["new_email"]
            )
        except services.AccountError as error:
            form.add_error("new_email", error.message)
        else:
            messages.success(
                request,
                f"Un lien de confirmation a été envoyé à {form.cleaned_data['new_email']}. "
                "Votre adresse changera quand vous l'aurez suivi (il est valable 24 heures).",
            )
            return redirect("espace_prive:accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


def email_confirm(request, token):
    """Follow a confirmation link: works once, for 24 hours, signed in or not."""
    try:
        user = services.email_confirm(token=token, request=request)
    except services.LinkInvalid as error:
        return link_invalid(request, error, title="Lien de confirmation non valable")
    return render(request, "accounts/email_confirmed.html", {"confirmed_email": user.email})


@login_required
@require_POST
def email_confirmation_resend(request):
    if request.user.email_confirmed:
        messages.info(request, "Votre adresse e-mail est déjà confirmée.")
    else:
        services.email_confirmation_send(user=request.user, request=request)
        messages.success(request, f"Un nouveau lien a été envoyé à {request.user.email}.")
    target = "registration_status" if request.POST.get("from") == "demande" else "account"
    return redirect(f"espace_prive:accounts:{target}")
