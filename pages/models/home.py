"""The town's home page: the root of the public site."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from ..enums import AlertLevel
from ..weeks import monday_of
from .base import PublicPage
from .menus import MenuWeekPage
from .news import NewsPage
from .service_pages import ServicePage


@dataclass
class HomeSections:
    """The live sections under the home page, by page type, and the service pages."""

    by_type: dict = field(default_factory=dict)
    services: list = field(default_factory=list)

    def __getattr__(self, name):
        # sections.MenusIndexPage, sections.NewsIndexPage… (None when absent)
        if name.startswith("_") or name in {"by_type", "services"}:
            raise AttributeError(name)
        return self.by_type.get(name)


class HomePage(PublicPage):
    """The town's home page: the root of the public site."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    alert_title = models.CharField("titre de l'alerte", max_length=120, blank=True)
    alert_message = models.TextField(
        "message d'alerte",
        blank=True,
        help_text="Grève, fermeture exceptionnelle… Laissez vide pour ne rien afficher.",
    )
    alert_level = models.CharField(
        "niveau", max_length=10, choices=AlertLevel.choices, default=AlertLevel.WARNING
    )
    alert_until = models.DateField(
        "afficher l'alerte jusqu'au (inclus)",
        null=True,
        blank=True,
        help_text="Laissez vide pour l'afficher jusqu'à ce que vous effaciez le message.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("alert_title"),
                FieldPanel("alert_message"),
                FieldRowPanel([FieldPanel("alert_level"), FieldPanel("alert_until")]),
            ],
            heading="Bandeau d'alerte",
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro"),
        APIField("alert_title"),
        APIField("alert_message"),
        APIField("alert_level"),
        APIField("alert_until"),
        APIField("alert_is_visible"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.NewsIndexPage",
        "pages.MenusIndexPage",
        "pages.ServiceIndexPage",
        "pages.TariffsPage",
        "pages.TutorialIndexPage",
        "pages.DocumentsPage",
        "pages.PracticalInfoPage",
        "pages.FaqPage",
        "pages.SearchPage",
        "pages.ContentPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "page d'accueil"

    def route(self, request, path_components):
        """Find a section page and its specific fields in one query instead of two.

        The section types are known (``subpage_types``): their tables are joined to the
        child lookup, and the rest of the path is routed by the section as usual.
        """
        if not path_components:
            return super().route(request, path_components)
        child_slug, remaining = path_components[0], path_components[1:]
        relations = [model._meta.model_name for model in self.allowed_subpage_models()]
        child = self.get_children().filter(slug=child_slug).select_related(*relations).first()
        if child is None:
            raise Http404
        for relation in relations:
            specific = getattr(child, relation, None)
            if specific is not None:
                child = specific
                break
        else:
            child = child.specific
        child._cached_parent_obj = self
        return child.route(request, remaining)

    @property
    def alert_is_visible(self):
        if not self.alert_message:
            return False
        return self.alert_until is None or self.alert_until >= timezone.localdate()

    def sections(self):
        """Live children and service pages, in one query (no ``specific``)."""
        service_type = ContentType.objects.get_for_model(ServicePage)
        pages = (
            Page.objects.live()
            .descendant_of(self)
            .filter(Q(depth=self.depth + 1) | Q(depth=self.depth + 2, content_type=service_type))
            .order_by("path")
        )
        sections = HomeSections()
        for page in pages:
            if page.depth == self.depth + 1:
                sections.by_type.setdefault(page.specific_class.__name__, page)
            else:
                sections.services.append(page)
        return sections

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        monday = monday_of(timezone.localdate())
        context.update(
            sections=self.sections(),
            latest_news=NewsPage.latest_under(self, limit=3),
            week=MenuWeekPage.week_under(self, monday, with_schools=False),
        )
        return context
