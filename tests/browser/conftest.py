import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

# Browser tests talk to a live server thread, so they need real commits. A flush would
# also wipe the rows Wagtail's migrations create (root page, locale, collection,
# groups): serialized_rollback restores them after each test.
live_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_in_playwright_context(playwright, django_db_setup):
    """Give the connection of the Playwright context the snapshot serialized rollback needs."""
    from django.db import connections

    from tests.conftest import _SERIALIZED_DATABASES

    for alias, contents in _SERIALIZED_DATABASES.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core (bundled, offline) on the page and fail with the violations listed."""

    def check(page):
        results = axe.run(page)
        violations = results.response["violations"]
        summary = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} → "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"{len(violations)} axe violation(s) on {page.url}:\n{summary}"

    return check


def _sign_in_context(context, live_server, user, *, verified=True):
    """Give the browser ``context`` a session of ``user`` (staff: second factor done)."""
    from django.conf import settings
    from django.test import Client

    from tests.conftest import sign_in

    client = sign_in(Client(), user, verified=verified)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def page_signed_in(browser, live_server, user, *, verified=True):
    """A page in a browser context of its own, signed in as ``user``: a second person
    (a member of staff, the other guardian) using the service at the same time."""
    context = browser.new_context()
    _sign_in_context(context, live_server, user, verified=verified)
    return context.new_page()


@pytest.fixture
def login_as(live_server, context):
    """Open a signed-in session for ``user`` in the browser (staff: second factor done).

    Use it when the sign-in itself is not what the test is about.
    """

    def login(user, *, verified=True):
        _sign_in_context(context, live_server, user, verified=verified)

    return login
