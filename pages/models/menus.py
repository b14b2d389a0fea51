"""Canteen menus: the menus page (any ISO week), the week pages and their dishes."""

import datetime

from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .. import serializers
from ..blocks import RICH_TEXT_FEATURES
from ..enums import Allergen, Course, DishLabel, Weekday
from ..fields import ChoiceListField
from ..forms import MenuDayForm, MenuWeekPageForm
from ..queries import without_restricted
from ..week_menu import Week, build_week_menu
from ..weeks import InvalidWeek, iso_week_code, monday_of, parse_menu_week, week_label
from .base import PublicPage
from .snippets import MenuGroup


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
        context = super().get_context(request, *args, **kwargs)
        monday = monday or monday_of(timezone.localdate())
        context.update(
            week=MenuWeekPage.week_under(self, monday, with_schools=True),
            week_error=week_error,
            input_errors=bool(week_error) or bool(kwargs.get("form_errors")),
            day_form=kwargs.get("day_form"),
        )
        return context

    @path("", name="current")
    def current_week(self, request):
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
            monday = parse_menu_week(code, today=timezone.localdate())
        except InvalidWeek as error:
            return self._render(request, week_error=str(error))
        return self._render(request, monday=monday)

    def _render(self, request, **kwargs):
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
        context = super().get_context(request, *args, **kwargs)
        context["week_menu"] = build_week_menu(self, today=timezone.localdate())
        context["menus_index"] = self.get_parent().specific
        context["previous_code"] = iso_week_code(self.week_start - datetime.timedelta(days=7))
        context["next_code"] = iso_week_code(self.week_start + datetime.timedelta(days=7))
        return context

    @classmethod
    def live_weeks_under(cls, root, monday, *, with_schools=False):
        """Live week pages of ``monday`` under ``root`` with their dishes (``week_dishes``)
        in one query (two with the schools of each kitchen). A week page without dishes
        is left out."""
        week_pages = without_restricted(
            cls.objects.live().descendant_of(root).filter(week_start=monday)
        )
        dishes = (
            MenuDish.objects.filter(page__in=week_pages)
            .select_related("page", "page__menu_group")
            .order_by(
                "page__menu_group__sort_order", "page__menu_group__name", "page__path", "sort_order"
            )
        )
        pages, dishes_of = {}, {}
        for dish in dishes:
            page = pages.setdefault(dish.page_id, dish.page)
            dish.page = page
            dishes_of.setdefault(page.pk, []).append(dish)
        for page in pages.values():
            page.week_dishes = dishes_of[page.pk]
        pages = list(pages.values())
        if with_schools:
            groups = [page.menu_group for page in pages if page.menu_group is not None]
            prefetch_related_objects(groups, "schools")
        return pages

    @classmethod
    def week_under(cls, root, monday, *, with_schools=False):
        """The ``Week`` of ``monday`` under ``root``: one menu per kitchen."""
        today = timezone.localdate()
        pages = cls.live_weeks_under(root, monday, with_schools=with_schools)
        return Week(
            monday=monday,
            menus=[build_week_menu(page, today=today, dishes=page.week_dishes) for page in pages],
        )


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
