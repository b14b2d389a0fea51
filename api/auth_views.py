"""Obtain and revoke API tokens."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from espace_prive.accounts import services, throttle
from espace_prive.accounts.models import ApiToken
from espace_prive.accounts.security import request_origin
from espace_prive.accounts.selectors import (
    user_has_second_factor,
    user_is_applicant,
    user_needs_second_factor,
)

from .authentication import ApiTokenAuthentication
from .schema import error_response


class Locked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked"


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label="Adresse e-mail")
    password = serializers.CharField(label="Mot de passe", trim_whitespace=False)
    otp_code = serializers.CharField(
        label="Code de double authentification",
        required=False,
        allow_blank=True,
        help_text="Obligatoire si la double authentification est activée (toujours pour "
        "le personnel) : code à 6 chiffres de l'application, ou code de secours.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="À envoyer dans l'en-tête Authorization: Bearer …")
    token_type = serializers.CharField(default="Bearer")
    expires_at = serializers.DateTimeField()


class TokenInfoSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


def _error(description):
    return error_response(description)


def _revoke(request):
    token = request.auth
    if not isinstance(token, ApiToken):
        raise exceptions.NotAuthenticated(
            "Envoyez le jeton à révoquer dans l'en-tête Authorization: Bearer …"
        )
    services.api_token_revoke(actor=request.user, token=token, **request_origin(request))
    return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """POST: obtain a token; GET: the token sent in the header; DELETE: revoke it."""

    authentication_classes = [ApiTokenAuthentication]

    def get_authenticators(self):
        # Obtaining a token uses the credentials in the body only: a stale token left in
        # the client's header must not make it fail.
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_authenticate_header(self, request):
        # Refusals answer 401 with the scheme to use, for POST too.
        return ApiTokenAuthentication().authenticate_header(request)

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_obtain",
        summary="Obtenir un jeton d'API",
        description=(
            "Échange l'adresse e-mail et le mot de passe (et le code de double "
            "authentification quand elle est activée) contre un jeton de courte durée. "
            "Après 5 échecs pour un compte depuis une même adresse IP, ce couple est "
            "bloqué 15 minutes (429)."
        ),
        request=TokenRequestSerializer,
        responses={
            201: TokenSerializer,
            400: _error("Données invalides"),
            401: _error("Identifiants ou code incorrects, ou code requis (otp_required)"),
            403: _error("Double authentification à activer, ou demande en attente"),
            429: _error("Trop d'échecs : couple compte + IP bloqué"),
        },
        auth=[],
        tags=["authentification"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.credentials_check(
                request=request, email=data["email"], password=data["password"], channel="api"
            )
        except throttle.Locked as locked:
            raise Locked(locked.message) from None
        except services.InvalidCredentials as error:
            raise exceptions.AuthenticationFailed(error.message, code=error.code) from None
        if user_is_applicant(user):
            raise exceptions.PermissionDenied(
                "Votre demande de pré-inscription n'a pas encore été acceptée.",
                code="registration_pending",
            )
        if user_has_second_factor(user):
            code = data.get("otp_code", "")
            if not code:
                raise exceptions.AuthenticationFailed(
                    "Code de double authentification requis (champ otp_code).",
                    code="otp_required",
                )
            try:
                services.second_factor_check(request=request, user=user, code=code)
            except throttle.Locked as locked:
                raise Locked(locked.message) from None
            except services.InvalidCode as error:
                raise exceptions.AuthenticationFailed(error.message, code=error.code) from None
        elif user_needs_second_factor(user):
            raise exceptions.PermissionDenied(
                "La double authentification est obligatoire pour le personnel : "
                "activez-la sur le portail avant de demander un jeton.",
                code="otp_enrolment_required",
            )
        secret, token = services.api_token_create(request=request, user=user)
        body = TokenSerializer(
            {"token": secret, "token_type": "Bearer", "expires_at": token.expires_at}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="auth_token_info",
        summary="Jeton utilisé : compte et expiration",
        responses={
            200: TokenInfoSerializer,
            401: _error("Jeton absent, invalide, expiré ou révoqué"),
        },
        tags=["authentification"],
    )
    def get(self, request):
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(
                "Envoyez le jeton dans l'en-tête Authorization: Bearer …"
            )
        return Response(TokenInfoSerializer(token).data)

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="Révoquer le jeton utilisé",
        request=None,
        responses={204: None, 401: _error("Jeton absent, invalide, expiré ou révoqué")},
        tags=["authentification"],
    )
    def delete(self, request):
        return _revoke(request)


class TokenRevokeView(APIView):
    """POST: revoke the token sent in the header (for clients that cannot send DELETE)."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_token_revoke_post",
        summary="Révoquer le jeton utilisé (POST)",
        request=None,
        responses={204: None, 401: _error("Jeton absent, invalide, expiré ou révoqué")},
        tags=["authentification"],
    )
    def post(self, request):
        return _revoke(request)
