import pytest

from tests.public_site import (  # noqa: F401
    _public_site_for_module,
    communication_client,
    communication_user,
    public_site,
)


@pytest.fixture
def api_a(family_a):
    """The API as family A's responsable."""
    from tests.api.helpers import api_client

    return api_client(family_a.user)


@pytest.fixture
def api_b(family_b):
    """The API as family B's responsable."""
    from tests.api.helpers import api_client

    return api_client(family_b.user)


@pytest.fixture
def canteen(db):
    """A canteen calendar around today (tests/api/bookings_helpers.py)."""
    from tests.api.bookings_helpers import live_calendar

    return live_calendar()


@pytest.fixture
def child_a(family_a, canteen):
    """Family A's child, enrolled in ``canteen``."""
    from tests.api.bookings_helpers import enrol

    child = family_a.child
    enrol(child, canteen)
    return child
