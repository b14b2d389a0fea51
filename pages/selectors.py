"""What other layers read from the public site: the site chrome (context processor),
news for the family home, the tutorials private pages link to and the menus of a child
(all registered in ``PagesConfig.ready``), the menus of a week (content API) and the
weeks a menus import replaces (admin).

Reads that belong to one page are methods of that page (``NewsIndexPage.news_listing``,
``MenuWeekPage.week_under``, ``SearchPage.results``…), as in bakerydemo.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from django.http.request import split_domain_port
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from espace_prive.town import site_town_name

from . import cache
from .images import LOGO
from .models import MenuDish, MenuWeekPage, NewsPage, SearchPage, SiteSettings, TutorialPage
from .queries import with_card_image, without_restricted
from .week_menu import build_week_menu

# --- Menus --------------------------------------------------------------------------------


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


def menus_for_private_area(*, monday):
    """The published menus of ``monday`` for the espace famille's « menus of my child »
    (registered in ``PagesConfig.ready`` with ``espace_prive.kitchen.menus``): one
    ``KitchenMenu`` per week page, the schools of its kitchen (None: every school)."""
    from espace_prive.kitchen.menus import Dish, KitchenMenu, MenuDay

    menus = []
    for page in menus_for_week(monday):
        week = build_week_menu(page, dishes=list(page.dishes.all()))
        days = [
            MenuDay(
                date=day.date,
                courses=[
                    (
                        label,
                        [
                            Dish(
                                name=dish.name,
                                allergens=list(dish.allergens),
                                labels=[text for _code, text in dish.label_items],
                            )
                            for dish in dishes
                        ],
                    )
                    for label, dishes in day.courses
                ],
            )
            for day in week.days
        ]
        group = page.menu_group
        schools = frozenset(site.pk for site in group.schools.all()) if group else None
        menus.append(
            KitchenMenu(
                name=group.name if group else "", site_ids=schools, days=days, note=page.note
            )
        )
    return menus


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
        town_name=site_town_name(site, site_settings.town_name),
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


def _site_entry(request):
    """``(site, chrome)`` of the request's host and port: one cache round trip."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def compute():
        site = WagtailSite._find_for_request(request)
        if site is None:
            return None, SiteChrome(town_name=settings.PORTAIL_TOWN_NAME)
        return site, _compute_site_chrome(request, site)

    return cache.cached_in_generation(f"public-cache:site-chrome:{hostname}:{port}", compute)


def request_site(request):
    """Wagtail's site of the request (``Site.find_for_request``), from the cache with its
    chrome: Wagtail queries it on every request, and every private page needs it for
    its header. Kept on the request where Wagtail looks for it, so that Wagtail's own
    later look-ups are free."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site, request._portail_chrome = _site_entry(request)
    return request._wagtail_site


def site_chrome(request):
    """Town name, logo, contact, navigation and footer of the request's site.

    Computed in three queries (settings with the logo, the linked pages, the logo's
    rendition) and kept in the cache until the next publication or settings change.
    """
    if not hasattr(request, "_wagtail_site"):
        request_site(request)
    if hasattr(request, "_portail_chrome"):
        return request._portail_chrome
    # The site was found by Wagtail itself (a page it serves): its chrome alone.
    site = request._wagtail_site
    if site is None:
        return SiteChrome(town_name=settings.PORTAIL_TOWN_NAME)
    return cache.cached_in_generation(
        f"public-cache:chrome:{site.pk}",
        lambda: _compute_site_chrome(request, site),
    )


def news_for_families(*, site_ids, service_ids, limit=4):
    """Live news targeted at these sites or services, newest first, then general news
    (targeted at nobody) to make up ``limit``; images included. Kept in the cache until
    the next publication (one round trip): every family home shows them, and the
    families of a school share them."""
    key = ":".join(
        ["public-cache:news", ",".join(map(str, site_ids)), ",".join(map(str, service_ids))]
    )
    return cache.cached_in_generation(
        f"{key}:{limit}",
        lambda: _news_for_families(site_ids=site_ids, service_ids=service_ids, limit=limit),
    )


def _news_for_families(*, site_ids, service_ids, limit):
    """Two or three queries."""
    news = without_restricted(NewsPage.objects.live())
    targeted = []
    if site_ids or service_ids:
        aimed = news.filter(Q(target_sites__in=site_ids) | Q(target_services__in=service_ids))
        targeted = list(
            with_card_image(news.filter(pk__in=aimed.values("pk")).order_by("-date", "-pk"))[:limit]
        )
        for item in targeted:
            item.is_targeted = True
    general = []
    if len(targeted) < limit:
        general = list(
            with_card_image(
                news.filter(target_sites__isnull=True, target_services__isnull=True)
                .exclude(pk__in=[item.pk for item in targeted])
                .order_by("-date", "-pk")
            )[: limit - len(targeted)]
        )
    return targeted + general


def live_tutorial(slug, request):
    """``(title, url)`` of the live tutorial ``slug`` of the request's site, or None (the
    agenda links « Réserver et annuler » only when the town has published it)."""
    site = request_site(request)
    if site is None:
        return None

    def find():
        tutorials = without_restricted(
            TutorialPage.objects.live().descendant_of(site.root_page).filter(slug=slug)
        )
        tutorial = tutorials.order_by("path").first()
        return None if tutorial is None else (tutorial.title, tutorial.get_url(request))

    # Until the next publication: the agenda links it on every load.
    return cache.cached_in_generation(f"public-cache:tutorial:{site.pk}:{slug}", find)
