"""The staff register API (for a future tablet app): the day's registers of a site
(GET) and one tap (POST), with the same selectors and services as the admin pages.
A site the agent is not assigned to is 404; health data only with the permission, each
look logged; bad input is a French 400, nothing stored."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.families.views import _django_error_detail
from espace_prive.attendance import selectors, services
from espace_prive.attendance.permissions import (
    REOPEN_REGISTER,
    TAKE_ATTENDANCE,
    VIEW_HEALTH_RECORD,
    VIEW_REGISTER,
)
from espace_prive.families.models import HealthAccessLog
from espace_prive.families.services import health_access_log_many

from ..schema import error_response
from . import serializers as api_serializers

TAG = "Pointage (agents)"


class HoldsRegisterPermission(permissions.BasePermission):
    message = "Réservé aux agents chargés des listes du jour et du pointage."

    def has_permission(self, request, view):
        needed = VIEW_REGISTER if request.method in permissions.SAFE_METHODS else TAKE_ATTENDANCE
        return request.user.has_perm(needed)


class HoldsReopenPermission(permissions.BasePermission):
    message = "Réservé aux responsables habilités à rouvrir un registre clos."

    def has_permission(self, request, view):
        return request.user.has_perm(REOPEN_REGISTER)


def _child_data(row):
    child = row.child
    pickups = [
        {
            "id": f"{kind}:{person.public_id}",
            "name": person.full_name,
            "relationship": getattr(person, "relationship", "") or "responsable légal",
            "phone": getattr(person, "phone", "") or getattr(person, "mobile_phone", ""),
        }
        for kind, person in row.pickups
    ]
    return {
        "public_id": child.public_id,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "class_level": child.class_level,
        "booked": row.booking is not None,
        "declared_absence": row.declared_absence,
        "may_leave_alone": child.may_leave_alone,
        "mark": row.mark,
        "health": row.health if row.has_health_alert else None,
        "pickups": pickups,
    }


class SiteDayMixin:
    """The site (404 unless the agent is assigned to it) and the day of the URL."""

    pagination_class = None

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            exc = NotFound(str(exc) or "Introuvable.")
        return super().handle_exception(exc)

    def load(self, site_id, day):
        site = selectors.get_site_for_staff(self.request.user, site_id)
        try:
            return site, datetime.date.fromisoformat(day)
        except ValueError as error:
            raise Http404("Jour invalide : AAAA-MM-JJ attendu.") from error

    def unit(self, site, public_id):
        try:
            return selectors.get_unit_for_site(site, public_id)
        except Http404 as error:
            raise serializers.ValidationError({"unit": ["Unité introuvable à ce site."]}) from error

    def run(self, service, **kwargs):
        """Call a service; its French refusals become a 400, nothing changed."""
        try:
            return service(actor=self.request.user, **kwargs)
        except DjangoValidationError as error:
            raise serializers.ValidationError(_django_error_detail(error)) from error
        except DjangoPermissionDenied as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from error


class DayRegisterView(SiteDayMixin, generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated, HoldsRegisterPermission]
    serializer_class = api_serializers.DayRegisterSerializer

    @extend_schema(
        tags=[TAG],
        summary="Les registres du jour d'un site (enfants attendus, pointages, attente)",
        responses={
            200: api_serializers.DayRegisterSerializer,
            404: error_response("Site introuvable ou non affecté à l'agent, ou jour invalide."),
        },
    )
    def get(self, request, site_id, day):
        site, day = self.load(site_id, day)
        with_health = request.user.has_perm(VIEW_HEALTH_RECORD)
        registers, seen = [], []
        for unit in selectors.units_for_site(site, day):
            sheet = selectors.register_sheet(site, unit, day, with_health=with_health)
            seen += sheet.health_children()
            registers.append(
                {
                    "unit": unit,
                    "state": sheet.register.state if sheet.register else "ouvert",
                    "closed_at": sheet.register.closed_at if sheet.register else None,
                    "children": [_child_data(row) for row in sheet.rows],
                    "waiting": [booking.child for booking in sheet.waiting],
                    "candidates": sheet.candidates,
                }
            )
        if with_health and seen:
            health_access_log_many(
                actor=request.user, children=seen, context=HealthAccessLog.Context.DAY_LIST
            )
        data = {"site": site, "day": day, "registers": registers}
        return Response(api_serializers.DayRegisterSerializer(data).data)

    @extend_schema(
        tags=[TAG],
        summary="Un pointage (présent, absent, ajouté sur place, départ)",
        request=api_serializers.TapSerializer,
        responses={
            200: api_serializers.TapResultSerializer,
            400: error_response("Pointage refusé (registre clos, enfant non attendu…)."),
            404: error_response("Site introuvable ou non affecté à l'agent, ou jour invalide."),
        },
    )
    def post(self, request, site_id, day):
        site, day = self.load(site_id, day)
        body = api_serializers.TapSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        unit = self.unit(site, data["unit"])
        try:
            child = selectors.get_child_at_site(site, data["child"])
        except Http404 as error:
            message = {"child": ["Enfant introuvable à ce site."]}
            raise serializers.ValidationError(message) from error
        mark = self.run(
            services.attendance_record,
            site=site,
            unit=unit,
            day=day,
            child=child,
            action=data["action"],
            at=data.get("at") or None,
            who=data.get("who", ""),
            pickup_name=data.get("pickup_name", ""),
            pickup_reason=data.get("pickup_reason", ""),
        )
        return Response(api_serializers.TapResultSerializer(mark).data, status=status.HTTP_200_OK)


NOT_FOUND = error_response("Site introuvable ou non affecté à l'agent, ou jour invalide.")


class RegisterCloseView(SiteDayMixin, generics.GenericAPIView):
    """Close a unit's register of the day (an agent of the site): taps are refused after."""

    permission_classes = [permissions.IsAuthenticated, HoldsRegisterPermission]
    serializer_class = api_serializers.RegisterCloseSerializer

    @extend_schema(
        tags=[TAG],
        summary="Clore le registre d'une unité (plus aucun pointage ensuite)",
        request=api_serializers.RegisterCloseSerializer,
        responses={
            200: api_serializers.RegisterStateSerializer,
            400: error_response("Clôture refusée (registre déjà clos, jour à venir…)."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, site_id, day):
        site, day = self.load(site_id, day)
        body = api_serializers.RegisterCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = self.unit(site, body.validated_data["unit"])
        register = self.run(services.register_close, site=site, unit=unit, day=day)
        return Response(api_serializers.RegisterStateSerializer(register).data)


class RegisterReopenView(SiteDayMixin, generics.GenericAPIView):
    """Reopen a closed register: a responsible holding the reopen right, with a reason
    (kept in the register's history)."""

    permission_classes = [permissions.IsAuthenticated, HoldsReopenPermission]
    serializer_class = api_serializers.RegisterReopenSerializer

    @extend_schema(
        tags=[TAG],
        summary="Rouvrir un registre clos (responsable, avec un motif, journalisé)",
        request=api_serializers.RegisterReopenSerializer,
        responses={
            200: api_serializers.RegisterStateSerializer,
            400: error_response("Réouverture refusée (motif manquant, registre ouvert…)."),
            403: error_response("Réservé aux responsables habilités à rouvrir un registre."),
            404: NOT_FOUND,
        },
    )
    def post(self, request, site_id, day):
        site, day = self.load(site_id, day)
        body = api_serializers.RegisterReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = self.unit(site, body.validated_data["unit"])
        register = selectors.register_for(site, unit, day)
        if register is None:
            raise serializers.ValidationError(
                {"register": ["Aucun registre ce jour pour cette unité : rien à rouvrir."]}
            )
        register = self.run(
            services.register_reopen, register=register, reason=body.validated_data["reason"]
        )
        return Response(api_serializers.RegisterStateSerializer(register).data)
