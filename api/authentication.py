"""Bearer tokens for the REST API (``Authorization: Bearer pf_…``), checked against the
hashes kept by ``espace_prive.accounts``."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

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
