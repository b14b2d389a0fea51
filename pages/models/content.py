"""Tutorials, useful documents, practical information, FAQ, search and free content."""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from espace_prive.catalogue import selectors as catalogue
from espace_prive.catalogue.models import Site

from .. import serializers
from ..blocks import (
    RICH_TEXT_FEATURES,
    BodyBlock,
    DocumentSectionBlock,
    FaqSectionBlock,
    StepBlock,
)
from ..forms import SearchForm
from ..queries import search_terms
from .base import FormPageMixin, PublicPage


class TutorialIndexPage(PublicPage):
    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.TutorialPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "liste des tutoriels"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tutorials"] = TutorialPage.objects.live().child_of(self).order_by("path")
        return context


class TutorialPage(PublicPage):
    intro = models.TextField("objectif", max_length=400)
    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="vidéo (fichier MP4 ou WebM)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    video_captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="sous-titres de la vidéo (fichier WebVTT)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Obligatoires pour l'accessibilité dès qu'une vidéo est parlée.",
    )
    steps = StreamField([("step", StepBlock())], verbose_name="étapes", blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("video_captions")], heading="Vidéo"),
        FieldPanel("steps"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("steps")]
    api_fields = [
        APIField("intro"),
        APIField("video"),
        APIField("video_captions"),
        APIField("steps"),
    ]

    parent_page_types = ["pages.TutorialIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "tutoriel"

    VIDEO_EXTENSIONS = ("mp4", "webm")

    def clean(self):
        super().clean()
        if self.video_captions_id and not self.video_id:
            raise ValidationError({"video_captions": "Ajoutez d'abord la vidéo."})
        errors = {}
        if self.video and self.video.file_extension.lower() not in self.VIDEO_EXTENSIONS:
            errors["video"] = (
                f"« {self.video.title} » n'est pas un fichier vidéo : choisissez un fichier "
                "MP4 ou WebM."
            )
        if self.video_captions and self.video_captions.file_extension.lower() != "vtt":
            errors["video_captions"] = (
                f"« {self.video_captions.title} » n'est pas un fichier de sous-titres : "
                "choisissez un fichier WebVTT (.vtt)."
            )
        if errors:
            raise ValidationError(errors)


class DocumentsPage(PublicPage):
    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    sections = StreamField(
        [("section", DocumentSectionBlock())], verbose_name="documents par catégorie", blank=True
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("sections")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("sections")]
    api_fields = [APIField("intro"), APIField("sections")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "documents utiles"


class PracticalInfoPage(PublicPage):
    """Schools and service sites from the catalogue, plus free contact blocks."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(BodyBlock(), verbose_name="autres informations", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [
        APIField("intro"),
        APIField("body"),
        APIField("sites", serializer=serializers.SiteSerializer(many=True, source="public_sites")),
    ]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "infos pratiques"

    @cached_property
    def public_sites(self):
        return list(catalogue.active_sites())

    @cached_property
    def site_groups(self):
        """[(kind label, [sites])] in the order of the kinds."""
        groups = {}
        for site in self.public_sites:
            groups.setdefault(site.kind, []).append(site)
        return [(label, groups[kind]) for kind, label in Site.Kind.choices if kind in groups]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["site_groups"] = self.site_groups
        return context


class FaqPage(PublicPage):
    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    sections = StreamField([("section", FaqSectionBlock())], verbose_name="questions", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("sections")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("sections")]
    api_fields = [APIField("intro"), APIField("sections")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "foire aux questions"


class SearchPage(FormPageMixin, PublicPage):
    """Results of the site search (Wagtail search; French full text on PostgreSQL)."""

    intro = models.CharField("introduction", max_length=255, blank=True)
    per_page = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = []  # the results page itself is never a result
    api_fields = [APIField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "résultats de recherche"

    def results(self, query, number):
        """One page of live, public pages of this site matching ``query`` (None past
        the end); the specific pages in bulk (one query per page type)."""
        pages = (
            Page.objects.live().public().descendant_of(self.get_site().root_page, inclusive=True)
        )
        terms = search_terms(query)
        paginator = Paginator(pages.search(terms) if terms else pages.none(), self.per_page)
        try:
            page = paginator.page(number)
        except EmptyPage:
            if number > 1:
                return None
            page = paginator.page(1)
        ids = [result.pk for result in page.object_list]
        specific = {result.pk: result for result in Page.objects.filter(pk__in=ids).specific()}
        page.object_list = [specific[pk] for pk in ids if pk in specific]
        return page

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        submitted = "q" in request.GET
        form = SearchForm(request.GET if submitted else None)
        results = None
        if submitted and form.is_valid():
            results = self.results(form.cleaned_data["q"], form.cleaned_data.get("page") or 1)
            if results is None:
                form.add_error("page", "Cette page de résultats n'existe pas.")
        context.update(form=form, results=results, input_errors=submitted and bool(form.errors))
        return context


class ContentPage(PublicPage):
    """A page of free content: accessibility statement, legal notice, a service's rules…"""

    intro = models.TextField("chapeau", blank=True, max_length=400)
    body = StreamField(BodyBlock(), verbose_name="contenu", blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    parent_page_types = ["pages.HomePage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]

    class Meta:
        verbose_name = "page de contenu"
