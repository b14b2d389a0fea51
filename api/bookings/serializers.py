"""Serializers of the bookings API: every field listed; only the services write.

Bodies carry public ids (``child``, ``unit``, ``service``…) and dates as text: the views
resolve the ids through the selectors and the services parse the dates, so that the
API answers with the same French messages as the pages.
"""

from rest_framework import serializers
from rest_framework.reverse import reverse

from api.families.serializers import StrictSerializer
from espace_prive.bookings.models import (
    AbsenceDeclaration,
    AbsenceReason,
    Booking,
    BookingState,
    Enrolment,
    EnrolmentState,
)
from espace_prive.bookings.selectors import AgendaState

AGENDA_STATES = list(AgendaState.LABELS.items())
DATE_HELP = "Un jour au format AAAA-MM-JJ (par exemple 2027-01-11)."


class NamedSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class SchoolYearSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    label = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)


class UnitSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    service = serializers.CharField(source="service.name", read_only=True)
    starts_at = serializers.TimeField(read_only=True)
    ends_at = serializers.TimeField(read_only=True)


# --- Enrolments ------------------------------------------------------------------------------


class EnrolmentOptionSerializer(serializers.Serializer):
    """What a child may be enrolled in: a service of a school year, at one of its sites."""

    school_year = SchoolYearSerializer(read_only=True)
    service = NamedSerializer(read_only=True)
    sites = NamedSerializer(many=True, read_only=True)


class EnrolmentSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    child_first_name = serializers.CharField(source="child.first_name", read_only=True)
    service = NamedSerializer(read_only=True)
    site = NamedSerializer(read_only=True)
    school_year = SchoolYearSerializer(read_only=True)
    state = serializers.ChoiceField(choices=EnrolmentState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "public_id",
            "child",
            "child_first_name",
            "service",
            "site",
            "school_year",
            "state",
            "state_label",
            "reason",
            "notes",
            "requested_at",
            "decided_at",
        ]
        read_only_fields = fields


class MissingDocumentSerializer(serializers.Serializer):
    document_type = serializers.CharField(source="document_type.code", read_only=True)
    name = serializers.CharField(source="document_type.name", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)


class EnrolmentDetailSerializer(EnrolmentSerializer):
    missing_documents = serializers.SerializerMethodField(
        help_text="Pièces que le service demande et qui ne sont pas encore acceptées."
    )

    class Meta(EnrolmentSerializer.Meta):
        fields = [*EnrolmentSerializer.Meta.fields, "missing_documents"]
        read_only_fields = fields

    def get_missing_documents(self, enrolment) -> list[dict]:
        missing = self.context.get("missing_documents", [])
        return MissingDocumentSerializer(missing, many=True).data


class EnrolmentCreateSerializer(StrictSerializer):
    child = serializers.UUIDField(help_text="Un enfant de la famille.")
    service = serializers.UUIDField(help_text="Voir /api/v1/enrolment-options/.")
    site = serializers.UUIDField(help_text="Un site du service (voir les options).")
    school_year = serializers.UUIDField(help_text="Voir /api/v1/enrolment-options/.")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- Agenda and bookings ---------------------------------------------------------------------


class AgendaEntrySerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    unit = UnitSerializer(read_only=True)
    state = serializers.ChoiceField(choices=AGENDA_STATES, read_only=True)
    state_label = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    price = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Au quotient familial valable ce jour-là ; vide quand le jour est fermé.",
    )
    can_book = serializers.BooleanField(read_only=True)
    can_cancel = serializers.BooleanField(read_only=True)
    booking = serializers.SerializerMethodField(help_text="La réservation de ce jour, s'il y en a.")
    book_until = serializers.DateTimeField(read_only=True, allow_null=True)
    cancel_until = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_booking(self, entry) -> str | None:
        booking = entry.booking
        return str(booking.public_id) if booking is not None else None


class BookingSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    child_first_name = serializers.CharField(source="child.first_name", read_only=True)
    unit = UnitSerializer(read_only=True)
    site = NamedSerializer(read_only=True)
    state = serializers.ChoiceField(choices=BookingState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    absent = serializers.SerializerMethodField(help_text="Une absence est déclarée ce jour-là.")

    class Meta:
        model = Booking
        fields = [
            "public_id",
            "child",
            "child_first_name",
            "unit",
            "site",
            "day",
            "state",
            "state_label",
            "absent",
            "created_by_staff",
            "queued_at",
            "promoted_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_absent(self, booking) -> bool:
        return getattr(booking, "absence", None) is not None


class BookingCreateSerializer(StrictSerializer):
    child = serializers.UUIDField(help_text="Un enfant de la famille.")
    unit = serializers.UUIDField(help_text="L'activité (voir l'agenda de l'enfant).")
    day = serializers.CharField(help_text=DATE_HELP)


class PatternSerializer(StrictSerializer):
    child = serializers.UUIDField(help_text="Un enfant de la famille.")
    units = serializers.ListField(
        child=serializers.UUIDField(), allow_empty=True, help_text="Les activités à réserver."
    )
    weekdays = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text="Les jours de la semaine : 0 = lundi … 6 = dimanche.",
    )
    start = serializers.CharField(help_text=DATE_HELP)
    end = serializers.CharField(help_text=DATE_HELP)
    confirm = serializers.BooleanField(
        default=False,
        help_text="false : aperçu (rien n'est enregistré) ; true : réserver.",
    )


class PatternLineSerializer(serializers.Serializer):
    day = serializers.DateField(read_only=True)
    unit = UnitSerializer(read_only=True)
    outcome = serializers.ChoiceField(
        choices=[
            ("reserver", "Réservé"),
            ("attente", "Liste d'attente"),
            ("impossible", "Impossible"),
        ],
        read_only=True,
    )
    outcome_label = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)
    price = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True, allow_null=True
    )
    booking = serializers.SerializerMethodField()

    def get_booking(self, line) -> str | None:
        booking = line.booking
        return str(booking.public_id) if booking is not None and booking.pk else None


class PatternPreviewSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(read_only=True)
    lines = PatternLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        read_only=True,
        help_text="Le coût des jours réservés (les jours en liste d'attente à part).",
    )
    waiting_total = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    explanations = serializers.ListField(child=serializers.CharField(), read_only=True)


class SessionPeriodSerializer(serializers.Serializer):
    public_id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)


class SessionSerializer(serializers.Serializer):
    """A holiday session sold whole, as a family sees it before booking it."""

    period = SessionPeriodSerializer(read_only=True)
    unit = UnitSerializer(read_only=True)
    can_book = serializers.BooleanField(
        read_only=True, help_text="Le séjour peut être réservé maintenant."
    )
    reason = serializers.CharField(
        read_only=True, help_text="Pourquoi le séjour ne peut pas être réservé (sinon vide)."
    )
    outcome = serializers.ChoiceField(
        choices=[("reserver", "Réservé"), ("attente", "Liste d'attente"), ("deja", "Déjà fait")],
        read_only=True,
        allow_null=True,
        help_text="Ce que ferait la réservation : réservé, liste d'attente, ou rien (déjà fait).",
    )
    days = serializers.IntegerField(read_only=True, help_text="Jours d'accueil du séjour.")
    total = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Le coût du séjour au tarif de la famille (quotient familial de chaque jour).",
    )
    explanations = serializers.ListField(child=serializers.CharField(), read_only=True)


class SessionBookSerializer(StrictSerializer):
    child = serializers.UUIDField(help_text="Un enfant de la famille.")
    period = serializers.UUIDField(help_text="Le séjour (voir /api/v1/children/{id}/sessions/).")
    unit = serializers.UUIDField(help_text="L'activité du séjour.")
    confirm = serializers.BooleanField(
        default=False,
        help_text="false : aperçu (rien n'est enregistré) ; true : réserver tout le séjour.",
    )


# --- Absences --------------------------------------------------------------------------------


class AbsenceReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = AbsenceReason
        fields = [
            "code",
            "label",
            "billable",
            "waived_with_certificate",
            "certificate_delay_hours",
            "requires_details",
        ]
        read_only_fields = fields


class AbsentDaySerializer(serializers.Serializer):
    booking = serializers.UUIDField(source="booking.public_id", read_only=True)
    day = serializers.DateField(source="booking.day", read_only=True)
    unit = serializers.CharField(source="booking.unit.name", read_only=True)


class AbsenceSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child.public_id", read_only=True)
    child_first_name = serializers.CharField(source="child.first_name", read_only=True)
    reason = serializers.CharField(source="reason.code", read_only=True)
    reason_label = serializers.CharField(read_only=True)
    days = AbsentDaySerializer(source="absences", many=True, read_only=True)
    certificate = serializers.SerializerMethodField(help_text="Téléchargement du justificatif.")

    class Meta:
        model = AbsenceDeclaration
        fields = [
            "public_id",
            "child",
            "child_first_name",
            "reason",
            "reason_label",
            "details",
            "first_day",
            "last_day",
            "days",
            "certificate",
            "certificate_sent_at",
            "declared_at",
        ]
        read_only_fields = fields

    def get_certificate(self, declaration) -> str | None:
        if not declaration.certificate:
            return None
        return reverse(
            "api:absence-certificate",
            kwargs={"public_id": declaration.public_id},
            request=self.context.get("request"),
        )


class AbsenceCreateSerializer(StrictSerializer):
    child = serializers.UUIDField(help_text="Un enfant de la famille.")
    reason = serializers.CharField(help_text="Code d'un motif (voir /api/v1/absence-reasons/).")
    first_day = serializers.CharField(help_text=DATE_HELP)
    last_day = serializers.CharField(help_text=DATE_HELP)
    units = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Les activités concernées (par défaut : toutes celles réservées).",
    )
    details = serializers.CharField(required=False, allow_blank=True, max_length=255)
    certificate = serializers.FileField(
        required=False, help_text="Justificatif : PDF, JPEG ou PNG, 5 Mo au plus."
    )


class CertificateUploadSerializer(StrictSerializer):
    certificate = serializers.FileField(help_text="PDF, JPEG ou PNG, 5 Mo au plus.")


class AbsenceOutcomeSerializer(serializers.Serializer):
    absence = AbsenceSerializer(
        source="declaration",
        read_only=True,
        allow_null=True,
        help_text="Vide quand tous les jours pouvaient encore être annulés.",
    )
    cancelled = BookingSerializer(
        many=True,
        read_only=True,
        help_text="Jours encore dans le délai d'annulation : annulés plutôt que déclarés absents.",
    )


class FeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text="Adresse secrète de l'agenda (iCal)."
    )
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
