"""Fixtures and helpers for the public site's tests (imported by the conftest files of
tests/pages, tests/api, tests/catalogue and tests/browser)."""

import pytest


def seed_public_site():
    """The demo catalogue and public site, as ``seed_demo`` creates them."""
    from cms.demo import Demo
    from espace_prive.catalogue.demo import seed as seed_catalogue
    from pages.demo import seed as seed_pages

    demo = Demo()
    seed_catalogue(demo)
    seed_pages(demo)
    return demo


@pytest.fixture(scope="module")
def _public_site_for_module(django_db_setup, django_db_blocker):
    """Seed once per test module, inside a transaction rolled back at the end of the
    module; each test runs in a savepoint of it (pytest-django's ``db``), so what a
    test changes is undone before the next one."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        demo = seed_public_site()
        yield demo
        transaction.set_rollback(True)


@pytest.fixture
def public_site(_public_site_for_module, db):
    """Every page type with the demo town's content; ``.objects`` holds what the seeders
    made (fetch a page again before changing it: the objects are shared by a module)."""
    return _public_site_for_module


@pytest.fixture
def communication_user(db):
    from django.contrib.auth.models import Group

    from tests.factories import make_staff

    user = make_staff(email="communication@example.test", first_name="Camille")
    user.groups.add(Group.objects.get(name="Communication"))
    return user


@pytest.fixture
def communication_client(communication_user):
    """A member of the Communication group, signed in with a verified second factor."""
    from django.test import Client

    from tests.conftest import sign_in

    return sign_in(Client(), communication_user)
