"""News: the listing by category and the news pages (targeted at schools or services)."""

import datetime

from django.core.paginator import EmptyPage, Paginator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from espace_prive.catalogue.models import Service, Site

from .. import serializers
from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..forms import NewsFilterForm
from ..images import CARD
from ..queries import with_card_image, without_restricted
from .base import FormPageMixin, PublicPage
from .snippets import NewsCategory


class NewsIndexPage(FormPageMixin, PublicPage):
    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    per_page = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "liste des actualités"

    def news_listing(self, *, category=None, number=1):
        """One page of this listing (count, page, renditions: 3 queries).

        Returns None when ``number`` is past the last page.
        """
        news = without_restricted(NewsPage.objects.live().child_of(self))
        if category is not None:
            news = news.filter(categories=category)
        paginator = Paginator(with_card_image(news.order_by("-date", "-pk")), self.per_page)
        try:
            return paginator.page(number)
        except EmptyPage:
            return None if number > 1 else paginator.page(1)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        categories = list(NewsCategory.objects.all())
        form = NewsFilterForm(request.GET, categories=categories)
        input_errors = not form.is_valid()
        category = None if input_errors else form.cleaned_data.get("categorie")
        number = 1 if input_errors else form.cleaned_data.get("page") or 1
        listing = self.news_listing(category=category, number=number)
        if listing is None:
            form.add_error("page", "Cette page de résultats n'existe pas.")
            input_errors = True
            listing = self.news_listing(category=category, number=1)
        context.update(
            form=form,
            input_errors=input_errors,
            categories=categories,
            category=category,
            listing=listing,
        )
        return context


class NewsPage(PublicPage):
    date = models.DateField("date de publication", default=datetime.date.today)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.TextField("chapeau", max_length=400)
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)
    categories = ParentalManyToManyField(
        NewsCategory, verbose_name="catégories", blank=True, related_name="news"
    )
    target_services = ParentalManyToManyField(
        Service,
        verbose_name="services concernés",
        blank=True,
        related_name="+",
        help_text="Les familles inscrites à ces services verront cette actualité dans leur espace.",
    )
    target_sites = ParentalManyToManyField(
        Site,
        verbose_name="écoles et sites concernés",
        blank=True,
        related_name="+",
        help_text="Les familles dont un enfant fréquente ces sites verront cette actualité.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("image"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("categories"),
        MultiFieldPanel(
            [FieldPanel("target_services"), FieldPanel("target_sites")],
            heading="Ciblage (actualités personnalisées de l'espace famille)",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.RelatedFields("categories", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("date"),
        APIField("intro"),
        APIField("image"),
        APIField("image_card", serializer=ImageRenditionField(CARD, source="image")),
        APIField("body"),
        APIField("categories", serializer=serializers.NewsCategorySerializer(many=True)),
        APIField("target_services", serializer=serializers.ServiceRefSerializer(many=True)),
        APIField("target_sites", serializer=serializers.SiteRefSerializer(many=True)),
    ]

    parent_page_types = ["pages.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "actualité"
        ordering = ["-date"]

    @classmethod
    def latest_under(cls, root, *, limit=3):
        """The newest live news under ``root`` with their images (two queries)."""
        news = without_restricted(cls.objects.live().descendant_of(root))
        return list(with_card_image(news.order_by("-date", "-pk"))[:limit])
