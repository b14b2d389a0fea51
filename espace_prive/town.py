"""The town's name, as staff set it in the site settings (Paramètres → Paramètres du
site, « nom de la commune »), else the default Wagtail site's name (Paramètres → Sites),
falling back to ``PORTAIL_TOWN_NAME``. A leaf module: pages, e-mails, letters, PDFs, error
pages and the password checks all read it from here (models are looked up by name, so
that no app is imported)."""

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError


def town_name():
    site_model = apps.get_model("wagtailcore", "Site")
    site = site_model.objects.filter(is_default_site=True).only("pk", "site_name").first()
    if site is None:
        return settings.PORTAIL_TOWN_NAME
    return site_town_name(site)


def site_town_name(site, configured=None):
    """The name of one Wagtail site: its settings' town name, else its own name.
    ``configured`` is the settings' town name when the caller has already read it."""
    if configured is None:
        settings_model = apps.get_model("pages", "SiteSettings")
        configured = (
            settings_model.objects.filter(site=site).values_list("town_name", flat=True).first()
        )
    return configured or site.site_name or settings.PORTAIL_TOWN_NAME


def town_name_or_default():
    """For the pages shown when something failed (server error, bad request, expired
    form): the town's name if the database answers, ``PORTAIL_TOWN_NAME`` otherwise."""
    try:
        return town_name()
    except DatabaseError:
        return settings.PORTAIL_TOWN_NAME
