"""Page types, snippets and settings of the public site, one module per area.

Services, sites and tariff grids are reference data of the private area's domain
(``espace_prive.catalogue``); pages link to them and never copy them. Choices live in
``pages.enums``; a week of menus laid out for display in ``pages.week_menu``.
"""

from .base import FormPageMixin, PublicPage
from .content import (
    ContentPage,
    DocumentsPage,
    FaqPage,
    PracticalInfoPage,
    SearchPage,
    TutorialIndexPage,
    TutorialPage,
)
from .home import HomePage, HomeSections
from .menus import MenuDish, MenusIndexPage, MenuWeekPage
from .news import NewsIndexPage, NewsPage
from .service_pages import ServiceIndexPage, ServicePage, TariffsPage
from .snippets import MenuGroup, NewsCategory, SiteSettings

__all__ = [
    "ContentPage",
    "DocumentsPage",
    "FaqPage",
    "FormPageMixin",
    "HomePage",
    "HomeSections",
    "MenuDish",
    "MenuGroup",
    "MenuWeekPage",
    "MenusIndexPage",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "PracticalInfoPage",
    "PublicPage",
    "SearchPage",
    "ServiceIndexPage",
    "ServicePage",
    "SiteSettings",
    "TariffsPage",
    "TutorialIndexPage",
    "TutorialPage",
]
