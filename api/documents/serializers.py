"""Serializers of the document store; every field listed, only the services write."""

from rest_framework import serializers

from api.families.serializers import StrictSerializer
from espace_prive.documents.models import Document, DocumentType


class DocumentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentType
        fields = ["code", "name", "help_text", "expiry_rule", "validity_months", "per_child"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    document_type_name = serializers.CharField(source="document_type.name", read_only=True)
    child = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Document
        fields = [
            "public_id",
            "document_type",
            "document_type_name",
            "child",
            "state",
            "state_label",
            "reason",
            "expires_on",
            "uploaded_at",
            "reviewed_at",
            "size",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(StrictSerializer):
    """Send a document (``multipart/form-data``): PDF, JPEG or PNG, 5 MB at most."""

    document_type = serializers.CharField(
        help_text="Code d'un type (voir /api/v1/document-types/)."
    )
    child = serializers.UUIDField(required=False, allow_null=True, help_text="Enfant concerné.")
    expires_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(help_text="PDF, JPEG ou PNG, 5 Mo au plus.")


class DocumentReplaceSerializer(StrictSerializer):
    expires_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(help_text="PDF, JPEG ou PNG, 5 Mo au plus.")
