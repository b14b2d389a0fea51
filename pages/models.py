"""Page types, snippets and settings of the public site.

Services, sites and tariff grids are reference data of the private area's domain
(``espace_prive.catalogue``); pages link to them and never copy them.
"""

import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from espace_prive.catalogue import selectors as catalogue
from espace_prive.catalogue.models import Service, Site

from . import serializers
from .blocks import (
    RICH_TEXT_FEATURES,
    BodyBlock,
    ContactBlock,
    DocumentSectionBlock,
    FaqSectionBlock,
    LinkBlock,
    StepBlock,
)
from .fields import ChoiceListField
from .forms import MenuWeekPageForm
from .images import CARD
from .weeks import InvalidWeek, iso_week_code, monday_of, parse_iso_week, week_label

# --- Snippets and settings -----------------------------------------------------------


class NewsCategory(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = "catégorie d'actualités"
        verbose_name_plural = "catégories d'actualités"
        ordering = ["name"]

    def __str__(self):
        return self.name


class MenuGroup(ClusterableModel):
    """A kitchen and the schools it serves, when a town has several menus per week."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    schools = ParentalManyToManyField(
        Site,
        verbose_name="écoles et restaurants servis",
        blank=True,
        related_name="menu_groups",
    )
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("schools"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "groupe de menus (cuisine)"
        verbose_name_plural = "groupes de menus (cuisines)"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_setting(icon="cog")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """The town's identity, contact details, main navigation and footer."""

    select_related = ["logo"]

    town_name = models.CharField(
        "nom de la commune",
        max_length=120,
        blank=True,
        help_text="Affiché en haut de chaque page (par défaut : le nom du site Wagtail).",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField("adresse", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    opening_hours = models.TextField("horaires d'accueil", blank=True)
    main_navigation = StreamField(
        [("link", LinkBlock())],
        verbose_name="navigation principale",
        blank=True,
        help_text="Liens du menu en haut de chaque page ; le lien « Espace famille » est "
        "toujours ajouté à la fin.",
    )
    footer_links = StreamField(
        [("link", LinkBlock())], verbose_name="liens du pied de page", blank=True
    )
    footer_text = models.CharField("texte du pied de page", max_length=255, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("town_name"), FieldPanel("logo")], heading="Identité"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
            ],
            heading="Coordonnées de la mairie",
        ),
        FieldPanel("main_navigation"),
        FieldPanel("footer_links"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = "paramètres du site"


# --- Base classes ---------------------------------------------------------------------


class PublicPage(Page):
    """What every page of the public site shares: served from the public cache."""

    # Pages whose content changes with each visitor (none so far) set this to False.
    public_cache = True

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """The restrictions of this page and its ancestors, in one query.

        Wagtail's version first loads the ancestors to resolve aliases; the ancestors'
        paths are prefixes of ``self.path``, and an alias takes the restrictions of its
        source page (aliases cannot have their own), so one query does.
        """
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            models.Q(page__path__in=paths) | models.Q(page__aliases__path__in=paths)
        ).distinct()


class FormPageMixin:
    """Pages that validate query parameters answer 400 when the input is bad."""

    def serve(self, request, *args, **kwargs):
        context = self.get_context(request, *args, **kwargs)
        status = 400 if context.get("input_errors") else 200
        return TemplateResponse(
            request, self.get_template(request, *args, **kwargs), context, status=status
        )


# --- Home -----------------------------------------------------------------------------


class AlertLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Important (grève, fermeture…)"


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

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        sections = selectors.home_sections(self)
        monday = monday_of(timezone.localdate())
        context.update(
            sections=sections,
            latest_news=selectors.latest_news(self, limit=3),
            week=selectors.week_menus(self, monday, with_schools=False),
        )
        return context


# --- News -----------------------------------------------------------------------------


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

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .forms import NewsFilterForm

        context = super().get_context(request, *args, **kwargs)
        categories = list(NewsCategory.objects.all())
        form = NewsFilterForm(request.GET, categories=categories)
        input_errors = not form.is_valid()
        category = None if input_errors else form.cleaned_data.get("categorie")
        number = 1 if input_errors else form.cleaned_data.get("page") or 1
        listing = selectors.news_page(
            self, category=category, number=number, per_page=self.per_page
        )
        if listing is None:
            form.add_error("page", "Cette page de résultats n'existe pas.")
            input_errors = True
            listing = selectors.news_page(self, category=category, number=1, per_page=self.per_page)
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


# --- Canteen menus --------------------------------------------------------------------


class Course(models.TextChoices):
    """The courses of a meal, in serving order."""

    STARTER = "starter", "Entrée"
    MAIN = "main", "Plat"
    SIDE = "side", "Accompagnement"
    DAIRY = "dairy", "Laitage"
    DESSERT = "dessert", "Dessert"
    SNACK = "snack", "Goûter"


COURSE_ORDER = {course: position for position, course in enumerate(Course.values)}


class DishLabel(models.TextChoices):
    ORGANIC = "organic", "Bio"
    LOCAL = "local", "Local"
    HOMEMADE = "homemade", "Fait maison"
    VEGETARIAN = "vegetarian", "Végétarien"


class Allergen(models.TextChoices):
    """The 14 allergens every menu must declare (EU regulation 1169/2011, annex II)."""

    GLUTEN = "gluten", "Gluten"
    CRUSTACEANS = "crustaceans", "Crustacés"
    EGGS = "eggs", "Œufs"
    FISH = "fish", "Poisson"
    PEANUTS = "peanuts", "Arachides"
    SOY = "soy", "Soja"
    MILK = "milk", "Lait"
    NUTS = "nuts", "Fruits à coque"
    CELERY = "celery", "Céleri"
    MUSTARD = "mustard", "Moutarde"
    SESAME = "sesame", "Sésame"
    SULPHITES = "sulphites", "Sulfites"
    LUPIN = "lupin", "Lupin"
    MOLLUSCS = "molluscs", "Mollusques"


class Weekday(models.IntegerChoices):
    MONDAY = 1, "Lundi"
    TUESDAY = 2, "Mardi"
    WEDNESDAY = 3, "Mercredi"
    THURSDAY = 4, "Jeudi"
    FRIDAY = 5, "Vendredi"
    SATURDAY = 6, "Samedi"
    SUNDAY = 7, "Dimanche"


class MenusIndexPage(RoutablePageMixin, PublicPage):
    """The canteen menus: this week by default, any week at ``semaine/2026-W48/``."""

    intro = RichTextField("introduction", blank=True, features=RICH_TEXT_FEATURES)
    allergen_notice = models.TextField(
        "information allergènes",
        blank=True,
        default="Les 14 allergènes majeurs sont signalés pour chaque plat. Pour un enfant "
        "allergique, un projet d'accueil individualisé (PAI) est à établir avec l'école.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("allergen_notice")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("allergen_notice")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.MenuWeekPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "menus des restaurants scolaires"

    def get_context(self, request, *args, monday=None, week_error=None, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        monday = monday or monday_of(timezone.localdate())
        context.update(
            week=selectors.week_menus(self, monday, with_schools=True),
            week_error=week_error,
            input_errors=bool(week_error) or bool(kwargs.get("form_errors")),
            day_form=kwargs.get("day_form"),
        )
        return context

    @path("", name="current")
    def current_week(self, request):
        from .forms import MenuDayForm

        if "jour" in request.GET:
            form = MenuDayForm(request.GET)
            if form.is_valid():
                code = iso_week_code(form.cleaned_data["jour"])
                return HttpResponseRedirect(self.url + self.reverse_subpage("week", args=[code]))
            return self._render(request, day_form=form, form_errors=True)
        return self._render(request)

    @re_path(r"^semaine/(?P<code>[^/]{1,20})/$", name="week")
    def week(self, request, code):
        try:
            monday = parse_iso_week(code)
        except InvalidWeek as error:
            return self._render(request, week_error=str(error))
        return self._render(request, monday=monday)

    def _render(self, request, **kwargs):
        from .forms import MenuDayForm

        kwargs.setdefault("day_form", MenuDayForm())
        context = self.get_context(request, **kwargs)
        status = 400 if context["input_errors"] else 200
        return TemplateResponse(request, self.get_template(request), context, status=status)


class MenuWeekPage(PublicPage):
    """The menus of one week (for one kitchen when the town has several)."""

    week_start = models.DateField(
        "semaine du",
        help_text="N'importe quel jour de la semaine : le lundi est retenu.",
    )
    menu_group = models.ForeignKey(
        MenuGroup,
        verbose_name="groupe de menus (cuisine)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="weeks",
        help_text="Seulement si la commune a plusieurs cuisines.",
    )
    note = models.CharField(
        "remarque",
        max_length=255,
        blank=True,
        default="Menus susceptibles d'être modifiés selon les approvisionnements.",
    )

    content_panels = [
        *Page.content_panels,
        HelpPanel(
            content="Pour aller plus vite : « Menus : saisie rapide » dans le menu de "
            "l'administration copie une semaine existante ou importe un fichier CSV."
        ),
        FieldRowPanel([FieldPanel("week_start"), FieldPanel("menu_group")]),
        FieldPanel("note"),
        InlinePanel(
            "dishes",
            heading="Plats",
            label="Plat",
            panels=[
                FieldRowPanel([FieldPanel("day"), FieldPanel("course")]),
                FieldPanel("name"),
                FieldPanel("labels"),
                FieldPanel("allergens"),
            ],
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.FilterField("week_start"),
        index.RelatedFields("dishes", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("week_start"),
        APIField("iso_week"),
        APIField("note"),
        APIField("menu_group", serializer=serializers.MenuGroupSerializer()),
        APIField("dishes", serializer=serializers.DishSerializer(many=True)),
    ]

    base_form_class = MenuWeekPageForm
    parent_page_types = ["pages.MenusIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "menus d'une semaine"
        verbose_name_plural = "menus des semaines"
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "menu_group"],
                name="pages_menuweek_unique_group_week",
                violation_error_message="Les menus de cette semaine existent déjà pour cette "
                "cuisine.",
            ),
            models.UniqueConstraint(
                fields=["week_start"],
                condition=models.Q(menu_group__isnull=True),
                name="pages_menuweek_unique_week",
                violation_error_message="Les menus de cette semaine existent déjà.",
            ),
        ]

    @property
    def iso_week(self):
        return iso_week_code(self.week_start) if self.week_start else ""

    @property
    def week_label(self):
        return week_label(self.week_start)

    def clean(self):
        super().clean()
        if self.week_start:
            self.week_start = monday_of(self.week_start)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["week_menu"] = selectors.build_week_menu(self, today=timezone.localdate())
        context["menus_index"] = self.get_parent().specific
        context["previous_code"] = iso_week_code(self.week_start - datetime.timedelta(days=7))
        context["next_code"] = iso_week_code(self.week_start + datetime.timedelta(days=7))
        return context


class MenuDish(Orderable):
    page = ParentalKey(MenuWeekPage, on_delete=models.CASCADE, related_name="dishes")
    day = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    course = models.CharField("type de plat", max_length=20, choices=Course.choices)
    name = models.CharField("plat", max_length=150)
    labels = ChoiceListField("labels", choices_class=DishLabel)
    allergens = ChoiceListField("allergènes", choices_class=Allergen)

    class Meta(Orderable.Meta):
        verbose_name = "plat"
        verbose_name_plural = "plats"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__gte=1, day__lte=7), name="pages_menudish_day_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(course__in=Course.values), name="pages_menudish_course_valid"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def date(self):
        return self.page.week_start + datetime.timedelta(days=self.day - 1)

    @property
    def label_items(self):
        return [(code, DishLabel(code).label) for code in self.labels if code in DishLabel.values]

    @property
    def allergen_items(self):
        return [(code, Allergen(code).label) for code in self.allergens if code in Allergen.values]


# --- Services and tariffs -------------------------------------------------------------


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = (
            ServicePage.objects.live().child_of(self).select_related("service").order_by("path")
        )
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
        from .forms import TariffSimulatorForm

        context = super().get_context(request, *args, **kwargs)
        services = list(catalogue.active_services())
        grids = catalogue.current_tariff_grids(services=services)
        submitted = any(key in request.GET for key in TariffSimulatorForm.base_fields)
        form = TariffSimulatorForm(request.GET if submitted else None)
        results = None
        if submitted and form.is_valid():
            quotient = form.cleaned_data["quotient"]
            resident = form.cleaned_data["residence"] == TariffSimulatorForm.RESIDENT
            results = []
            for service in services:
                grid = grids.get(service.id)
                price = None
                if grid is not None:
                    try:
                        price = catalogue.price_from_grid(grid, quotient, resident=resident)
                    except catalogue.TariffNotFound:
                        price = None
                results.append({"service": service, "grid": grid, "price": price})
        context.update(
            form=form,
            input_errors=submitted and not form.is_valid(),
            results=results,
            grids=[(service, grids.get(service.id)) for service in services],
        )
        return context


# --- Tutorials, documents, practical info, FAQ, search, content ---------------------


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

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["site_groups"] = selectors.sites_by_kind(self.public_sites)
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

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .forms import SearchForm

        context = super().get_context(request, *args, **kwargs)
        submitted = "q" in request.GET
        form = SearchForm(request.GET if submitted else None)
        results = None
        if submitted and form.is_valid():
            results = selectors.search_results(
                self.get_site(),
                form.cleaned_data["q"],
                form.cleaned_data.get("page") or 1,
                per_page=self.per_page,
            )
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
