import pytest
from django_otp import DEVICE_ID_SESSION_KEY

pytestmark = pytest.mark.django_db


def test_staff_client_has_a_verified_second_factor(staff_client, staff_user):
    assert staff_client.session[DEVICE_ID_SESSION_KEY].endswith(
        str(staff_user.totpdevice_set.get().pk)
    )
    assert staff_client.get("/admin/").status_code == 200


def test_family_clients_are_two_different_families(client_a, client_b, family_a, family_b):
    assert family_a.family != family_b.family
    assert client_a.get("/espace-famille/").context["user"] == family_a.user
    assert client_b.get("/espace-famille/").context["user"] == family_b.user
