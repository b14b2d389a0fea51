"""Queries of the public site, written to keep each page at a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from espace_prive.catalogue.models import Site

from .models import COURSE_ORDER, Course, MenuDish, MenuWeekPage, NewsPage, ServicePage
from .weeks import format_day, iso_week_code, week_label

# --- Privacy ----------------------------------------------------------------------------


def without_restricted(pages):
    """``pages`` minus those under a view restriction (login, password, groups).

    Same rule as Wagtail's ``PageQuerySet.public()`` but as a subquery of the same SQL
    statement, where ``public()`` runs one more query to list the restrictions.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.filter(~Exists(restricted))


# --- Home -----------------------------------------------------------------------------


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


def home_sections(home):
    """Children of ``home`` and the service pages, in one query (no ``specific``)."""
    service_type = ContentType.objects.get_for_model(ServicePage)
    pages = (
        Page.objects.live()
        .descendant_of(home)
        .filter(Q(depth=home.depth + 1) | Q(depth=home.depth + 2, content_type=service_type))
        .order_by("path")
    )
    sections = HomeSections()
    for page in pages:
        if page.depth == home.depth + 1:
            sections.by_type.setdefault(page.specific_class.__name__, page)
        else:
            sections.services.append(page)
    return sections


# --- News -----------------------------------------------------------------------------


def _with_card_image(queryset):
    return queryset.select_related("image").prefetch_related("image__renditions")


def latest_news(root, *, limit=3):
    """The newest live news under ``root`` with their images (two queries)."""
    news = without_restricted(NewsPage.objects.live().descendant_of(root))
    return list(_with_card_image(news.order_by("-date", "-pk"))[:limit])


def news_page(index, *, category=None, number=1, per_page=10):
    """One page of the news listing (count, page, renditions: 3 queries).

    Returns None when ``number`` is past the last page.
    """
    news = without_restricted(NewsPage.objects.live().child_of(index))
    if category is not None:
        news = news.filter(categories=category)
    news = _with_card_image(news.order_by("-date", "-pk"))
    paginator = Paginator(news, per_page)
    try:
        return paginator.page(number)
    except EmptyPage:
        return None if number > 1 else paginator.page(1)


# --- Menus ----------------------------------------------------------------------------


@dataclass
class DayMenu:
    date: datetime.date
    is_today: bool
    courses: list  # [(course label, [dishes])]

    @property
    def label(self):
        return format_day(self.date, year=False)


@dataclass
class WeekMenu:
    page: MenuWeekPage
    days: list

    @property
    def group(self):
        return self.page.menu_group


@dataclass
class Week:
    monday: datetime.date
    menus: list  # [WeekMenu], one per kitchen

    @property
    def code(self):
        return iso_week_code(self.monday)

    @property
    def label(self):
        return week_label(self.monday)

    @property
    def previous_code(self):
        return iso_week_code(self.monday - datetime.timedelta(days=7))

    @property
    def next_code(self):
        return iso_week_code(self.monday + datetime.timedelta(days=7))

    @property
    def is_current(self):
        return self.monday <= timezone.localdate() < self.monday + datetime.timedelta(days=7)


def build_week_menu(page, *, today=None, dishes=None):
    """Days of ``page`` that have dishes, courses in serving order."""
    today = today or timezone.localdate()
    dishes = list(page.dishes.all()) if dishes is None else dishes
    labels = dict(Course.choices)
    days = []
    for day_number in range(1, 8):
        of_day = [dish for dish in dishes if dish.day == day_number]
        if not of_day:
            continue
        of_day.sort(key=lambda dish: (COURSE_ORDER.get(dish.course, 99), dish.sort_order or 0))
        courses = []
        for dish in of_day:
            if courses and courses[-1][0] == labels.get(dish.course):
                courses[-1][1].append(dish)
            else:
                courses.append((labels.get(dish.course, dish.course), [dish]))
        date = page.week_start + datetime.timedelta(days=day_number - 1)
        days.append(DayMenu(date=date, is_today=date == today, courses=courses))
    return WeekMenu(page=page, days=days)


