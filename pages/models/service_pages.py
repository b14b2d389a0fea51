"""Pages that show the catalogue: the services and the tariffs with the simulator.

Services, sites and tariff grids are reference data of the private area's domain
(``espace_prive.catalogue``); these pages link to them and never copy them, and prices
come from the catalogue's own rule (``simulate_prices``).
"""

from functools import cached_property

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from espace_prive.catalogue import selectors as catalogue
from espace_prive.catalogue.models import Service

from .. import serializers
from ..blocks import RICH_TEXT_FEATURES, BodyBlock, ContactBlock
from ..forms import TariffSimulatorForm
from .base import FormPageMixin, PublicPage


class ServiceIndexPage(PublicPage):
    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "liste des services"

    def service_pages(self):
        return ServicePage.objects.live().child_of(self).select_related("service").order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = self.service_pages()
        return context


class ServicePage(PublicPage):
    service = models.ForeignKey(
        Service,
        verbose_name="service du catalogue",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Les sites et les tarifs affichés viennent du catalogue des services.",
    )
    intro = models.TextField("présentation courte", max_length=400)
    body = StreamField(BodyBlock(), verbose_name="fonctionnement et règles", blank=True)
    rules_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="règlement de fonctionnement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hours = RichTextField("horaires", blank=True, features=RICH_TEXT_FEATURES)
    booking_deadlines = RichTextField(
        "délais de réservation et d'annulation", blank=True, features=RICH_TEXT_FEATURES
    )
    contacts = StreamField([("contact", ContactBlock())], verbose_name="contacts", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("service"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("rules_document"),
        FieldPanel("hours"),
        FieldPanel("booking_deadlines"),
        FieldPanel("contacts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("hours"),
        index.SearchField("booking_deadlines"),
    ]
    api_fields = [
        APIField("service", serializer=serializers.ServiceSerializer()),
        APIField("intro"),
        APIField("body"),
        APIField("rules_document"),
        APIField("hours"),
        APIField("booking_deadlines"),
        APIField("contacts"),
        APIField("sites", serializer=serializers.SiteSerializer(many=True, source="public_sites")),
        APIField(
            "tariff_grid",
            serializer=serializers.TariffGridSerializer(source="current_tariff_grid"),
        ),
    ]

    parent_page_types = ["pages.ServiceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "pages de service"

    @cached_property
    def public_sites(self):
        return list(self.service.sites.filter(is_active=True))

    @cached_property
    def current_tariff_grid(self):
        return catalogue.tariff_grid_for(self.service)


class TariffsPage(FormPageMixin, PublicPage):
    """Every service's grid and the simulator: enter a QF, see the unit prices."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    simulator_help = RichTextField("aide du simulateur", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("simulator_help")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("simulator_help"),
        APIField(
            "tariff_grids",
            serializer=serializers.TariffGridSerializer(many=True, source="current_tariff_grids"),
        ),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "tarifs et simulateur"

    @property
    def current_tariff_grids(self):
        return list(catalogue.current_tariff_grids().values())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        submitted = any(key in request.GET for key in TariffSimulatorForm.base_fields)
        form = TariffSimulatorForm(request.GET if submitted else None)
        results = None
        if submitted and form.is_valid():
            rows = catalogue.simulate_prices(
                form.cleaned_data["quotient"],
                resident=form.cleaned_data["residence"] == TariffSimulatorForm.RESIDENT,
            )
            results = [
                {"service": service, "grid": grid, "price": price} for service, grid, price in rows
            ]
            grids = [(service, grid) for service, grid, _price in rows]
        else:
            services = list(catalogue.active_services())
            by_service = catalogue.current_tariff_grids(services=services)
            grids = [(service, by_service.get(service.id)) for service in services]
        context.update(
            form=form,
            input_errors=submitted and not form.is_valid(),
            results=results,
            grids=grids,
        )
        return context
