"""The calendar of each service: communes (zone, public holidays, residency), school
years and their periods, activity units and their opening days, closures and capacity
(the deadline rules families read in plain French are in ``deadlines``).

Nothing here is typed twice: public holidays are computed (``bookings.holidays``),
school holidays come from the official dataset (``SchoolHoliday``, loaded by
``manage.py import_school_holidays``); staff type only what is the town's own choice.
"""

import datetime
import unicodedata
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from espace_prive.catalogue.models import ServiceUnit
from espace_prive.constraints import FieldConstraintsMixin


def _normalised(text):
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("-", " ").replace("'", " ").lower().split())


class SchoolZone(models.TextChoices):
    A = "A", "Zone A"
    B = "B", "Zone B"
    C = "C", "Zone C"


class HolidayCalendar(models.TextChoices):
    METROPOLE = "metropole", "France métropolitaine"
    ALSACE_MOSELLE = "alsace_moselle", "Alsace-Moselle (Vendredi saint et 26 décembre en plus)"


class Commune(FieldConstraintsMixin, models.Model):
    """The town (or one town of a group) that runs services: its school-holiday zone,
    its public holidays and who counts as a resident (resident tariff).

    One instance may serve several communes: each school year, and so each period,
    enrolment and booking, belongs to one commune.
    """

    Zone = SchoolZone
    Calendar = HolidayCalendar

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=150, unique=True)
    insee_code = models.CharField(
        "code INSEE", max_length=5, blank=True, help_text="5 caractères, par exemple 38185."
    )
    school_zone = models.CharField(
        "zone de vacances scolaires", max_length=1, choices=SchoolZone.choices
    )
    holiday_calendar = models.CharField(
        "jours fériés",
        max_length=20,
        choices=HolidayCalendar.choices,
        default=HolidayCalendar.METROPOLE,
    )
    resident_postcodes = models.CharField(
        "codes postaux des résidents",
        max_length=255,
        blank=True,
        help_text="Séparés par des virgules. Laisser vide pour ne vérifier que le nom.",
    )
    resident_places = models.TextField(
        "autres noms de lieux des résidents",
        blank=True,
        help_text="Hameaux ou anciennes communes rattachées, un par ligne.",
    )

    constraint_fields = {"bookings_commune_zone_valid": "school_zone"}

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school_zone__in=SchoolZone.values),
                name="bookings_commune_zone_valid",
                violation_error_message="Choisissez la zone A, B ou C.",
            ),
            models.CheckConstraint(
                condition=Q(holiday_calendar__in=HolidayCalendar.values),
                name="bookings_commune_calendar_valid",
                violation_error_message="Choisissez un calendrier de jours fériés de la liste.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def postcodes(self):
        return {code.strip() for code in self.resident_postcodes.split(",") if code.strip()}

    def is_resident(self, family):
        """Whether ``family``'s address is in the commune (its city, or one of the listed
        places, and its postcode when postcodes are listed)."""
        places = {_normalised(self.name)} | {
            _normalised(line) for line in self.resident_places.splitlines() if line.strip()
        }
        if _normalised(family.city) not in places:
            return False
        return not self.postcodes or family.postcode.strip() in self.postcodes


class SchoolYear(FieldConstraintsMixin, models.Model):
    """A school year of a commune, from the rentrée to the eve of the next one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="school_years", verbose_name="commune"
    )
    label = models.CharField("libellé", max_length=20, help_text="Par exemple 2026-2027.")
    starts_on = models.DateField("premier jour")
    ends_on = models.DateField("dernier jour (inclus)")

    constraint_fields = {"bookings_schoolyear_dates_ordered": "ends_on"}

    class Meta:
        verbose_name = "année scolaire"
        verbose_name_plural = "années scolaires"
        ordering = ["commune__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "label"],
                name="bookings_schoolyear_unique_label",
                violation_error_message="Cette commune a déjà une année scolaire de ce nom.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="bookings_schoolyear_dates_ordered",
                violation_error_message="Le dernier jour doit suivre le premier jour.",
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.commune})"

    def contains(self, day):
        return self.starts_on <= day <= self.ends_on


class SchoolHoliday(FieldConstraintsMixin, models.Model):
    """French school holidays of one zone, from the ministry's open data.

    ``first_day_off`` and ``last_day_off`` are days without school: the dataset's start
    ("after class on the day shown") and end ("classes resume the morning of the day
    shown") are converted on import (``bookings.school_holidays``).
    """

    zone = models.CharField("zone", max_length=1, choices=SchoolZone.choices)
    name = models.CharField("nom", max_length=100)
    school_year = models.CharField("année scolaire", max_length=9)
    first_day_off = models.DateField("premier jour sans classe")
    last_day_off = models.DateField("dernier jour sans classe")

    constraint_fields = {"bookings_schoolholiday_dates_ordered": "last_day_off"}

    class Meta:
        verbose_name = "vacances scolaires"
        verbose_name_plural = "vacances scolaires"
        ordering = ["first_day_off", "zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "school_year", "name"],
                name="bookings_schoolholiday_unique",
                violation_error_message="Ces vacances sont déjà enregistrées pour cette zone.",
            ),
            models.CheckConstraint(
                condition=Q(last_day_off__gte=F("first_day_off")),
                name="bookings_schoolholiday_dates_ordered",
                violation_error_message="Le dernier jour des vacances précède le premier.",
            ),
            models.CheckConstraint(
                condition=Q(zone__in=SchoolZone.values),
                name="bookings_schoolholiday_zone_valid",
                violation_error_message="Choisissez la zone A, B ou C.",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.school_year} (zone {self.zone})"


class PeriodKind(models.TextChoices):
    SCHOOL_WEEKS = "semaines_scolaires", "Semaines scolaires"
    WEDNESDAYS = "mercredis", "Mercredis"
    HOLIDAYS = "vacances", "Vacances"


class Period(FieldConstraintsMixin, models.Model):
    """When a service runs within a school year: its school weeks, its Wednesdays, or
    one holiday session (which a service may sell whole, as a stage).

    School holidays of the commune's zone are closed in school-week and Wednesday
    periods; a holiday period is open on its own dates.
    """

    Kind = PeriodKind

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.CASCADE,
        related_name="booking_periods",
        verbose_name="service",
    )
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="periods", verbose_name="année scolaire"
    )
    kind = models.CharField("type", max_length=20, choices=PeriodKind.choices)
    name = models.CharField("nom", max_length=100, help_text="Par exemple « Vacances d'hiver ».")
    starts_on = models.DateField("du")
    ends_on = models.DateField("au (inclus)")
    sold_as_session = models.BooleanField(
        "réservation du séjour entier",
        default=False,
        help_text="Les familles réservent toute la session (stage), pas jour par jour.",
    )

    constraint_fields = {
        "bookings_period_dates_ordered": "ends_on",
        "bookings_period_session_in_holidays": "sold_as_session",
    }

    class Meta:
        verbose_name = "période d'accueil"
        verbose_name_plural = "périodes d'accueil"
        ordering = ["service__sort_order", "service__name", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "school_year", "name"],
                name="bookings_period_unique_name",
                violation_error_message="Ce service a déjà une période de ce nom cette année.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="bookings_period_dates_ordered",
                violation_error_message="La fin de la période précède son début.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values),
                name="bookings_period_kind_valid",
                violation_error_message="Choisissez un type de période de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(sold_as_session=False) | Q(kind=PeriodKind.HOLIDAYS),
                name="bookings_period_session_in_holidays",
                violation_error_message="Seule une période de vacances se réserve en entier.",
            ),
        ]

    def __str__(self):
        return f"{self.service} — {self.name} ({self.school_year.label})"

    def clean(self):
        year = getattr(self, "school_year", None) if self.school_year_id else None
        inside = year is None or not (self.starts_on and self.ends_on)
        if not inside and not (year.contains(self.starts_on) and year.contains(self.ends_on)):
            raise ValidationError(
                {"ends_on": f"La période doit tenir dans l'année scolaire {year.label}."}
            )

    def contains(self, day):
        return self.starts_on <= day <= self.ends_on


class UnitKind(models.TextChoices):
    MORNING = "accueil_matin", "Accueil du matin"
    MEAL = "repas", "Repas"
    EVENING = "accueil_soir", "Accueil du soir"
    DAY = "journee", "Journée"
    HALF_DAY_MEAL = "demi_journee_repas", "Demi-journée avec repas"
    HALF_DAY = "demi_journee", "Demi-journée sans repas"
    SESSION = "seance", "Séance"


WEEKDAY_FIELDS = (
    "on_monday",
    "on_tuesday",
    "on_wednesday",
    "on_thursday",
    "on_friday",
    "on_saturday",
    "on_sunday",
)
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class ActivityUnit(FieldConstraintsMixin, models.Model):
    """What a family books for a day: a meal, the morning care, a day at the ALSH…

    Offered at some of the service's sites; open on the days of its weekdays that fall
    in the service's periods of the kinds it runs in. Its price is the service's unit
    price (catalogue ``unit_price``, QF of the day) times ``billed_quantity`` (the
    hours, when the service is priced by the hour).
    """

    Kind = UnitKind

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.CASCADE,
        related_name="activity_units",
        verbose_name="service",
    )
    name = models.CharField("nom", max_length=100)
    kind = models.CharField("type", max_length=30, choices=UnitKind.choices)
    sites = models.ManyToManyField(
        "catalogue.Site", related_name="activity_units", verbose_name="sites", blank=True
    )
    starts_at = models.TimeField("heure de début")
    ends_at = models.TimeField("heure de fin")
    price_unit = models.CharField(
        "unité de prix",
        max_length=20,
        choices=ServiceUnit.choices,
        help_text="Celle de la grille tarifaire du service.",
    )
    billed_quantity = models.DecimalField(
        "quantité facturée",
        max_digits=5,
        decimal_places=2,
        default=1,
        help_text="Nombre d'unités de prix par jour réservé (par exemple 1,5 heure).",
    )
    on_monday = models.BooleanField("lundi", default=True)
    on_tuesday = models.BooleanField("mardi", default=True)
    on_wednesday = models.BooleanField("mercredi", default=False)
    on_thursday = models.BooleanField("jeudi", default=True)
    on_friday = models.BooleanField("vendredi", default=True)
    on_saturday = models.BooleanField("samedi", default=False)
    on_sunday = models.BooleanField("dimanche", default=False)
    in_school_weeks = models.BooleanField("en semaines scolaires", default=True)
    on_wednesdays = models.BooleanField("les mercredis (période des mercredis)", default=False)
    in_holidays = models.BooleanField("pendant les vacances", default=False)
    is_active = models.BooleanField("proposé", default=True)
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    constraint_fields = {
        "bookings_unit_hours_ordered": "ends_at",
        "bookings_unit_quantity_positive": "billed_quantity",
        "bookings_unit_some_weekday": "on_monday",
        "bookings_unit_some_period": "in_school_weeks",
    }

    class Meta:
        verbose_name = "unité d'accueil"
        verbose_name_plural = "unités d'accueil"
        ordering = ["service__sort_order", "service__name", "sort_order", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "name"],
                name="bookings_unit_unique_name",
                violation_error_message="Ce service a déjà une unité de ce nom.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="bookings_unit_kind_valid",
                violation_error_message="Choisissez un type d'unité de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(price_unit__in=ServiceUnit.values),
                name="bookings_unit_price_unit_valid",
                violation_error_message="Choisissez une unité de prix de la liste.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="bookings_unit_hours_ordered",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
            models.CheckConstraint(
                condition=Q(billed_quantity__gt=0),
                name="bookings_unit_quantity_positive",
                violation_error_message="La quantité facturée doit être positive.",
            ),
            models.CheckConstraint(
                condition=Q(on_monday=True)
                | Q(on_tuesday=True)
                | Q(on_wednesday=True)
                | Q(on_thursday=True)
                | Q(on_friday=True)
                | Q(on_saturday=True)
                | Q(on_sunday=True),
                name="bookings_unit_some_weekday",
                violation_error_message="Cochez au moins un jour de la semaine.",
            ),
            models.CheckConstraint(
                condition=Q(in_school_weeks=True) | Q(on_wednesdays=True) | Q(in_holidays=True),
                name="bookings_unit_some_period",
                violation_error_message=(
                    "Cochez au moins une période : semaines scolaires, mercredis ou vacances."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.service})"

    def clean(self):
        service = self.service if self.service_id else None
        if service is not None and self.price_unit and self.price_unit != service.unit:
            raise ValidationError(
                {
                    "price_unit": (
                        "L'unité de prix doit être celle de la grille tarifaire du service "
                        f"({service.get_unit_display()})."
                    )
                }
            )

    @property
    def weekdays(self):
        """Weekdays the unit opens on (0 = Monday)."""
        return frozenset(i for i, name in enumerate(WEEKDAY_FIELDS) if getattr(self, name))

    def runs_in(self, period_kind):
        return {
            PeriodKind.SCHOOL_WEEKS: self.in_school_weeks,
            PeriodKind.WEDNESDAYS: self.on_wednesdays,
            PeriodKind.HOLIDAYS: self.in_holidays,
        }[period_kind]

    @property
    def hours_label(self):
        return (
            f"{self.starts_at:%H:%M}".replace(":", " h ")
            + " – "
            + (f"{self.ends_at:%H:%M}".replace(":", " h "))
        )

    @property
    def quantity(self):
        """Units of price per day: the hours of the unit when priced by the hour."""
        if self.price_unit == ServiceUnit.HOUR and self.billed_quantity == 1:
            start = datetime.datetime.combine(datetime.date.min, self.starts_at)
            end = datetime.datetime.combine(datetime.date.min, self.ends_at)
            return (Decimal((end - start).seconds) / Decimal(3600)).quantize(Decimal("0.01"))
        return self.billed_quantity


class UnitCapacity(FieldConstraintsMixin, models.Model):
    """Places of a unit at a site on an ordinary day (no row: no limit)."""

    unit = models.ForeignKey(
        ActivityUnit, on_delete=models.CASCADE, related_name="capacities", verbose_name="unité"
    )
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.CASCADE, related_name="+", verbose_name="site"
    )
    places = models.PositiveIntegerField("places")

    constraint_fields = {"bookings_unitcapacity_unique": "site"}

    class Meta:
        verbose_name = "capacité d'accueil"
        verbose_name_plural = "capacités d'accueil"
        ordering = ["unit__service__name", "unit__name", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "site"],
                name="bookings_unitcapacity_unique",
                violation_error_message=(
                    "Une capacité est déjà définie pour cette unité et ce site."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} à {self.site} : {self.places} places"


class UnitDay(FieldConstraintsMixin, models.Model):
    """One unit at one site on one day: the row every booking of that day locks
    (``SELECT … FOR UPDATE``), so that capacity is checked by one transaction at a time;
    ``places``, when set, replaces the default capacity for that day."""

    unit = models.ForeignKey(
        ActivityUnit, on_delete=models.CASCADE, related_name="days", verbose_name="unité"
    )
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.CASCADE, related_name="+", verbose_name="site"
    )
    day = models.DateField("jour")
    places = models.PositiveIntegerField(
        "places ce jour-là",
        null=True,
        blank=True,
        help_text="Laisser vide pour la capacité habituelle.",
    )

    constraint_fields = {"bookings_unitday_unique": "day"}

    class Meta:
        verbose_name = "capacité d'un jour"
        verbose_name_plural = "capacités par jour"
        ordering = ["day", "unit__name", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "site", "day"],
                name="bookings_unitday_unique",
                violation_error_message="Ce jour a déjà une capacité pour cette unité et ce site.",
            ),
        ]

    def __str__(self):
        places = "capacité habituelle" if self.places is None else f"{self.places} places"
        return f"{self.unit.name} à {self.site}, le {self.day:%d/%m/%Y} : {places}"


class Closure(FieldConstraintsMixin, models.Model):
    """A one-off closure (strike, pont, works): of the whole commune, or only of a
    service, a site or a unit."""

    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="closures", verbose_name="commune"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="service",
        help_text="Laisser vide pour tous les services.",
    )
    site = models.ForeignKey(
        "catalogue.Site",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="site",
        help_text="Laisser vide pour tous les sites.",
    )
    unit = models.ForeignKey(
        ActivityUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name="unité",
        help_text="Laisser vide pour toutes les unités.",
    )
    first_day = models.DateField("du")
    last_day = models.DateField("au (inclus)")
    reason = models.CharField(
        "motif affiché aux familles", max_length=150, help_text="Par exemple « Grève »."
    )

    constraint_fields = {"bookings_closure_dates_ordered": "last_day"}

    class Meta:
        verbose_name = "fermeture"
        verbose_name_plural = "fermetures exceptionnelles"
        ordering = ["-first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="bookings_closure_dates_ordered",
                violation_error_message="Le dernier jour de fermeture précède le premier.",
            ),
        ]

    def __str__(self):
        return f"{self.reason} ({self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y})"

    def applies_to(self, *, unit, site):
        return (
            (self.service_id is None or self.service_id == unit.service_id)
            and (self.site_id is None or self.site_id == site.pk)
            and (self.unit_id is None or self.unit_id == unit.pk)
        )

    @property
    def is_commune_wide(self):
        return self.service_id is None and self.site_id is None and self.unit_id is None
