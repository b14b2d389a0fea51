from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site public"

    def ready(self):
        from . import signals

        signals.connect()
