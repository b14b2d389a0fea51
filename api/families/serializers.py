"""Serializers of the family file and its requests. Every field is listed explicitly;
only requests can be written, and only through ``RequestCreateSerializer``."""

from rest_framework import serializers

from espace_prive.allergens import Allergen
from espace_prive.demandes.models import ChangeRequest
from espace_prive.families.models import Child, Family, Guardian, HealthRecord, PickupPerson
from espace_prive.families.sections import SECTIONS, Operation


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Champ inconnu : il ne peut pas être envoyé ici."] for name in unknown}
                )
        return super().to_internal_value(data)


class SchoolSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class FamilySerializer(serializers.ModelSerializer):
    qf_proof_sent = serializers.SerializerMethodField(help_text="Un justificatif a été transmis.")

    class Meta:
        model = Family
        fields = [
            "public_id",
            "reference",
            "address",
            "address_complement",
            "postcode",
            "city",
            "situation",
            "paperless_invoices",
            "tax_number",
            "tax_year",
            "reference_tax_income",
            "tax_shares",
            "allowance_body",
            "allowance_number",
            "quotient_familial",
            "qf_valid_from",
            "qf_valid_to",
            "qf_proof_sent",
            "account_holder",
            "iban",
            "bic",
            "sepa_mandate_reference",
            "sepa_mandate_signed_on",
        ]
        read_only_fields = fields

    def get_qf_proof_sent(self, family) -> bool:
        return bool(family.qf_proof)


class GuardianSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guardian
        fields = [
            "public_id",
            "role",
            "civility",
            "first_name",
            "last_name",
            "birth_date",
            "email",
            "mobile_phone",
            "home_phone",
            "work_phone",
            "profession",
            "employer_name",
            "employer_address",
            "employer_phone",
        ]
        read_only_fields = fields


class ChildSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(read_only=True, allow_null=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Child
        fields = [
            "public_id",
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "school",
            "class_level",
            "has_photo",
            "photo_rights",
            "may_leave_alone",
            "emergency_care",
            "transport",
            "insurance_company",
            "insurance_number",
            "can_swim",
            "other_information",
        ]
        read_only_fields = fields

    def get_has_photo(self, child) -> bool:
        return bool(child.photo)


class HealthRecordSerializer(serializers.ModelSerializer):
    has_pai_document = serializers.SerializerMethodField()
    food_allergens = serializers.ListField(
        child=serializers.ChoiceField(choices=Allergen.choices),
        source="allergen_codes",
        read_only=True,
        help_text="Allergènes alimentaires déclarés (les 14 allergènes réglementaires).",
    )

    class Meta:
        model = HealthRecord
        fields = [
            "food_allergens",
            "allergies",
            "diet",
            "diet_details",
            "has_pai",
            "pai_details",
            "has_pai_document",
            "vaccinations_up_to_date",
            "last_dtp_booster",
            "doctor_name",
            "doctor_phone",
            "medical_notes",
        ]
        read_only_fields = fields

    def get_has_pai_document(self, record) -> bool:
        return bool(record.pai_document)


class PickupPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = PickupPerson
        fields = ["public_id", "first_name", "last_name", "relationship", "phone"]
        read_only_fields = fields


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Nom du champ de la rubrique.")
    label = serializers.CharField()
    old = serializers.CharField(help_text="Valeur au moment de la demande, en clair.")
    new = serializers.CharField(help_text="Valeur demandée, en clair.")


class RequestSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    subject = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    guardian = serializers.UUIDField(source="guardian.public_id", read_only=True, allow_null=True)
    child = serializers.UUIDField(source="child.public_id", read_only=True, allow_null=True)
    pickup_person = serializers.UUIDField(
        source="pickup_person.public_id", read_only=True, allow_null=True
    )
    changes = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "public_id",
            "section",
            "operation",
            "title",
            "subject",
            "guardian",
            "child",
            "pickup_person",
            "state",
            "state_label",
            "auto_applied",
            "changes",
            "created_at",
            "decided_at",
            "reason",
        ]
        read_only_fields = fields

    def get_changes(self, change_request) -> list[dict]:
        rows = [
            {"field": row["name"], "label": row["label"], "old": row["old"], "new": row["new"]}
            for row in change_request.rows()
        ]
        return ChangeSerializer(rows, many=True).data


class RequestCreateSerializer(StrictSerializer):
    """Propose a change of one section of the file. In ``multipart/form-data``, send
    ``changes`` as a JSON string and each file under its field name (``photo``,
    ``pai_document``, ``qf_proof``)."""

    section = serializers.ChoiceField(
        choices=[(key, section.label) for key, section in SECTIONS.items()],
        help_text="Rubrique du dossier (voir /api/v1/sections/).",
    )
    operation = serializers.ChoiceField(
        choices=Operation.choices,
        default=Operation.UPDATE,
        help_text="« ajout » ou « suppression » pour les rubriques qui le permettent.",
    )
    guardian = serializers.UUIDField(
        required=False, allow_null=True, help_text="Responsable concerné (rubriques guardian_*)."
    )
    child = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Enfant concerné (rubriques child_*, health_*, pickup_person).",
    )
    pickup_person = serializers.UUIDField(
        required=False, allow_null=True, help_text="Personne autorisée concernée."
    )
    changes = serializers.JSONField(
        required=False,
        default=dict,
        help_text="Champs de la rubrique et leurs nouvelles valeurs ; les autres ne changent "
        "pas. Questions oui/non : true, false ou null ; allergènes (food_allergens) : liste de "
        "codes ; autres champs : chaîne, nombre ou null.",
    )
    photo = serializers.FileField(required=False, help_text="Rubrique child_photo.")
    pai_document = serializers.FileField(required=False, help_text="Rubrique health_pai.")
    qf_proof = serializers.FileField(required=False, help_text="Rubrique family_caf.")

    def validate_changes(self, value):
        if isinstance(value, str):
            import json

            try:
                value = json.loads(value)
            except ValueError as error:
                raise serializers.ValidationError("« changes » doit être un objet JSON.") from error
        if not isinstance(value, dict):
            raise serializers.ValidationError("« changes » doit être un objet JSON.")
        return value


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    scope = serializers.CharField()
    operations = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField())
    file_fields = serializers.ListField(child=serializers.CharField())
    auto_applied = serializers.BooleanField(
        help_text="Appliquée sans validation du service (configuration de la commune)."
    )
