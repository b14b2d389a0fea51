"""Request-level guards of the accounts domain.

Order in MIDDLEWARE: after AuthenticationMiddleware, OTPMiddleware and messages.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .audit import audit_record
from .models import AuditEvent
from .selectors import user_is_back_office, user_is_verified
from .session_state import (
    session_has_second_factor,
    session_is_applicant,
    session_is_back_office,
    session_mark_back_office,
)

LAST_ACTIVITY_KEY = "_portail_last_activity"
# The session is written at most once a minute just to note activity.
ACTIVITY_WRITE_INTERVAL = 60
API_PREFIX = "/api/"
ACCOUNTS_NAMESPACE = "espace_prive:accounts"


def _wants_json(request):
    return request.path_info.startswith(API_PREFIX)


def _json_error(code, message, status):
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _redirect_with_next(request, url_name):
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(url_name)}?{query}")


def _view_name(request):
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _admin_prefix():
    return reverse("wagtailadmin_home")


def _back_office(request):
    """Staff for the request: on admin paths Wagtail's own permission check (whose cache
    the admin views reuse); elsewhere the user's flags or the fact kept in the session at
    sign-in, so that someone who reaches the admin through a group permission (without
    ``is_staff``) is held to the same second factor and idle timeout everywhere."""
    user = request.user
    if request.path_info.startswith(_admin_prefix()):
        back_office = user_is_back_office(user)
        if back_office and hasattr(request, "session"):
            session_mark_back_office(request)
        return back_office
    if user.is_staff or user.is_superuser:
        return True
    return hasattr(request, "session") and session_is_back_office(request)


class SessionIdleTimeoutMiddleware:
    """End a signed-in session after a period without requests (shorter for staff)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            timeout = (
                settings.SESSION_IDLE_TIMEOUT_STAFF
                if _back_office(request)
                else settings.SESSION_IDLE_TIMEOUT_FAMILY
            )
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > timeout:
                audit_record(
                    AuditEvent.Kind.SESSION_EXPIRED,
                    request=request,
                    user=user,
                    details={"idle_seconds": now - last},
                )
                logout(request)  # flushes the session from the store
                if _wants_json(request):
                    return _json_error(
                        "session_expired",
                        "Votre session a expiré après une période d'inactivité.",
                        401,
                    )
                messages.info(
                    request,
                    f"Votre session a expiré après {timeout // 60} minutes sans activité : "
                    "reconnectez-vous pour continuer.",
                )
                if request.method == "GET":
                    return _redirect_with_next(request, f"{ACCOUNTS_NAMESPACE}:login")
                return redirect(f"{ACCOUNTS_NAMESPACE}:login")
            if last is None or now - last >= ACTIVITY_WRITE_INTERVAL:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """No back-office (nor private area, nor API) answer before the second factor.

    A staff session that signed in with its password only is sent to enrol (no device)
    or to type a code (device); so is a family session when the family enrolled. Only
    the pages needed to do that, and to sign out, stay open.
    """

    ALLOWED_VIEWS = {
        *(
            f"{ACCOUNTS_NAMESPACE}:{name}"
            for name in ("otp_verify", "otp_enrol", "otp_qrcode", "logout")
        ),
        # The token endpoints authenticate by themselves (credentials or bearer token).
        "api:auth-token",
        "api:auth-token-revoke",
    }

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.SECOND_FACTOR_PROTECTED_PREFIXES)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(self.prefixes):
            return None
        if _view_name(request) in self.ALLOWED_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or user_is_verified(user):
            return None
        if not (_back_office(request) or session_has_second_factor(request)):
            return None
        if _wants_json(request):
            return _json_error(
                "otp_required",
                "Double authentification requise : validez votre code sur le portail, "
                "ou utilisez un jeton d'API.",
                403,
            )
        if session_has_second_factor(request):
            return _redirect_with_next(request, f"{ACCOUNTS_NAMESPACE}:otp_verify")
        return _redirect_with_next(request, f"{ACCOUNTS_NAMESPACE}:otp_enrol")


class ApplicantRestrictionMiddleware:
    """An applicant's login (pré-inscription not accepted yet) only follows its request."""

    ALLOWED_VIEWS = {
        f"{ACCOUNTS_NAMESPACE}:{name}"
        for name in (
            "registration_status",
            "logout",
            "email_confirm",
            "email_confirmation_resend",
            "password_change",
        )
    } | {"api:auth-token", "api:auth-token-revoke"}
    PREFIXES = ("/espace-famille/", API_PREFIX, "/documents/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(self.PREFIXES):
            return None
        if _view_name(request) in self.ALLOWED_VIEWS:
            return None
        if not request.user.is_authenticated or not session_is_applicant(request):
            return None
        if _wants_json(request):
            return _json_error(
                "registration_pending",
                "Votre demande de pré-inscription n'a pas encore été acceptée.",
                403,
            )
        return redirect(f"{ACCOUNTS_NAMESPACE}:registration_status")
