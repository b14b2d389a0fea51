import uuid

from django.db import models


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
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_school(self):
        return self.kind in SCHOOL_KINDS
