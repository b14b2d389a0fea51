"""REST API of the messaging: the family's threads with their unread count, « Nous
contacter », the messages of a thread, answering, marking as read, attachments."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.families.views import FamilyScopedMixin, _django_error_detail
from espace_prive.downloads import private_file_download
from espace_prive.messaging import preferences, selectors, services
from espace_prive.messaging.models import Attachment, NotificationTopic, Thread

from ..schema import error_response
from . import serializers as api_serializers

TAG = "Messagerie"


def _invalid(error):
    return serializers.ValidationError(_django_error_detail(error))


def _files(request):
    return request.FILES.getlist("attachments") if hasattr(request, "FILES") else []


@extend_schema_view(
    list=extend_schema(tags=[TAG], summary="Mes conversations, avec le nombre de non lus"),
    retrieve=extend_schema(tags=[TAG], summary="Une conversation"),
    create=extend_schema(
        tags=[TAG],
        summary="Nous contacter : ouvrir une conversation",
        request={
            "application/json": api_serializers.ThreadCreateSerializer,
            "multipart/form-data": api_serializers.ThreadCreateSerializer,
        },
        responses={201: api_serializers.ThreadSerializer},
    ),
)
class ThreadViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.ThreadSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.is_schema_generation:
            return Thread.objects.none()
        return selectors.threads_for_family(self.family, self.request.user)

    def get_object(self):
        return selectors.get_thread_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.ThreadCreateSerializer
        if self.action == "messages" and self.request.method == "POST":
            return api_serializers.MessageCreateSerializer
        if self.action == "messages":
            return api_serializers.MessageSerializer
        return api_serializers.ThreadSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            thread = services.thread_start(
                actor=request.user,
                family=self.family,
                subject=data["subject"],
                topic=data["topic"],
                body=data["body"],
                attachments=_files(request),
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        thread = selectors.threads_for_family(self.family, request.user).get(pk=thread.pk)
        return Response(
            api_serializers.ThreadSerializer(thread).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        tags=[TAG],
        summary="Les messages d'une conversation, ou répondre",
        request={
            "application/json": api_serializers.MessageCreateSerializer,
            "multipart/form-data": api_serializers.MessageCreateSerializer,
        },
        responses={
            200: api_serializers.MessageSerializer(many=True),
            201: api_serializers.MessageSerializer,
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="messages", url_name="messages")
    def messages(self, request, public_id=None):
        thread = self.get_object()
        if request.method == "GET":
            data = api_serializers.MessageSerializer(
                selectors.messages_of_thread(thread), many=True, context={"request": request}
            ).data
            return Response(data)
        serializer = api_serializers.MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            message = services.message_post(
                actor=request.user,
                thread=thread,
                family=self.family,
                body=serializer.validated_data["body"],
                attachments=_files(request),
            )
        except DjangoValidationError as error:
            raise _invalid(error) from error
        return Response(
            api_serializers.MessageSerializer(message, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(tags=[TAG], summary="Marquer la conversation comme lue", request=None,
                   responses={204: None})  # fmt: skip
    @action(detail=True, methods=["post"], url_path="read", url_name="read")
    def read(self, request, public_id=None):
        services.thread_mark_read(actor=request.user, thread=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentViewSet(FamilyScopedMixin, viewsets.GenericViewSet):
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    queryset = Attachment.objects.none()

    @extend_schema(
        tags=[TAG],
        summary="Télécharger une pièce jointe",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("Pièce jointe d'une autre famille, ou inconnue."),
        },
    )
    def retrieve(self, request, public_id=None):
        attachment = selectors.get_attachment_for_family(self.family, public_id)
        return private_file_download(attachment.file.name, *attachment.download_words())


def _preference_rows(user):
    labels = dict(NotificationTopic.choices)
    return [
        {"kind": kind, "label": labels[kind], "enabled": enabled}
        for kind, enabled in preferences.preferences_for(user).items()
    ]


class NotificationPreferencesView(FamilyScopedMixin, generics.GenericAPIView):
    """The e-mails this login receives (the account and security ones always are)."""

    serializer_class = api_serializers.NotificationPreferencesUpdateSerializer
    # One short list (one row per kind of e-mail): not paginated.
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary="Mes préférences d'e-mail",
        responses=api_serializers.NotificationPreferenceSerializer(many=True),
    )
    def get(self, request):
        return Response(_preference_rows(request.user))

    @extend_schema(
        tags=[TAG],
        summary="Changer mes préférences d'e-mail",
        request=api_serializers.NotificationPreferencesUpdateSerializer,
        responses=api_serializers.NotificationPreferenceSerializer(many=True),
    )
    def patch(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preferences.preferences_update(actor=request.user, values=serializer.validated_data)
        return Response(_preference_rows(request.user))
