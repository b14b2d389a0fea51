"""OpenAPI schema: the REST API's routes only, each with the errors it can answer."""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

REST_API_PREFIX = "/api/v1/"

ERROR_SCHEMA = inline_serializer(
    name="Erreur",
    fields={
        "error": inline_serializer(
            name="ErreurDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(),
            },
        )
    },
)


def error_response(description):
    return OpenApiResponse(response=ERROR_SCHEMA, description=description)


def only_rest_api_endpoints(endpoints, **kwargs):
    """Keep the portal's REST API; Wagtail's admin and content APIs are documented apart."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(REST_API_PREFIX)]


class AutoSchema(BaseAutoSchema):
    """Adds the API's common errors, in its one error shape, to every operation that
    does not describe them itself."""

    def _common_errors(self):
        errors = {}
        permission_classes = getattr(self.view, "permission_classes", [])
        needs_auth = any(issubclass(p, permissions.IsAuthenticated) for p in permission_classes)
        # A permission with its own message (the family guardian's) may refuse with 403.
        restricted = any(getattr(p, "message", None) for p in permission_classes)
        if restricted and self.method in ("POST", "PUT", "PATCH"):
            errors["400"] = "Données invalides : le détail par champ est dans error.fields."
        elif self.method == "GET" and self._query_parameters_of_its_own():
            errors["400"] = "Paramètre invalide : le détail est dans error.fields."
        if needs_auth:
            errors["401"] = "Non authentifié : jeton absent, invalide, expiré ou révoqué."
        if restricted:
            errors["403"] = "Ce compte n'a pas de dossier famille."
        if "{" in self.path:
            errors["404"] = "Introuvable, ou appartenant à une autre famille."
        elif restricted and self.method == "POST":
            # The body names an object (a child, a thread…) looked up in the family.
            errors["404"] = (
                "Un objet nommé dans la requête est introuvable, ou appartient à une autre famille."
            )
        elif self.method == "GET" and self._is_list_view() and self._get_paginator():
            errors["404"] = "Page inexistante (paramètre page)."
        return errors

    def _query_parameters_of_its_own(self):
        """Query parameters the view declares (dates, filters), beyond pagination."""
        return any(
            getattr(parameter, "location", None) == "query"
            for parameter in self.get_override_parameters()
        )

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A read-only choice loses ``allow_blank`` in DRF; the value read may still be
        # blank when the model allows it.
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and "" not in schema.get("enum", [""])
            and _blank_in_model(field)
        ):
            schema["enum"] = [*schema["enum"], ""]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response" or not self.path.startswith(REST_API_PREFIX):
            return responses
        for code, description in self._common_errors().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(description), code, direction=direction
                )
        return dict(sorted(responses.items()))


def _blank_in_model(field):
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return model._meta.get_field(field.source).blank
    except Exception:  # not a model field (a property, an annotation)
        return False
