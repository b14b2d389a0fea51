"""The demo town's public site: every page type with French content.

Idempotent: a page is created when missing (found by its slug under its parent) and
left alone otherwise, so editors' changes survive a new ``seed_demo``. Deterministic:
fixed texts, pictures drawn with Pillow, one-page PDFs; only the canteen weeks depend on
today (last week, this week and next week always exist).
"""

import logging

from wagtail.images import get_image_model

from espace_prive.catalogue.demo import seed as seed_catalogue

from ..images import ALL as ALL_RENDITIONS
from ..models import SearchPage, TariffsPage
from . import assets
from .common import child, demo_image, home_page, p
from .menus import menu_dishes_for, menus
from .news import news
from .sections import content_pages, documents, faq, practical_info, site_settings, tutorials
from .services import services

__all__ = ["menu_dishes_for", "seed", "seed_home"]


def seed_home(demo):
    """Only the demo town's home page and site (what the site chrome needs)."""
    return home_page(demo)


def seed(demo):
    """Every page type of the public site, with the demo town's content."""
    # Wagtail logs every page it creates and publishes: too much for `make demo`.
    wagtail_logger = logging.getLogger("wagtail")
    level = wagtail_logger.level
    wagtail_logger.setLevel(logging.WARNING)
    try:
        _seed(demo)
    finally:
        wagtail_logger.setLevel(level)


def _seed(demo):
    if "services" not in demo.objects:
        # The service pages and practical info read the catalogue.
        seed_catalogue(demo)
    home = home_page(demo)
    logo = demo_image("Logo de la ville de Belval", alt="Ville de Belval", data=assets.logo())
    pages = {
        "news": news(home, demo),
        "menus": menus(home),
        "services": services(home, demo),
        "tariffs": child(
            home,
            TariffsPage,
            "tarifs",
            title="Tarifs",
            intro=p(
                "Les prix des services dépendent de votre quotient familial (QF), calculé par "
                "la CAF ou la MSA. Les familles qui n'habitent pas Belval paient le tarif hors "
                "commune."
            ),
            simulator_help=p(
                "Saisissez votre quotient familial pour connaître le prix de chaque service."
            ),
            show_in_menus=True,
        ),
        "tutorials": tutorials(home),
        "documents": documents(home),
        "practical": practical_info(home),
        "faq": faq(home),
        "search": child(
            home,
            SearchPage,
            "recherche",
            title="Recherche",
            intro="Cherchez une information sur le site : menus, services, démarches…",
        ),
    }
    pages["accessibility"], pages["legal"] = content_pages(home)
    site_settings(home, pages, logo)
    # Renditions used by the templates exist before the first visitor comes.
    Image = get_image_model()
    for image in Image.objects.filter(title__in=[logo.title]):
        image.get_renditions(*ALL_RENDITIONS)
    demo.objects["public_pages"] = pages
