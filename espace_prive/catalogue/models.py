import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from espace_prive.constraints import FieldConstraintsMixin


class SiteKind(models.TextChoices):
    NURSERY_SCHOOL = "ecole_maternelle", "École maternelle"
    ELEMENTARY_SCHOOL = "ecole_elementaire", "École élémentaire"
    PRIMARY_SCHOOL = "ecole_primaire", "École primaire"
    LEISURE_CENTRE = "centre_loisirs", "Accueil de loisirs"
    CANTEEN = "restaurant_scolaire", "Restaurant scolaire"
    YOUTH_CENTRE = "espace_jeunes", "Espace jeunes"
    SPORTS = "equipement_sportif", "Équipement sportif"
    OFFICE = "service", "Service municipal"


SCHOOL_KINDS = (SiteKind.NURSERY_SCHOOL, SiteKind.ELEMENTARY_SCHOOL, SiteKind.PRIMARY_SCHOOL)


class Site(models.Model):
    """A place where children go: a school, a leisure centre, a canteen, a gym…

    Reused by the public site (practical info, service pages) and by the private area
    (a child's school, where a service takes place, meal counts per school).
    """

    Kind = SiteKind

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=150, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    opening_hours = models.TextField("horaires", blank=True)
    contact_person = models.CharField("personne à contacter", max_length=150, blank=True)
    is_active = models.BooleanField("en service", default=True)

    class Meta:
        verbose_name = "site"
        verbose_name_plural = "sites et écoles"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SiteKind.values),
                name="catalogue_site_kind_valid",
                violation_error_message="Choisissez un type de site de la liste.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_school(self):
        return self.kind in SCHOOL_KINDS


class ServiceKind(models.TextChoices):
    AFTER_SCHOOL = "periscolaire", "Accueil périscolaire"
    CANTEEN = "restauration", "Restauration scolaire"
    LEISURE_CENTRE = "accueil_loisirs", "Accueil de loisirs"
    SPORTS_SCHOOL = "ecole_sports", "École municipale des sports"
    YOUTH = "espace_jeunes", "Espace jeunes"
    SPORTS_TICKETS = "tickets_sports", "Tickets sports / pass'sports"
    OTHER = "autre", "Autre service"


class ServiceUnit(models.TextChoices):
    MEAL = "repas", "le repas"
    SESSION = "seance", "la séance"
    HOUR = "heure", "l'heure"
    HALF_DAY = "demi_journee", "la demi-journée"
    DAY = "journee", "la journée"
    WEEK = "semaine", "la semaine"
    YEAR = "annee", "l'année"


class Service(models.Model):
    """A service families enrol in and pay for: périscolaire, cantine, ALSH…

    The public site describes it (service pages, tariffs); the private area enrols,
    books and bills it.
    """

    Kind = ServiceKind
    Unit = ServiceUnit

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=150, unique=True)
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices)
    unit = models.CharField(
        "unité de facturation",
        max_length=20,
        choices=Unit.choices,
        help_text="Ce que couvre un prix unitaire de la grille tarifaire.",
    )
    summary = models.CharField("résumé", max_length=255, blank=True)
    sites = models.ManyToManyField(Site, verbose_name="sites", blank=True, related_name="services")
    is_active = models.BooleanField("proposé", default=True)
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "services"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ServiceKind.values),
                name="catalogue_service_kind_valid",
                violation_error_message="Choisissez un type de service de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=ServiceUnit.values),
                name="catalogue_service_unit_valid",
                violation_error_message="Choisissez une unité de facturation de la liste.",
            ),
        ]

    def __str__(self):
        return self.name


PRICE_FIELD = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class TariffGrid(FieldConstraintsMixin, ClusterableModel):
    """The prices of one service over a period (usually a school year).

    Families pay the price of the band holding their quotient familial; non-residents
    pay one rate whatever their QF; families without a valid QF pay ``no_qf_price``
    (when empty: the highest price of the grid). Billing reads it through
    ``catalogue.selectors.unit_price``. Grids of a service never overlap in time; the
    bands of a grid never overlap and cover every QF from 0 (PostgreSQL enforces the
    absence of overlap with exclusion constraints, the admin form checks the rest).
    """

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="tariff_grids", verbose_name="service"
    )
    label = models.CharField(
        "libellé", max_length=100, help_text="Par exemple « Année scolaire 2026-2027 »."
    )
    valid_from = models.DateField("valable du")
    valid_until = models.DateField("valable jusqu'au (inclus)")
    non_resident_price = models.DecimalField("tarif hors commune", **PRICE_FIELD)
    no_qf_price = models.DecimalField(
        "tarif sans quotient familial valide",
        null=True,
        blank=True,
        help_text="Laisser vide pour appliquer le tarif le plus élevé de la grille.",
        **PRICE_FIELD,
    )

    constraint_fields = {
        "catalogue_tariffgrid_period_valid": "valid_until",
        "catalogue_tariffgrid_prices_not_negative": "non_resident_price",
    }

    class Meta:
        verbose_name = "grille tarifaire"
        verbose_name_plural = "grilles tarifaires"
        ordering = ["service__sort_order", "service__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="catalogue_tariffgrid_period_valid",
                violation_error_message="La fin de validité doit suivre le début de validité.",
            ),
            models.CheckConstraint(
                condition=Q(non_resident_price__gte=0)
                & (Q(no_qf_price__isnull=True) | Q(no_qf_price__gte=0)),
                name="catalogue_tariffgrid_prices_not_negative",
                violation_error_message="Un tarif ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.service} — {self.label}"

    def covers(self, day):
        return self.valid_from <= day <= self.valid_until


class TariffBand(FieldConstraintsMixin, models.Model):
    """One quotient familial band of a grid: QF in [qf_min, qf_max) pays ``price``."""

    grid = ParentalKey(TariffGrid, on_delete=models.CASCADE, related_name="bands")
    qf_min = models.PositiveIntegerField("QF à partir de (inclus)")
    qf_max = models.PositiveIntegerField(
        "QF jusqu'à (exclu)",
        null=True,
        blank=True,
        help_text="Laisser vide pour la dernière tranche (sans plafond).",
    )
    price = models.DecimalField("prix unitaire", **PRICE_FIELD)

    constraint_fields = {
        "catalogue_band_unique_min": "qf_min",
        "catalogue_band_range_valid": "qf_max",
        "catalogue_band_price_not_negative": "price",
    }

    class Meta:
        verbose_name = "tranche de quotient familial"
        verbose_name_plural = "tranches de quotient familial"
        ordering = ["qf_min"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "qf_min"],
                name="catalogue_band_unique_min",
                violation_error_message=(
                    "Deux tranches de cette grille commencent au même quotient familial."
                ),
            ),
            models.CheckConstraint(
                condition=Q(qf_max__isnull=True) | Q(qf_max__gt=models.F("qf_min")),
                name="catalogue_band_range_valid",
                violation_error_message=(
                    "La borne « QF jusqu'à » doit être supérieure à « QF à partir de »."
                ),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="catalogue_band_price_not_negative",
                violation_error_message="Un prix ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        if self.qf_max is None:
            return f"QF ≥ {self.qf_min}"
        return f"QF {self.qf_min} à {self.qf_max - 1}"

    def contains(self, quotient_familial):
        return self.qf_min <= quotient_familial and (
            self.qf_max is None or quotient_familial < self.qf_max
        )