def menu_week_pages(root, monday, *, with_schools=False):
    """Live week pages of ``monday`` under ``root`` with their dishes, in one query
    (two with the schools of each kitchen). A week page without dishes is left out."""
    week_pages = without_restricted(
        MenuWeekPage.objects.live().descendant_of(root).filter(week_start=monday)
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


def week_menus(root, monday, *, with_schools=False):
    today = timezone.localdate()
    pages = menu_week_pages(root, monday, with_schools=with_schools)
    return Week(
        monday=monday,
        menus=[build_week_menu(page, today=today, dishes=page.week_dishes) for page in pages],
    )


def existing_menu_weeks(mondays, *, menu_group):
    """Week pages (live or draft) of these Mondays for this kitchen: an import replaces
    their dishes."""
    return list(
        MenuWeekPage.objects.filter(week_start__in=list(mondays), menu_group=menu_group).order_by(
            "week_start"
        )
    )


def menus_for_week(monday):
    """Every live week page of ``monday`` on any site (the API's menus endpoint)."""
    return list(
        without_restricted(MenuWeekPage.objects.live().filter(week_start=monday))
        .select_related("menu_group")
        .prefetch_related(
            Prefetch("dishes", queryset=MenuDish.objects.order_by("day", "sort_order")),
            "menu_group__schools",
        )
        .order_by("menu_group__sort_order", "menu_group__name", "path")
    )


# --- Practical info, search ------------------------------------------------------------


def sites_by_kind(sites):
    """[(kind label, [sites])] in the order of the kinds."""
    groups = {}
    for site in sites:
        groups.setdefault(site.kind, []).append(site)
    return [(label, groups[kind]) for kind, label in Site.Kind.choices if kind in groups]


def search_terms(text):
    """``text`` without double quotes: plain words for every search backend.

    Quotes mean nothing to a plain-text search, and SQLite's full-text search (the
    demo's database) fails on an unbalanced one.
    """
    return " ".join(text.replace('"', " ").split())


def search_results(site, query, number, *, per_page=10):
    """One page of live, public pages of ``site`` matching ``query`` (None past the end)."""
    pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
    terms = search_terms(query)
    paginator = Paginator(pages.search(terms) if terms else pages.none(), per_page)
    try:
        page = paginator.page(number)
    except EmptyPage:
        if number > 1:
            return None
        page = paginator.page(1)
    # The specific pages of this page of results, in bulk (one query per page type).
    ids = [result.pk for result in page.object_list]
    specific = {result.pk: result for result in Page.objects.filter(pk__in=ids).specific()}
    page.object_list = [specific[pk] for pk in ids if pk in specific]
    return page


# --- Site chrome: header and footer of every page --------------------------------------


@dataclass
class Link:
    label: str
    href: str


@dataclass
class SiteChrome:
    """What base.html shows around every page; plain data, cached until a change."""

    town_name: str
    logo: dict | None = None  # {"url", "width", "height"} of the WebP rendition
    address: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = ""
    footer_text: str = ""
    navigation: list = field(default_factory=list)
    footer_links: list = field(default_factory=list)
    search_url: str = ""

    @property
    def has_contact(self):
        return bool(self.address or self.phone or self.email)


def _links(raw_blocks, pages, request):
    links = []
    for block in raw_blocks:
        value = block.get("value") or {}
        if block.get("type") != "link" or not value.get("label"):
            continue
        if value.get("page"):
            page = pages.get(value["page"])
            if page is None:  # unpublished or deleted page: no dead link
                continue
            href = page.get_url(request)
        else:
            href = value.get("url") or ""
        if href:
            links.append(Link(label=value["label"], href=href))
    return links


def _compute_site_chrome(request, site):
    from .images import LOGO
    from .models import SearchPage, SiteSettings

    site_settings = SiteSettings.for_site(site)
    navigation = list(site_settings.main_navigation.raw_data)
    footer = list(site_settings.footer_links.raw_data)
    page_ids = {
        block["value"].get("page")
        for block in navigation + footer
        if isinstance(block.get("value"), dict) and block["value"].get("page")
    }
    search_type = ContentType.objects.get_for_model(SearchPage)
    root = site.root_page
    found = Page.objects.live().filter(
        Q(pk__in=page_ids) | Q(content_type=search_type, path__startswith=root.path)
    )
    pages = {}
    search_url = ""
    for page in found:
        pages[page.pk] = page
        if page.content_type_id == search_type.pk and not search_url:
            search_url = page.get_url(request)
    logo = None
    if site_settings.logo is not None:
        rendition = site_settings.logo.get_rendition(LOGO)
        logo = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return SiteChrome(
        town_name=site_settings.town_name or site.site_name or settings.PORTAIL_TOWN_NAME,
        logo=logo,
        address=site_settings.address,
        phone=site_settings.phone,
        email=site_settings.email,
        opening_hours=site_settings.opening_hours,
        footer_text=site_settings.footer_text,
        navigation=_links(navigation, pages, request),
        footer_links=_links(footer, pages, request),
        search_url=search_url,
    )


def site_chrome(request):
    """Town name, logo, contact, navigation and footer of the request's site.

    Computed in three queries (settings with the logo, the linked pages, the logo's
    rendition) and kept in the cache until the next publication or settings change.
    """
    from wagtail.models import Site as WagtailSite

    from . import cache

    site = WagtailSite.find_for_request(request)
    if site is None:
        return SiteChrome(town_name=settings.PORTAIL_TOWN_NAME)
    return cache.cached_in_generation(
        f"public-cache:chrome:{site.pk}",
        lambda: _compute_site_chrome(request, site),
    )


def news_for_families(*, site_ids, service_ids, limit=4):
    """Live news targeted at these sites or services, newest first, then general news
    (targeted at nobody) to make up ``limit``; two or three queries, images included."""
    news = without_restricted(NewsPage.objects.live())
    targeted = []
    if site_ids or service_ids:
        aimed = news.filter(Q(target_sites__in=site_ids) | Q(target_services__in=service_ids))
        targeted = list(
            _with_card_image(news.filter(pk__in=aimed.values("pk")).order_by("-date", "-pk"))[
                :limit
            ]
        )
        for item in targeted:
            item.is_targeted = True
    general = []
    if len(targeted) < limit:
        general = list(
            _with_card_image(
                news.filter(target_sites__isnull=True, target_services__isnull=True)
                .exclude(pk__in=[item.pk for item in targeted])
                .order_by("-date", "-pk")
            )[: limit - len(targeted)]
        )
    return targeted + general
