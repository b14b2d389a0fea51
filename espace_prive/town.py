"""The town's name, as staff set it on the default Wagtail site (Paramètres → Sites),
falling back to ``PORTAIL_TOWN_NAME``. A leaf module: e-mails, letters, PDFs and the
password checks all read it from here."""

from django.conf import settings


def town_name():
    from wagtail.models import Site  # here: this module is imported while apps load

    site = Site.objects.filter(is_default_site=True).only("site_name").first()
    return (site.site_name if site else "") or settings.PORTAIL_TOWN_NAME
