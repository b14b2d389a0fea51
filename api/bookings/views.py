"""REST API of enrolments, bookings and absences: the same rules as the pages, because
both call the same selectors and services (``espace_prive.bookings``). Another family's
child, enrolment, booking or absence is 404; bad input is a French 400, nothing stored.
"""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.families.views import FamilyScopedMixin, _django_error_detail
from espace_prive.bookings import ical, selectors, services
from espace_prive.bookings.models import AbsenceDeclaration, AbsenceReason, Booking, Enrolment
from espace_prive.downloads import private_file_download
from espace_prive.families import selectors as family_selectors

from ..schema import error_response
from . import serializers as api_serializers

TAG_ENROLMENTS = "Inscriptions"
TAG_BOOKINGS = "Réservations"
TAG_ABSENCES = "Absences"

# The agenda is read by month: a range of at most this many days.
AGENDA_MAX_DAYS = 62
AGENDA_DEFAULT_DAYS = 31


def _invalid(error):
    return serializers.ValidationError(_django_error_detail(error))


def _call(write, /, **kwargs):
    """Call a service; its French refusals become the API's 400."""
    try:
        return write(**kwargs)
    except DjangoValidationError as error:
        raise _invalid(error) from error
    except (DjangoPermissionDenied, services.EnrolmentAlreadyDecided) as error:
        raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error


def _resolve(lookup, *args, **kwargs):
    """A reference row named in a body (unit, service…), or a French 400 on its field."""
    try:
        return lookup(*args, **kwargs)
    except DjangoValidationError as error:
        raise _invalid(error) from error


def _date_range(request, *, required=False, default_days=AGENDA_DEFAULT_DAYS, max_days=None):
    """``from`` and ``to`` of the query string (``AAAA-MM-JJ``), checked in French."""
    params = request.query_params
    try:
        start = services.parse_day(params["from"], "from") if params.get("from") else None
        end = services.parse_day(params["to"], "to") if params.get("to") else None
    except DjangoValidationError as error:
        raise _invalid(error) from error
    if required:
        start = start or timezone.localdate()
        end = end or start + datetime.timedelta(days=default_days - 1)
    if start and end and end < start:
        raise serializers.ValidationError({"to": ["La date de fin précède la date de début."]})
    if max_days and (end - start).days >= max_days:
        raise serializers.ValidationError({"to": [f"Demandez au plus {max_days} jours à la fois."]})
    return start, end


RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="Premier jour (AAAA-MM-JJ)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Dernier jour, inclus (AAAA-MM-JJ)."),
]


# --- Enrolments ------------------------------------------------------------------------------


@extend_schema(
    tags=[TAG_ENROLMENTS],
    summary="Ce à quoi un enfant peut être inscrit (service, année scolaire, sites)",
    responses=api_serializers.EnrolmentOptionSerializer(many=True),
)
class EnrolmentOptionsView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.EnrolmentOptionSerializer
    pagination_class = None  # a short list, answered whole

    def get(self, request):
        options = [
            {"school_year": year, "service": service, "sites": sites}
            for year, service, sites in selectors.enrolment_options()
        ]
        return Response(self.get_serializer(options, many=True).data)


@extend_schema_view(
    list=extend_schema(tags=[TAG_ENROLMENTS], summary="Les inscriptions de mes enfants"),
    retrieve=extend_schema(
        tags=[TAG_ENROLMENTS],
        summary="Une inscription, avec les pièces qui manquent",
        responses=api_serializers.EnrolmentDetailSerializer,
    ),
    create=extend_schema(
        tags=[TAG_ENROLMENTS],
        summary="Demander une inscription (validée par le service)",
        request=api_serializers.EnrolmentCreateSerializer,
        responses={201: api_serializers.EnrolmentDetailSerializer},
    ),
)
class EnrolmentViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.EnrolmentSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    pagination_class = None

    def get_queryset(self):
        if self.is_schema_generation:
            return Enrolment.objects.none()
        return selectors.enrolments_for_family(self.family)

    def get_object(self):
        return selectors.get_enrolment_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.EnrolmentCreateSerializer
        if self.action in ("retrieve", "withdraw"):
            return api_serializers.EnrolmentDetailSerializer
        return api_serializers.EnrolmentSerializer

    def _detail(self, enrolment, **kwargs):
        enrolment = self.get_object() if enrolment is None else enrolment
        context = {
            **self.get_serializer_context(),
            "missing_documents": selectors.missing_documents_for_enrolment(enrolment),
        }
        return Response(
            api_serializers.EnrolmentDetailSerializer(enrolment, context=context).data, **kwargs
        )

    def retrieve(self, request, *args, **kwargs):
        return self._detail(None)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = family_selectors.get_child_for_family(self.family, data["child"])
        enrolment = _call(
            services.enrolment_request,
            actor=request.user,
            child=child,
            service=_resolve(selectors.get_service, data["service"]),
            site=_resolve(selectors.get_site, data["site"]),
            school_year=_resolve(selectors.get_school_year, data["school_year"]),
            notes=data.get("notes", ""),
        )
        enrolment = selectors.get_enrolment_for_family(self.family, enrolment.public_id)
        return self._detail(enrolment, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG_ENROLMENTS],
        summary="Retirer une demande d'inscription en attente",
        request=None,
        responses={200: api_serializers.EnrolmentDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request, public_id=None):
        enrolment = self.get_object()
        _call(
            services.enrolment_cancel, actor=request.user, family=self.family, enrolment=enrolment
        )
        return self._detail(None)


