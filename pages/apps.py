from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site public"

    def ready(self):
        from espace_prive.home_news import register_news_provider

        from . import selectors, signals

        signals.connect()
        # The family home shows news targeted at the children's schools (and services).
        register_news_provider(selectors.news_for_families)
