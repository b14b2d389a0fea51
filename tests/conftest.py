"""Fixtures shared by every test: a clean cache, the demo site, personas."""

import os
import shutil

import pytest

from tests.family_file import secrets_of_a  # noqa: F401  (family A's file, for route walks)

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def browser_tests_required():
    return os.environ.get("BROWSER_TESTS", "").lower() == "required"


def chromium_available():
    return os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH) is not None


_SERIALIZED_DATABASES = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Remember the snapshot of migrated data that serialized rollback restores.

    Django keeps it on the connection object, which lives in a context variable; the
    Playwright fixtures run tests in another context (a greenlet), where the attribute
    is missing. Browser tests put it back (see tests/browser/conftest.py).
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            _SERIALIZED_DATABASES[alias] = contents
    yield


@pytest.fixture(autouse=True)
def _clean_cache():
    """Every test starts with an empty cache (Redis in CI, local memory otherwise)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def demo_site(db):
    """The demo town's home page and site, nothing else (the whole public site is the
    ``public_site`` fixture of tests/public_site.py: seeding it takes seconds)."""
    from cms.demo import Demo
    from pages.demo import seed_home

    return seed_home(Demo())


# --- Personas: two families and a member of staff (healthchecks' hc/test.py habit) ----


@pytest.fixture
def family_a(db):
    from tests.factories import make_family_with_login

    return make_family_with_login(email="alice@example.test")


@pytest.fixture
def family_b(db):
    from tests.factories import make_family_with_login

    return make_family_with_login(email="bruno@example.test")


@pytest.fixture
def client_a(client, family_a):
    """A client signed in as family A's responsable."""
    client.force_login(family_a.user)
    return client


@pytest.fixture
def client_b(family_b):
    from django.test import Client

    other = Client()
    other.force_login(family_b.user)
    return other


@pytest.fixture
def phone_request(family_a):
    """Family A asks to change its responsable's mobile phone to 06 11 22 33 44."""
    from tests.factories import make_phone_request

    return make_phone_request(family=family_a.family, actor=family_a.user)


@pytest.fixture
def staff_user(db):
    from tests.factories import make_staff

    return make_staff(email="agent@example.test", superuser=True)


def sign_in(client, user, *, verified=True):
    """Sign ``user`` in on a Django test client; back-office users get a verified second
    factor.

    Every back-office user (staff, or a group giving the admin, like the animators) must
    pass two-factor authentication before any admin URL answers; tests that are not about
    the login itself start from a session where it is done.
    """
    from espace_prive.accounts.selectors import user_needs_second_factor

    client.force_login(user)
    # Asked of a fresh copy: has_perm caches on the object, and tests add rights later.
    if verified and user_needs_second_factor(type(user).objects.get(pk=user.pk)):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def staff_client(staff_user):
    """A client signed in as a superuser with a verified second factor."""
    from django.test import Client

    return sign_in(Client(), staff_user)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: Playwright's own browser download fails offline."""
    if not chromium_available():
        message = f"Chromium not found at {CHROMIUM_PATH} (apt-get install -y chromium)"
        if browser_tests_required():
            pytest.fail(f"BROWSER_TESTS=required but {message}", pytrace=False)
        pytest.skip(f"browser tests skipped: {message}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


def pytest_terminal_summary(terminalreporter):
    if not chromium_available() and not browser_tests_required():
        terminalreporter.write_line(
            f"NOTE: browser tests were skipped: no Chromium at {CHROMIUM_PATH} "
            "(install it with `apt-get install -y chromium`; CI requires it).",
            yellow=True,
        )


def pytest_collection_modifyitems(config, items):
    """A transactional test must also use ``serialized_rollback``.

    Its teardown empties every table; without serialized_rollback Django then re-creates
    content types and permissions under new ids, and the next test that restores the
    serialized rows (the browser tests) fails on duplicate keys, depending on order.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )
