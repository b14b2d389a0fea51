"""REST API of the document store: the same rules as the pages (family-scoped, 404 for
anybody else's, files checked by content, an accepted document only replaced)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from api.families.views import FamilyScopedMixin, _django_error_detail
from espace_prive.documents import selectors, services
from espace_prive.documents.models import Document, DocumentType
from espace_prive.downloads import private_file_download
from espace_prive.families import selectors as family_selectors

from ..schema import error_response
from . import serializers as api_serializers

TAG = "Documents"


def _invalid(error):
    return serializers.ValidationError(_django_error_detail(error))


@extend_schema_view(list=extend_schema(tags=[TAG], summary="Les types de documents"))
class DocumentTypeViewSet(FamilyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = api_serializers.DocumentTypeSerializer
    pagination_class = None

    def get_queryset(self):
        if self.is_schema_generation:
            return DocumentType.objects.none()
        return selectors.document_types()


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary="Mes documents (les plus récents d'abord)"),
    retrieve=extend_schema(tags=[TAG], summary="Un document"),
    create=extend_schema(
        tags=[TAG],
        summary="Envoyer un document",
        request={"multipart/form-data": api_serializers.DocumentUploadSerializer},
        responses={201: api_serializers.DocumentSerializer},
    ),
    destroy=extend_schema(tags=[TAG], summary="Retirer un document non accepté"),
)
class DocumentViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.DocumentSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if self.is_schema_generation:
            return Document.objects.none()
        return selectors.documents_for_family(self.family)

    def get_object(self):
        return selectors.get_document_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.DocumentUploadSerializer
        if self.action == "replace":
            return api_serializers.DocumentReplaceSerializer
        return api_serializers.DocumentSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = None
        if data.get("child"):
            child = family_selectors.get_child_for_family(self.family, data["child"])
        try:
            document = services.document_upload(
                actor=request.user,
                family=self.family,
                document_type=services.document_type_for_code(data["document_type"]),
                child=child,
                expires_on=data.get("expires_on"),
                file=data["file"],
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(
            api_serializers.DocumentSerializer(document).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        try:
            services.document_delete(
                actor=request.user, family=self.family, document=self.get_object()
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        tags=[TAG],
        summary="Remplacer un document par un plus récent",
        request={"multipart/form-data": api_serializers.DocumentReplaceSerializer},
        responses={201: api_serializers.DocumentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="replace", url_name="replace")
    def replace(self, request, public_id=None):
        document = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            new = services.document_upload(
                actor=request.user,
                family=self.family,
                document_type=None,
                expires_on=serializer.validated_data.get("expires_on"),
                file=serializer.validated_data["file"],
                replaces=document,
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(
            api_serializers.DocumentSerializer(new).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=[TAG],
        summary="Télécharger le fichier d'un document",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("Document d'une autre famille, ou inconnu."),
        },
    )
    @action(detail=True, url_path="file", url_name="file")
    def file(self, request, public_id=None):
        document = self.get_object()
        return private_file_download(document.file.name, *document.download_words())
