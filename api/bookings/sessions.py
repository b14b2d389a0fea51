"""Holiday sessions (stages) sold whole, in the API: the sessions a child may book with
their cost, and booking one (a preview, then the booking). The same selectors and
service as the agenda page; another family's child is 404, bad input a French 400."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.families.views import FamilyScopedMixin
from espace_prive.bookings import selectors, services
from espace_prive.families import selectors as family_selectors

from ..schema import error_response
from . import serializers as api_serializers
from .views import TAG_BOOKINGS, _call, _resolve


def _session_body(offer):
    return {
        "period": offer.period,
        "unit": offer.unit,
        "can_book": offer.can_book,
        "reason": offer.reason,
        "outcome": offer.outcome,
        "days": offer.days,
        "total": offer.total,
        "explanations": offer.explanations,
    }


@extend_schema(
    tags=[TAG_BOOKINGS],
    summary="Les séjours de vacances qu'un enfant peut réserver en entier, avec leur coût",
    description=(
        "Chaque séjour (stage) pas encore commencé des services où l'enfant est inscrit : "
        "ce que ferait sa réservation (réservé ou liste d'attente), ses jours et leur total "
        "au tarif de la famille ; `reason` dit pourquoi il ne peut pas l'être (délai passé…)."
    ),
    responses={
        200: api_serializers.SessionSerializer(many=True),
        404: error_response("Enfant d'une autre famille."),
    },
)
class ChildSessionsView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.SessionSerializer
    pagination_class = None

    def get(self, request, public_id):
        child = family_selectors.get_child_for_family(self.family, public_id)
        offers = [
            services.booking_session_offer(
                actor=request.user, child=child, unit=unit, period=period
            )
            for period, unit in selectors.sessions_for_child(child)
        ]
        return Response(self.get_serializer([_session_body(o) for o in offers], many=True).data)


def _lines_body(lines, *, confirmed, explanations=()):
    booked = [line for line in lines if line.outcome == services.BOOK]
    waiting = [line for line in lines if line.outcome == services.WAIT]
    return {
        "confirmed": confirmed,
        "lines": lines,
        "total": sum((line.price or 0 for line in booked), 0),
        "waiting_total": sum((line.price or 0 for line in waiting), 0),
        "explanations": list(explanations),
    }


class SessionBookView(FamilyScopedMixin, generics.GenericAPIView):
    serializer_class = api_serializers.SessionBookSerializer

    @extend_schema(
        tags=[TAG_BOOKINGS],
        summary="Réserver un séjour de vacances en entier (aperçu, puis confirmation)",
        description=(
            "Tous les jours du séjour sont réservés, ou tous vont sur la liste d'attente quand "
            "l'un d'eux est complet. `confirm: false` (par défaut) : ce qui serait fait et le "
            "total au tarif de la famille, rien n'est enregistré. `confirm: true` : les mêmes "
            "vérifications, puis la réservation (201 ; 200 quand le séjour était déjà réservé)."
        ),
        request=api_serializers.SessionBookSerializer,
        responses={
            200: OpenApiResponse(api_serializers.PatternPreviewSerializer, description="L'aperçu."),
            201: OpenApiResponse(api_serializers.PatternPreviewSerializer, description="Réservé."),
            404: error_response("Enfant d'une autre famille."),
        },
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        child = family_selectors.get_child_for_family(self.family, data["child"])
        period, unit = _resolve(
            selectors.get_session_for_child, child, data["period"], data["unit"], field="period"
        )
        arguments = {"actor": request.user, "child": child, "unit": unit, "period": period}
        if not data["confirm"]:
            preview = _call(services.booking_session_preview, **arguments)
            body = _lines_body(preview.lines, confirmed=False, explanations=preview.explanations)
            return Response(api_serializers.PatternPreviewSerializer(body).data)
        lines = _call(services.booking_session_book, **arguments)
        body = _lines_body(lines, confirmed=True)
        changed = any(line.outcome != services.SKIP for line in lines)
        return Response(
            api_serializers.PatternPreviewSerializer(body).data,
            status=status.HTTP_201_CREATED if changed else status.HTTP_200_OK,
        )
