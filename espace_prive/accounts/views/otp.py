"""Two-factor authentication: enrol a TOTP app (QR code served here), verify a code,
backup codes, turn it off (families only, password required)."""

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from .. import services, throttle
from ..forms import OTPCodeForm, OTPEnrolForm, PasswordConfirmForm
from ..selectors import (
    backup_codes_remaining,
    user_has_second_factor,
    user_is_back_office,
    user_is_verified,
)
from ..session_state import session_state_refresh
from .common import safe_next

NEW_BACKUP_CODES_SESSION_KEY = "_otp_new_backup_codes"


def _default_next(user):
    return (
        reverse("wagtailadmin_home") if user_is_back_office(user) else reverse("espace_prive:home")
    )


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _formatted_secret(device):
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _may_enrol(request):
    """Enrolling a new phone needs a verified session when a device already exists."""
    return user_is_verified(request.user) or not user_has_second_factor(request.user)


@never_cache
@login_required
def otp_overview(request):
    user = request.user
    return render(
        request,
        "accounts/otp_overview.html",
        {
            "has_second_factor": user_has_second_factor(user),
            "mandatory": user_is_back_office(user),
            "backup_codes_remaining": backup_codes_remaining(user),
        },
    )


@never_cache
@login_required
def otp_enrol(request):
    user = request.user
    next_url = safe_next(request, _default_next(user))
    if not _may_enrol(request):
        return redirect(_with_next("espace_prive:accounts:otp_verify", next_url))
    device = services.totp_device_pending(user=user)
    form = OTPEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_enrol_confirm(
                request=request, user=user, device=device, code=form.cleaned_data["code"]
            )
        except services.InvalidCode as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            services.session_rekey(request=request, user=user)
            session_state_refresh(request, user)
            request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, "La double authentification est activée.")
            return redirect(_with_next("espace_prive:accounts:otp_backup_codes", next_url))
    return render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "secret": _formatted_secret(device),
            "next": next_url,
            "mandatory": user_is_back_office(user),
        },
    )


@never_cache
@login_required
def otp_qrcode(request):
    """The QR code of the device being enrolled, drawn here (no external service)."""
    if not _may_enrol(request):
        return HttpResponse(status=403)
    device = services.totp_device_pending(user=request.user)
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10
    )
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
def otp_verify(request):
    user = request.user
    next_url = safe_next(request, _default_next(user))
    if user_is_verified(user):
        return redirect(next_url)
    if not user_has_second_factor(user):
        session_state_refresh(request, user)  # removed from another session meanwhile
        if user_is_back_office(user):
            return redirect(_with_next("espace_prive:accounts:otp_enrol", next_url))
        return redirect(next_url)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                request=request, user=user, code=form.cleaned_data["code"]
            )
        except throttle.Locked as locked:
            form.add_error("code", locked.message)
        except services.InvalidCode as error:
            form.add_error("code", error.message)
        else:
            otp_login(request, device)
            services.session_rekey(request=request, user=user)
            remaining = backup_codes_remaining(user)
            if remaining <= 3:
                messages.warning(
                    request,
                    f"Il vous reste {remaining} code(s) de secours : pensez à en générer "
                    "de nouveaux dans « Connexion et sécurité ».",
                )
            return redirect(next_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
def otp_backup_codes(request):
    """New codes are shown once, right after they are generated."""
    user = request.user
    if not user_has_second_factor(user):
        return redirect("espace_prive:accounts:otp_overview")
    if request.method == "POST":
        codes = services.backup_codes_generate(user=user, request=request)
    else:
        codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    return render(
        request,
        "accounts/otp_backup_codes.html",
        {
            "codes": codes,
            "remaining": backup_codes_remaining(user),
            "next": safe_next(request, reverse("espace_prive:accounts:account")),
        },
    )


@never_cache
@login_required
def otp_disable(request):
    user = request.user
    if not user_has_second_factor(user):
        return redirect("espace_prive:accounts:otp_overview")
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_disable(
                request=request, user=user, password=form.cleaned_data["password"]
            )
        except throttle.Locked as locked:
            form.add_error("password", locked.message)
        except services.AccountError as error:
            form.add_error("password", error.message)
        else:
            session_state_refresh(request, user)
            messages.success(request, "La double authentification est désactivée.")
            return redirect("espace_prive:accounts:otp_overview")
    return render(
        request,
        "accounts/otp_disable.html",
        {"form": form, "mandatory": user_is_back_office(user)},
    )
