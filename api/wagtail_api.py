"""Wagtail API v2 (``/api/v2/``): the public content, read-only and anonymous.

Endpoints: ``pages`` (with each page type's ``api_fields``), ``images``, ``documents``
and ``menus`` (the canteen menus of an ISO week: ``/api/v2/menus/2026-W48/`` or
``/api/v2/menus/?week=2026-W48``; the current week without a parameter). Bad input
answers 400 with ``{"message": "…"}``, Wagtail's API error shape.

Responses are the same for everybody (no session authentication, JSON only), so they
go through the public cache like the pages.
"""

import datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import path, re_path
from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.filters import FieldsFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import CollectionViewRestriction

from pages import cache
from pages.models import MenuWeekPage
from pages.queries import search_terms
from pages.selectors import menus_for_week
from pages.serializers import DishSerializer, SiteRefSerializer
from pages.week_menu import build_week_menu
from pages.weeks import InvalidWeek, iso_week_code, monday_of, parse_menu_week, week_label

API_NAMESPACE = "api:wagtailapi"
# Far past any listing; larger numbers overflow the database's OFFSET.
MAX_OFFSET = 1_000_000


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?categories=2``), numbers checked first.

    Wagtail converts integers and foreign keys but passes many-to-many values on as they
    come (``?categories=abc`` is a 500), and numbers past the database's range overflow.
    """

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        fields.discard("locale")  # a language code, filtered by Wagtail's LocaleFilter
        for name, value in request.GET.items():
            if name not in fields:
                continue
            try:
                field = queryset.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            target = field.related_model._meta.pk if field.is_relation else field
            if not isinstance(target, models.IntegerField):
                continue
            try:
                number = int(value)
            except ValueError:
                number = None
            if number is None or not -(2**63) <= number < 2**63:
                raise BadRequestError(f"{name} attend un nombre entier.")
        return super().filter_queryset(request, queryset, view)


def _with_checked_fields(backends):
    return [CheckedFieldsFilter if backend is FieldsFilter else backend for backend in backends]


class PublicEndpointMixin:
    """Anonymous, read-only, JSON only; responses may be stored in the public cache."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        cache.mark_public(request._request)
        self.check_parameters(request)

    @staticmethod
    def check_parameters(request):
        """Refuse or tidy input that Wagtail would pass on to the database or search backend."""
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError("Les paramètres ne peuvent pas contenir de caractère nul.")
        offset = request.query_params.get("offset", "")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset ne peut pas dépasser {MAX_OFFSET}.")
        if request.query_params.get("search_operator", "and") not in ("and", "or"):
            raise BadRequestError("search_operator accepte « and » ou « or ».")
        if '"' in request.query_params.get("search", ""):
            params = request._request.GET.copy()
            params["search"] = search_terms(params["search"])
            request._request.GET = params

    def handle_exception(self, exc):
        # A filter value the field refuses (?date=pas-une-date) is bad input, not a 500.
        if isinstance(exc, DjangoValidationError):
            return Response({"message": " ".join(exc.messages)}, status=400)
        # Wagtail's viewsets answer their own; the menus endpoint is a plain APIView.
        if isinstance(exc, BadRequestError):
            return Response({"message": str(exc)}, status=400)
        return super().handle_exception(exc)


class PublicPagesAPIViewSet(PublicEndpointMixin, PagesAPIViewSet):
    filter_backends = _with_checked_fields(PagesAPIViewSet.filter_backends)


class PublicImagesAPIViewSet(PublicEndpointMixin, ImagesAPIViewSet):
    filter_backends = _with_checked_fields(ImagesAPIViewSet.filter_backends)


class PublicDocumentsAPIViewSet(PublicEndpointMixin, DocumentsAPIViewSet):
    filter_backends = _with_checked_fields(DocumentsAPIViewSet.filter_backends)

    def get_queryset(self):
        # Documents of a collection restricted to signed-in users, groups or a password
        # (or of a collection inside it) stay out.
        documents = super().get_queryset()
        restricted = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
        for collection_path in restricted:
            documents = documents.exclude(collection__path__startswith=collection_path)
        return documents


class MenusEndpoint(PublicEndpointMixin, APIView):
    """The canteen menus of one ISO week, every kitchen, dishes with labels and allergens."""

    # The router matches models to endpoints in registration order: pages come first,
    # so week pages keep their detail URL under /pages/.
    model = MenuWeekPage
    known_query_parameters = frozenset({"week"})

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view(), name="listing"),
            re_path(r"^(?P<week>[^/]{1,20})/$", cls.as_view(), name="week"),
        ]

    def get(self, request, week=None):
        unknown = sorted(set(request.query_params) - self.known_query_parameters)
        if unknown:
            return self.error(
                f"Paramètre inconnu : {', '.join(unknown)}. Paramètre accepté : week "
                "(par exemple week=2026-W48)."
            )
        if week is not None and "week" in request.query_params:
            return self.error("Indiquez la semaine dans l'adresse ou avec week=, pas les deux.")
        code = week if week is not None else request.query_params.get("week")
        if code is None:
            monday = monday_of(timezone.localdate())
        else:
            try:
                monday = parse_menu_week(code, today=timezone.localdate())
            except InvalidWeek as error:
                return self.error(str(error))
        pages = menus_for_week(monday)
        menus = [self.menu_data(page, request) for page in pages]
        data = {
            "week": iso_week_code(monday),
            "start": monday,
            "end": monday + datetime.timedelta(days=6),
            "label": week_label(monday),
            "previous": iso_week_code(monday - datetime.timedelta(days=7)),
            "next": iso_week_code(monday + datetime.timedelta(days=7)),
            "menus": menus,
        }
        if not menus:
            data["message"] = f"Les menus de la {week_label(monday)} ne sont pas encore publiés."
        return Response(data)

    @staticmethod
    def error(message):
        return Response({"message": message}, status=400)

    @staticmethod
    def menu_data(page, request):
        group = page.menu_group
        week_menu = build_week_menu(page)
        return {
            "id": page.pk,
            "title": page.title,
            "html_url": page.get_full_url(request),
            "note": page.note,
            "menu_group": None
            if group is None
            else {
                "name": group.name,
                "slug": group.slug,
                "schools": SiteRefSerializer(group.schools.all(), many=True).data,
            },
            "days": [
                {
                    "date": day.date,
                    "weekday": day.label.split(" ", 1)[0],
                    "dishes": DishSerializer(
                        [dish for _course, dishes in day.courses for dish in dishes], many=True
                    ).data,
                }
                for day in week_menu.days
            ],
        }


api_router = WagtailAPIRouter(API_NAMESPACE)
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("menus", MenusEndpoint)
