from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site public"

    def ready(self):
        from espace_prive.help_pages import register_help_provider
        from espace_prive.home_news import register_news_provider
        from espace_prive.kitchen.menus import register_menu_provider

        from . import selectors, signals

        signals.connect()
        # The family home shows news targeted at the children's schools (and services).
        register_news_provider(selectors.news_for_families)
        # The agenda links the tutorial « Réserver et annuler » when it is published.
        register_help_provider(selectors.live_tutorial)
        # The espace famille shows each canteen child the week's menu, allergens flagged.
        register_menu_provider(selectors.menus_for_private_area)