# --- The agenda of a child -------------------------------------------------------------------


@extend_schema(
    tags=[TAG_BOOKINGS],
    summary="L'agenda d'un enfant : chaque jour de chaque activité, son état et son prix",
    description=(
        f"Du jour `from` au jour `to` inclus ({AGENDA_MAX_DAYS} jours au plus ; par défaut "
        f"{AGENDA_DEFAULT_DAYS} jours à partir d'aujourd'hui). `can_book` et `can_cancel` "
        "disent si le jour peut être réservé ou annulé maintenant."
    ),
    parameters=RANGE_PARAMETERS,
    responses=api_serializers.AgendaEntrySerializer(many=True),
)
class ChildAgendaView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.AgendaEntrySerializer

    def get(self, request, public_id):
        child = family_selectors.get_child_for_family(self.family, public_id)
        start, end = _date_range(request, required=True, max_days=AGENDA_MAX_DAYS)
        entries = selectors.agenda_for_child(child, start, end)
        return Response(self.get_serializer(entries, many=True).data)


# --- Bookings --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Les réservations de mes enfants (annulées comprises)",
        parameters=RANGE_PARAMETERS,
    ),
    retrieve=extend_schema(tags=[TAG_BOOKINGS], summary="Une réservation"),
    create=extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Réserver un jour (liste d'attente quand c'est complet)",
        description=(
            "La même réservation envoyée deux fois n'en fait qu'une : 201 la première fois, "
            "200 avec la réservation existante ensuite."
        ),
        request=api_serializers.BookingCreateSerializer,
        responses={201: api_serializers.BookingSerializer, 200: api_serializers.BookingSerializer},
    ),
)
class BookingViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.BookingSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if self.is_schema_generation:
            return Booking.objects.none()
        start, end = _date_range(self.request)
        return selectors.bookings_for_family(self.family, start=start, end=end)

    def get_object(self):
        return selectors.get_booking_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.BookingCreateSerializer
        if self.action == "pattern":
            return api_serializers.PatternSerializer
        return api_serializers.BookingSerializer

    def _booking(self, booking, **kwargs):
        booking = selectors.get_booking_for_family(self.family, booking.public_id)
        return Response(api_serializers.BookingSerializer(booking).data, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = family_selectors.get_child_for_family(self.family, data["child"])
        unit = _resolve(selectors.get_activity_unit, data["unit"])
        known = set(
            selectors.bookings_for_family(self.family)
            .filter(child=child, unit=unit)
            .values_list("public_id", "state")
        )
        booking = _call(
            services.booking_book, actor=request.user, child=child, unit=unit, day=data["day"]
        )
        again = (booking.public_id, booking.state) in known
        return self._booking(booking, status=status.HTTP_200_OK if again else 201)

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Annuler une réservation (ou quitter la liste d'attente)",
        description=(
            "Dans le délai d'annulation seulement ; après, déclarez une absence. Une place "
            "libérée va au premier enfant de la liste d'attente."
        ),
        request=None,
        responses={200: api_serializers.BookingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, public_id=None):
        booking = self.get_object()
        booking = _call(services.booking_cancel, actor=request.user, booking=booking)
        return self._booking(booking)

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Réserver des jours de la semaine sur une période (aperçu, puis confirmation)",
        description=(
            "`confirm: false` (par défaut) : ce qui serait réservé, en liste d'attente ou "
            "impossible (et pourquoi), et le total au tarif de la famille ; rien n'est "
            "enregistré. `confirm: true` : les mêmes vérifications, puis la réservation."
        ),
        request=api_serializers.PatternSerializer,
        responses={
            200: OpenApiResponse(api_serializers.PatternPreviewSerializer, description="L'aperçu."),
            201: OpenApiResponse(api_serializers.PatternPreviewSerializer, description="Réservé."),
        },
    )
    @action(detail=False, methods=["post"], url_path="pattern", url_name="pattern")
    def pattern(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = family_selectors.get_child_for_family(self.family, data["child"])
        units = [_resolve(selectors.get_activity_unit, pk, "units") for pk in data["units"]]
        arguments = {
            "actor": request.user,
            "child": child,
            "units": units,
            "weekdays": data["weekdays"],
            "start": data["start"],
            "end": data["end"],
        }
        if not data["confirm"]:
            preview = _call(services.booking_pattern_preview, **arguments)
            body = {
                "confirmed": False,
                "lines": preview.lines,
                "total": preview.total,
                "waiting_total": preview.waiting_total,
                "explanations": preview.explanations,
            }
            return Response(api_serializers.PatternPreviewSerializer(body).data)
        result = _call(services.booking_pattern_confirm, **arguments)
        waiting_total = sum((line.price or 0 for line in result.waiting), 0)
        body = {
            "confirmed": True,
            "lines": sorted(
                [*result.booked, *result.waiting, *result.unchanged, *result.refused],
                key=lambda line: (line.day, line.unit.sort_order, line.unit.pk),
            ),
            "total": result.total,
            "waiting_total": waiting_total,
            "explanations": [],
        }
        return Response(
            api_serializers.PatternPreviewSerializer(body).data, status=status.HTTP_201_CREATED
        )


# --- Absences --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(tags=[TAG_ABSENCES], summary="Les motifs d'absence"),
)
class AbsenceReasonViewSet(FamilyScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = api_serializers.AbsenceReasonSerializer
    pagination_class = None

    def get_queryset(self):
        if self.is_schema_generation:
            return AbsenceReason.objects.none()
        return selectors.absence_reasons()


@extend_schema_view(
    list=extend_schema(tags=[TAG_ABSENCES], summary="Les absences déclarées de mes enfants"),
    retrieve=extend_schema(tags=[TAG_ABSENCES], summary="Une absence"),
    create=extend_schema(
        tags=[TAG_ABSENCES],
        summary="Déclarer une absence (avec un justificatif, en multipart/form-data)",
        description=(
            "Les jours encore dans le délai d'annulation sont annulés plutôt que déclarés "
            "absents (réponse : `cancelled`)."
        ),
        request={
            "multipart/form-data": api_serializers.AbsenceCreateSerializer,
            "application/json": api_serializers.AbsenceCreateSerializer,
        },
        responses={201: api_serializers.AbsenceOutcomeSerializer},
    ),
)
class AbsenceViewSet(
    FamilyScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = api_serializers.AbsenceSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if self.is_schema_generation:
            return AbsenceDeclaration.objects.none()
        return selectors.absences_for_family(self.family)

    def get_object(self):
        return selectors.get_absence_for_family(self.family, self.kwargs["public_id"])

    def get_serializer_class(self):
        if self.action == "create":
            return api_serializers.AbsenceCreateSerializer
        return api_serializers.AbsenceSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = family_selectors.get_child_for_family(self.family, data["child"])
        units = [_resolve(selectors.get_activity_unit, pk, "units") for pk in data.get("units", [])]
        outcome = _call(
            services.absence_declare,
            actor=request.user,
            child=child,
            reason=_resolve(selectors.get_absence_reason, data["reason"]),
            first_day=data["first_day"],
            last_day=data["last_day"],
            units=units or None,
            details=data.get("details", ""),
            certificate=data.get("certificate"),
        )
        declaration = outcome.declaration
        if declaration is not None:
            declaration = selectors.get_absence_for_family(self.family, declaration.public_id)
        body = {"declaration": declaration, "cancelled": outcome.cancelled}
        return Response(
            api_serializers.AbsenceOutcomeSerializer(body, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=[TAG_ABSENCES],
        summary="Télécharger le justificatif d'une absence",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: error_response("Pas de justificatif, ou absence d'une autre famille."),
        },
    )
    @action(detail=True, url_path="certificate", url_name="certificate")
    def certificate(self, request, public_id=None):
        declaration = self.get_object()
        return private_file_download(declaration.certificate.name, *declaration.download_words())

    @extend_schema(
        tags=[TAG_ABSENCES],
        summary="Envoyer le justificatif d'une absence après coup (multipart/form-data)",
        description="Remplace le justificatif déjà envoyé, s'il y en a un.",
        request={"multipart/form-data": api_serializers.CertificateUploadSerializer},
        responses={200: api_serializers.AbsenceSerializer},
    )
    @certificate.mapping.post
    def certificate_upload(self, request, public_id=None):
        declaration = self.get_object()
        serializer = api_serializers.CertificateUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _call(
            services.absence_add_certificate,
            actor=request.user,
            declaration=declaration,
            certificate=serializer.validated_data["certificate"],
        )
        return Response(
            api_serializers.AbsenceSerializer(self.get_object(), context={"request": request}).data
        )


# --- The agenda's address (iCal) -------------------------------------------------------------


def _feed_body(feed):
    if feed is None:
        return {"url": None, "created_at": None}
    return {"url": ical.feed_url(feed), "created_at": feed.created_at}


class CalendarFeedView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.FeedSerializer

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="L'adresse secrète de l'agenda de ma famille (iCal)",
        description="`url` est vide tant que la famille n'en a pas créé.",
        responses=api_serializers.FeedSerializer,
    )
    def get(self, request):
        feed = selectors.calendar_feed_for_family(self.family)
        return Response(api_serializers.FeedSerializer(_feed_body(feed)).data)

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Créer ou renouveler l'adresse de l'agenda (l'ancienne ne fonctionne plus)",
        request=None,
        responses={201: api_serializers.FeedSerializer},
    )
    def post(self, request):
        feed = _call(services.calendar_feed_renew, actor=request.user, family=self.family)
        return Response(
            api_serializers.FeedSerializer(_feed_body(feed)).data, status=status.HTTP_201_CREATED
        )
