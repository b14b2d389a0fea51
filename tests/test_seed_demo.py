import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from espace_prive.accounts import demo as accounts_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    User = get_user_model()
    return (
        sorted(User.objects.values_list("email", "is_staff", "first_name")),
        sorted(Page.objects.values_list("url_path", "title")),
        list(Site.objects.values_list("hostname", "site_name", "root_page__url_path")),
    )


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert _snapshot() == first
    assert accounts_demo.STAFF_EMAIL in output and accounts_demo.STAFF_PASSWORD in output
    assert accounts_demo.FAMILY_EMAIL in output


def test_seeded_logins_work(client):
    call_command("seed_demo")
    assert client.login(email=accounts_demo.FAMILY_EMAIL, password=accounts_demo.FAMILY_PASSWORD)
    staff = get_user_model().objects.get(email=accounts_demo.STAFF_EMAIL)
    assert staff.is_staff and staff.check_password(accounts_demo.STAFF_PASSWORD)
