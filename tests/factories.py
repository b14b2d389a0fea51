"""Small factories for the domain: plain functions with sensible defaults."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from espace_prive.catalogue.models import Site
from espace_prive.families.models import Child, Family, Guardian

_sequence = itertools.count(1)

TEST_PASSWORD = "mot-de-passe-de-test-assez-long"


def make_user(*, email=None, password=TEST_PASSWORD, **fields):
    n = next(_sequence)
    return get_user_model().objects.create_user(
        email=email or f"utilisateur{n}@example.test", password=password, **fields
    )


def make_staff(*, email=None, superuser=False, **fields):
    user = make_user(email=email, is_staff=True, **fields)
    if superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


def make_site(*, name=None, kind=Site.Kind.ELEMENTARY_SCHOOL, **fields):
    n = next(_sequence)
    return Site.objects.create(name=name or f"École {n}", kind=kind, **fields)


def make_family(*, reference=None, **fields):
    n = next(_sequence)
    return Family.objects.create(reference=reference or f"TEST-{n:05d}", **fields)


def make_guardian(*, family=None, user=None, role=Guardian.Role.PRIMARY, **fields):
    family = family or make_family()
    n = next(_sequence)
    fields.setdefault("first_name", f"Prénom{n}")
    fields.setdefault("last_name", f"Nom{n}")
    return Guardian.objects.create(family=family, user=user, role=role, **fields)


def make_child(*, family=None, birth_date=datetime.date(2018, 5, 1), **fields):
    family = family or make_family()
    n = next(_sequence)
    fields.setdefault("first_name", f"Enfant{n}")
    fields.setdefault("last_name", "Test")
    return Child.objects.create(family=family, birth_date=birth_date, **fields)


def make_family_with_login(*, email=None, children=1):
    """A family whose responsable 1 can sign in; returns (family, user)."""
    user = make_user(email=email)
    family = make_family()
    make_guardian(family=family, user=user, email=user.email)
    for _ in range(children):
        make_child(family=family)
    return family, user
