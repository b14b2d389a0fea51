"""Snippets and settings of the public site: news categories, kitchens, the town."""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from espace_prive.catalogue.models import Site

from ..blocks import LinkBlock


class NewsCategory(models.Model):
    name = models.CharField("nom", max_length=80, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = "catégorie d'actualités"
        verbose_name_plural = "catégories d'actualités"
        ordering = ["name"]

    def __str__(self):
        return self.name


class MenuGroup(ClusterableModel):
    """A kitchen and the schools it serves, when a town has several menus per week."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    schools = ParentalManyToManyField(
        Site,
        verbose_name="écoles et restaurants servis",
        blank=True,
        related_name="menu_groups",
    )
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("schools"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = "groupe de menus (cuisine)"
        verbose_name_plural = "groupes de menus (cuisines)"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


@register_setting(icon="cog")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """The town's identity, contact details, main navigation and footer."""

    select_related = ["logo"]

    town_name = models.CharField(
        "nom de la commune",
        max_length=120,
        blank=True,
        help_text="Affiché en haut de chaque page (par défaut : le nom du site Wagtail).",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField("adresse", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    opening_hours = models.TextField("horaires d'accueil", blank=True)
    main_navigation = StreamField(
        [("link", LinkBlock())],
        verbose_name="navigation principale",
        blank=True,
        help_text="Liens du menu en haut de chaque page ; le lien « Espace famille » est "
        "toujours ajouté à la fin.",
    )
    footer_links = StreamField(
        [("link", LinkBlock())], verbose_name="liens du pied de page", blank=True
    )
    footer_text = models.CharField("texte du pied de page", max_length=255, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("town_name"), FieldPanel("logo")], heading="Identité"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("opening_hours"),
            ],
            heading="Coordonnées de la mairie",
        ),
        FieldPanel("main_navigation"),
        FieldPanel("footer_links"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = "paramètres du site"
