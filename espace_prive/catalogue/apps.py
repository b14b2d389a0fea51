from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """Reference data shared by the public site and the private area: schools and
    sites, services, periods, tariffs."""

    name = "espace_prive.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue des services"
