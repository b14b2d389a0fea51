"""Serializers of the staff register API: every field listed; health data only when the
reader holds the health permission (``None`` otherwise)."""

from rest_framework import serializers

from api.families.serializers import StrictSerializer
from espace_prive.attendance.models import MarkState, RegisterState
from espace_prive.attendance.services import ACTIONS


class RegisterUnitSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    starts_at = serializers.TimeField(read_only=True, format="%H:%M")
    ends_at = serializers.TimeField(read_only=True, format="%H:%M")


class RegisterSiteSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class MarkSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=MarkState.choices, read_only=True)
    label = serializers.CharField(source="describe", read_only=True)
    unbooked = serializers.BooleanField(
        read_only=True, help_text="Présence sans réservation (enfant ajouté sur place)."
    )
    arrived_at = serializers.DateTimeField(read_only=True, allow_null=True)
    departed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    pickup_name = serializers.CharField(read_only=True)
    pickup_unlisted = serializers.BooleanField(
        read_only=True, help_text="Récupéré par une personne hors de la liste (signalé)."
    )
    pickup_reason = serializers.CharField(read_only=True)
    left_alone = serializers.BooleanField(read_only=True)


class HealthAlertSerializer(serializers.Serializer):
    has_pai = serializers.BooleanField(read_only=True)
    pai_details = serializers.CharField(read_only=True)
    allergies = serializers.CharField(read_only=True)
    diet = serializers.CharField(read_only=True)
    diet_details = serializers.CharField(read_only=True)


class PickupSerializer(serializers.Serializer):
    id = serializers.CharField(
        read_only=True, help_text="À renvoyer dans « who » pour un départ avec cette personne."
    )
    name = serializers.CharField(read_only=True)
    relationship = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)


class RegisterChildSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    class_level = serializers.CharField(read_only=True)
    booked = serializers.BooleanField(read_only=True)
    declared_absence = serializers.CharField(
        read_only=True, help_text="Motif de l'absence déclarée par la famille, sinon vide."
    )
    may_leave_alone = serializers.BooleanField(read_only=True, allow_null=True)
    mark = MarkSerializer(read_only=True, allow_null=True)
    health = HealthAlertSerializer(
        read_only=True,
        allow_null=True,
        help_text=(
            "Alertes de santé : seulement pour les agents habilités (consultation journalisée)."
        ),
    )
    pickups = PickupSerializer(many=True, read_only=True)


class WaitingChildSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)


class UnitRegisterSerializer(serializers.Serializer):
    unit = RegisterUnitSerializer(read_only=True)
    state = serializers.ChoiceField(choices=RegisterState.choices, read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    children = RegisterChildSerializer(many=True, read_only=True)
    waiting = WaitingChildSerializer(many=True, read_only=True)
    candidates = WaitingChildSerializer(
        many=True, read_only=True, help_text="Inscrits non attendus, que l'on peut ajouter."
    )


class DayRegisterSerializer(serializers.Serializer):
    site = RegisterSiteSerializer(read_only=True)
    day = serializers.DateField(read_only=True)
    registers = UnitRegisterSerializer(many=True, read_only=True)


class TapSerializer(StrictSerializer):
    unit = serializers.UUIDField(help_text="L'unité (repas, accueil du soir…) du site.")
    child = serializers.UUIDField()
    action = serializers.ChoiceField(
        choices=[(a, a) for a in ACTIONS],
        help_text="present, absent, ajouter (venu sans réservation) ou depart.",
    )
    at = serializers.CharField(
        required=False, max_length=5, help_text="Heure HH:MM (par défaut : maintenant)."
    )
    who = serializers.CharField(
        required=False,
        max_length=60,
        help_text="Départ : l'id d'une personne de la liste, « seul » ou « autre ».",
    )
    pickup_name = serializers.CharField(required=False, max_length=255, allow_blank=True)
    pickup_reason = serializers.CharField(required=False, max_length=255, allow_blank=True)


class TapResultSerializer(serializers.Serializer):
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    state = serializers.ChoiceField(choices=MarkState.choices, read_only=True)
    label = serializers.CharField(source="describe", read_only=True)
    unbooked = serializers.BooleanField(read_only=True)


class RegisterCloseSerializer(StrictSerializer):
    unit = serializers.UUIDField(help_text="L'unité dont on clôt le registre du jour.")


class RegisterReopenSerializer(StrictSerializer):
    unit = serializers.UUIDField(help_text="L'unité dont on rouvre le registre.")
    reason = serializers.CharField(
        max_length=255,
        allow_blank=True,
        help_text="Pourquoi le registre est rouvert (gardé dans son historique).",
    )


class RegisterStateSerializer(serializers.Serializer):
    unit = serializers.UUIDField(source="unit.public_id", read_only=True)
    state = serializers.ChoiceField(choices=RegisterState.choices, read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
