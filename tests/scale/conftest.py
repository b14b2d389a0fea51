"""The demo data once per module (``seed_demo`` is the slow part of a town), inside a
transaction rolled back at the end of the module; each test builds its town in its own
transaction on top of it (``build_town``)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def build_town(families, seed=1):
    from cms.scale import Town, build
    from espace_prive.bookings.models import SchoolYear
    from espace_prive.catalogue.selectors import school_year_bounds

    first, _last = school_year_bounds(timezone.localdate())
    town = Town(families=families, seed=seed, log=lambda text: None)
    town.objects["school_year"] = SchoolYear.objects.get(commune__name="Belval", starts_on=first)
    return build(town)


@pytest.fixture
def town_family_user():
    """The login of the town's family number 1 (responsable 1)."""

    def get():
        from espace_prive.families.models import Family

        family = Family.objects.get(reference="VIL-000001")
        return family, family.guardians.get(role="responsable").user

    return get
