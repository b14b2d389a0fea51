"""REST API of the family file: read the file, propose changes (requests), follow them.

Same rules as the pages: a signed-in guardian sees only their family; another family's
objects are 404; a change is a request validated by staff; the same forms validate.
"""

from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from espace_prive.demandes import selectors as request_selectors
from espace_prive.demandes import services as request_services
from espace_prive.demandes.models import ChangeRequest
from espace_prive.downloads import private_file_download
from espace_prive.families import selectors
from espace_prive.families.files import file_words
from espace_prive.families.forms import section_form_class
from espace_prive.families.models import Child, Guardian
from espace_prive.families.sections import (
    SECTIONS,
    Operation,
    resolve_target,
    target_names,
)

from ..schema import error_response
from . import serializers as api_serializers

TAG_FILE = "Dossier famille"
TAG_REQUESTS = "Demandes"


class IsFamilyGuardian(permissions.BasePermission):
    """A signed-in guardian of a family; the family is kept on the request."""

    message = "Aucun dossier famille n'est rattaché à ce compte."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        family = selectors.family_for_user(request.user)
        if family is None:
            return False
        request.family = family
        return True


class FamilyScopedMixin:
    permission_classes = [permissions.IsAuthenticated, IsFamilyGuardian]

    @property
    def family(self):
        return self.request.family

    def handle_exception(self, exc):
        # A family-scoped lookup raises Django's 404: answer it with the API's not_found.
        if isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Introuvable.")
        return super().handle_exception(exc)

    @property
    def is_schema_generation(self):
        """drf-spectacular builds the schema without a signed-in family."""
        return getattr(self, "swagger_fake_view", False)


class FamilyView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.FamilySerializer

    @extend_schema(
        tags=[TAG_FILE],
        summary="Le dossier de ma famille",
        operation_id="family_retrieve",
        responses=api_serializers.FamilySerializer,
    )
    def get(self, request):
        return Response(self.get_serializer(self.family).data)


@extend_schema_view(
    list=extend_schema(tags=[TAG_FILE], summary="Les responsables légaux de ma famille"),
    retrieve=extend_schema(tags=[TAG_FILE], summary="Un responsable légal"),
)
class GuardianViewSet(FamilyScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = api_serializers.GuardianSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    pagination_class = None

    def get_queryset(self):
        if self.is_schema_generation:
            return Guardian.objects.none()
        return selectors.guardians_for_family(self.family)

    def get_object(self):
        return selectors.get_guardian_for_family(self.family, self.kwargs["public_id"])


@extend_schema_view(
    list=extend_schema(tags=[TAG_FILE], summary="Mes enfants"),
    retrieve=extend_schema(tags=[TAG_FILE], summary="Un enfant"),
)
class ChildViewSet(FamilyScopedMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = api_serializers.ChildSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    pagination_class = None

    def get_queryset(self):
        if self.is_schema_generation:
            return Child.objects.none()
        return selectors.children_for_family(self.family)

    def get_object(self):
        return selectors.get_child_for_family(self.family, self.kwargs["public_id"])

    @extend_schema(
        tags=[TAG_FILE],
        summary="Les données sanitaires d'un enfant",
        responses=api_serializers.HealthRecordSerializer,
    )
    @action(detail=True, url_path="health-record", url_name="health-record")
    def health_record(self, request, public_id=None):
        record = selectors.health_record_for_child(self.get_object())
        return Response(api_serializers.HealthRecordSerializer(record).data)

    @extend_schema(
        tags=[TAG_FILE],
        summary="Les personnes autorisées à récupérer un enfant",
        responses=api_serializers.PickupPersonSerializer(many=True),
    )
    @action(detail=True, url_path="pickup-persons", url_name="pickup-persons")
    def pickup_persons(self, request, public_id=None):
        persons = selectors.pickup_persons_for_child(self.get_object())
        return Response(api_serializers.PickupPersonSerializer(persons, many=True).data)

    @extend_schema(
        tags=[TAG_FILE],
        summary="La photo d'un enfant (JPEG)",
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="La photo."),
            404: error_response("Pas de photo, ou enfant d'une autre famille."),
        },
    )
    @action(detail=True, url_path="photo", url_name="photo")
    def photo(self, request, public_id=None):
        child = self.get_object()
        words = file_words("photo", family=self.family, child=child)
        return private_file_download(child.photo.name, *words)


WRONG_TYPE_YES_NO = "Envoyez true, false ou null."
WRONG_TYPE_TEXT = "Envoyez une chaîne de caractères, un nombre ou null."
WRONG_TYPE_LIST = "Envoyez une liste de codes (chaînes de caractères), éventuellement vide."


def _is_yes_no(form_field):
    return isinstance(form_field, forms.TypedChoiceField) and {
        value for value, _ in form_field.choices
    } >= {"oui", "non"}


