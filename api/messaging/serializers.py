"""Serializers of the messaging; every field listed, only the services write."""

from rest_framework import serializers
from rest_framework.reverse import reverse

from api.families.serializers import StrictSerializer
from espace_prive.messaging.models import MAX_BODY_LENGTH, Attachment, Message, Thread, Topic


class ThreadSerializer(serializers.ModelSerializer):
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)
    unread_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Thread
        fields = [
            "public_id",
            "subject",
            "topic",
            "topic_label",
            "state",
            "created_at",
            "last_message_at",
            "unread_count",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Téléchargement de la pièce jointe.")

    class Meta:
        model = Attachment
        fields = ["public_id", "original_name", "size", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return reverse(
            "api:attachment-detail",
            kwargs={"public_id": attachment.public_id},
            request=self.context.get("request"),
        )


class MessageSerializer(serializers.ModelSerializer):
    from_service = serializers.BooleanField(source="is_from_service", read_only=True)
    author_name = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["public_id", "from_service", "author_name", "body", "created_at", "attachments"]
        read_only_fields = fields

    def get_author_name(self, message) -> str:
        return "Le service" if message.is_from_service else message.author_name


class MessageCreateSerializer(StrictSerializer):
    """A message (JSON, or ``multipart/form-data`` with files under ``attachments``)."""

    body = serializers.CharField(
        max_length=MAX_BODY_LENGTH, help_text=f"Texte seul, {MAX_BODY_LENGTH} caractères au plus."
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="PDF, JPEG ou PNG, 5 Mo au plus chacun, 5 fichiers au plus.",
    )  # fmt: skip


class ThreadCreateSerializer(MessageCreateSerializer):
    """« Nous contacter »: a subject, a topic and the first message."""

    subject = serializers.CharField(max_length=200)
    topic = serializers.ChoiceField(choices=Topic.choices)


class NotificationPreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    enabled = serializers.BooleanField(read_only=True)


class NotificationPreferencesUpdateSerializer(StrictSerializer):
    """The kinds to change, each ``true`` (receive) or ``false``; the others stay."""

    messages = serializers.BooleanField(required=False)
    requests = serializers.BooleanField(required=False)
    documents = serializers.BooleanField(required=False)
