"""Bearer tokens for the REST API (``Authorization: Bearer pf_…``), checked against the
hashes kept by ``espace_prive.accounts``."""

from drf_spectacular.authentication import SessionScheme as BaseSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.authentication import SessionAuthentication as BaseSessionAuthentication

from espace_prive.accounts import services

KEYWORD = "Bearer"


class ApiTokenAuthentication(BaseAuthentication):
    """A short-lived, revocable token obtained at ``/api/v1/auth/token/``."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête Authorization mal formé : « Bearer <jeton> » attendu.",
                code="token_invalid",
            )
        try:
            secret = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                "Jeton d'authentification invalide.", code="token_invalid"
            ) from None
        try:
            return services.api_token_for_secret(secret)
        except services.AccountError as error:
            raise exceptions.AuthenticationFailed(error.message, code=error.code) from None

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


# Django's CSRF reasons (django.middleware.csrf.REASON_…) are English and not translated.
CSRF_REASONS = {
    "CSRF cookie not set.": "le cookie CSRF est absent (rechargez la page)",
    "CSRF token missing.": "le jeton CSRF est absent (en-tête X-CSRFToken)",
    "Referer checking failed - no Referer.": "l'en-tête Referer est absent",
}
CSRF_MESSAGE = (
    "Vérification CSRF échouée : {reason}. Une session de navigateur doit envoyer le jeton "
    "CSRF ; une application utilise plutôt un jeton d'API (Authorization: Bearer …)."
)


class SessionAuthentication(BaseSessionAuthentication):
    """DRF's session authentication, its CSRF refusal in French (code ``csrf_failed``)."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as error:
            english = str(error.detail).removeprefix("CSRF Failed: ")
            reason = CSRF_REASONS.get(english, "le jeton CSRF est invalide ou l'origine refusée")
            raise exceptions.PermissionDenied(
                CSRF_MESSAGE.format(reason=reason), code="csrf_failed"
            ) from None


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "jetonApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "pf_…",
            "description": (
                "Jeton obtenu par POST /api/v1/auth/token/ (e-mail, mot de passe et code "
                "de double authentification s'il est activé). Durée de vie courte ; "
                "révocable par DELETE /api/v1/auth/token/."
            ),
        }


class SessionScheme(BaseSessionScheme):
    target_class = "api.authentication.SessionAuthentication"