def _form_value(value):
    """A JSON value as a form would receive it (booleans are the forms' yes/no)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):  # a multiple choice (the codes checked)
        return [str(item) for item in value]
    return str(value)


def _wrong_types(form_class, changes):
    """Errors for JSON values of the wrong type: a yes/no question takes a boolean,
    a multiple choice a list of codes, any other field a string or a number."""
    errors = {}
    for name, value in changes.items():
        form_field = form_class.base_fields.get(name)
        if form_field is None or value is None:
            continue
        if _is_yes_no(form_field):
            if not isinstance(value, bool):
                errors[name] = [WRONG_TYPE_YES_NO]
        elif isinstance(form_field, forms.MultipleChoiceField):
            if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
                errors[name] = [WRONG_TYPE_LIST]
        elif isinstance(value, (bool, list, dict)):
            errors[name] = [WRONG_TYPE_TEXT]
    return errors


def _current_form_value(instance, name):
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if isinstance(field, models.ForeignKey):
        return str(value.public_id) if value is not None else ""
    if isinstance(field, models.DateField) and value is not None:
        return value.isoformat()
    return _form_value(value)


def _django_error_detail(error):
    if hasattr(error, "error_dict"):
        return {
            name if name != "__all__" else "non_field_errors": messages
            for name, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


@extend_schema_view(
    list=extend_schema(
        tags=[TAG_REQUESTS],
        summary="Mes demandes (en attente, et traitées depuis un mois)",
    ),
    retrieve=extend_schema(tags=[TAG_REQUESTS], summary="Une demande"),
    create=extend_schema(
        tags=[TAG_REQUESTS],
        summary="Proposer une modification du dossier (crée une demande)",
        request={
            "application/json": api_serializers.RequestCreateSerializer,
            "multipart/form-data": api_serializers.RequestCreateSerializer,
        },
        responses={
            201: api_serializers.RequestSerializer,
            404: error_response("Responsable, enfant ou personne autorisée introuvable."),
        },
    ),
)
class RequestViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.RequestSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if self.is_schema_generation:
            return ChangeRequest.objects.none()
        return request_selectors.requests_for_family(self.family)

    def get_object(self):
        return request_selectors.get_request_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.RequestCreateSerializer
        return api_serializers.RequestSerializer

    def _targets(self, section, operation, data):
        """Resolve the public ids to the family's own objects (404 for anybody else's);
        the section says which ones a request of it names."""
        family = self.family
        targets = {}
        if data.get("guardian"):
            targets["guardian"] = selectors.get_guardian_for_family(family, data["guardian"])
        if data.get("child"):
            targets["child"] = selectors.get_child_for_family(family, data["child"])
        if data.get("pickup_person"):
            if "child" not in targets:
                raise serializers.ValidationError(
                    {"child": ["Indiquez l'enfant de cette personne autorisée."]}
                )
            targets["pickup_person"] = selectors.get_pickup_person_for_child(
                targets["child"], data["pickup_person"]
            )
        expected = set(target_names(section, operation))
        errors = {
            name: ["Ce champ est obligatoire pour cette rubrique."]
            for name in expected - set(targets)
        }
        for name in set(targets) - expected:
            errors[name] = ["Ce champ ne s'applique pas à cette rubrique."]
        if errors:
            raise serializers.ValidationError(errors)
        return targets

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        section = SECTIONS[data["section"]]
        operation = data["operation"]
        if not section.allows(operation):
            raise serializers.ValidationError(
                {"operation": [f"La rubrique « {section.label} » ne permet pas cette opération."]}
            )
        targets = self._targets(section, operation, data)
        instance = resolve_target(section, operation, family=self.family, **targets)
        changes = data.get("changes") or {}
        files = {name: data[name] for name in section.file_fields if name in data}
        stray_files = {"photo", "pai_document", "qf_proof"} & set(data) - set(files)
        unknown = sorted(set(changes) - set(section.fields)) + sorted(stray_files)
        misplaced = sorted(set(changes) & set(section.file_fields))
        if unknown or misplaced:
            raise serializers.ValidationError(
                {
                    "changes": {
                        **{
                            name: [f"Champ inconnu pour la rubrique « {section.label} »."]
                            for name in unknown
                        },
                        **{
                            name: ["Envoyez ce fichier en multipart/form-data, sous ce nom."]
                            for name in misplaced
                        },
                    }
                }
            )
        values = {}
        if operation != Operation.DELETE:
            form_class = section_form_class(section.key)
            wrong_types = _wrong_types(form_class, changes)
            if wrong_types:
                raise serializers.ValidationError({"changes": wrong_types})
            form_data = {}
            for name in section.fields:
                if name in section.file_fields:
                    continue
                if name in changes:
                    form_data[name] = _form_value(changes[name])
                elif operation == Operation.UPDATE:
                    form_data[name] = _current_form_value(instance, name)
            form = form_class(data=form_data, files=files, instance=instance)
            if not form.is_valid():
                raise serializers.ValidationError(
                    {"changes": {name: list(errors) for name, errors in form.errors.items()}}
                )
            values = form.values()
        try:
            change_request = request_services.request_create(
                actor=request.user,
                family=self.family,
                section=section,
                operation=operation,
                values=values,
                **targets,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(_django_error_detail(error)) from error
        except DjangoPermissionDenied as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        change_request = request_selectors.get_request_for_family(
            self.family, change_request.public_id
        )
        return Response(
            api_serializers.RequestSerializer(change_request).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=[TAG_REQUESTS],
        summary="Annuler une demande en attente",
        request=None,
        responses={200: api_serializers.RequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, public_id=None):
        change_request = self.get_object()
        try:
            request_services.request_cancel(
                actor=request.user, family=self.family, change_request=change_request
            )
        except request_services.RequestAlreadyDecided as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error
        change_request = self.get_object()
        return Response(api_serializers.RequestSerializer(change_request).data)


@extend_schema(
    tags=[TAG_REQUESTS],
    summary="Les rubriques du dossier et leurs champs",
    responses=api_serializers.SectionSerializer(many=True),
)
class SectionListView(FamilyScopedMixin, APIView):
    def get(self, request):
        data = [
            {
                "key": section.key,
                "label": section.label,
                "scope": section.scope,
                "operations": list(section.operations),
                "fields": list(section.fields),
                "file_fields": list(section.file_fields),
                "auto_applied": request_services.section_applies_at_once(section),
            }
            for section in SECTIONS.values()
        ]
        return Response(api_serializers.SectionSerializer(data, many=True).data)
