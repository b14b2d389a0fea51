"""The town's name (issue 9.10): every page, e-mail and PDF names the town set in the site
settings, never the product name — error pages, the expired-form page and the fiche enfant
included; the server-error page still renders when the database is down."""

import re
import subprocess
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory
from django.urls import path, reverse
from wagtail.models import Site

from cms import views as cms_views
from cms.urls import urlpatterns as project_urlpatterns
from espace_prive.town import town_name
from tests.accounts.helpers import captured_commits
from tests.reading import text

TOWN = "Ville de Testville"
PRODUCT = "Portail Famille"


def _broken_view(request):
    raise RuntimeError("panne")


urlpatterns = [path("panne/", _broken_view), *project_urlpatterns]
handler400 = "cms.views.bad_request"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"


def _title(page):
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


@pytest.fixture
def testville(db, django_capture_on_commit_callbacks, settings):
    """The default site named « Ville de Belval », its settings saying « Ville de
    Testville »: the settings win."""
    from pages.models import SiteSettings

    assert settings.PORTAIL_TOWN_NAME == PRODUCT
    site = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        site.site_name = "Ville de Belval"
        site.save()
        site_settings = SiteSettings.for_site(site)
        site_settings.town_name = TOWN
        site_settings.save()
    return site


def test_the_settings_name_wins_then_the_site_name_then_the_setting(testville, settings):
    from pages.models import SiteSettings

    assert town_name() == TOWN
    SiteSettings.objects.filter(site=testville).update(town_name="")
    assert town_name() == "Ville de Belval"
    Site.objects.filter(pk=testville.pk).update(site_name="")
    assert town_name() == PRODUCT == settings.PORTAIL_TOWN_NAME


def test_public_and_private_pages_name_the_town_in_title_and_footer(testville, client_a):
    from cms.demo import Demo
    from pages.demo import seed_home

    seed_home(Demo())
    home = Site.objects.get(is_default_site=True).root_page
    pages = {
        "public home": Client().get(home.url),
        "espace famille": client_a.get(reverse("espace_prive:home")),
        "404": Client().get("/cette-page-n-existe-pas/"),
    }
    for name, response in pages.items():
        page = text(response)
        assert TOWN in _title(page), name
        assert PRODUCT not in _title(page), name
        assert f'<p class="site-footer__town">{TOWN}</p>' in page, name


@pytest.mark.urls("tests.test_town_name")
def test_error_and_expired_form_pages_name_the_town(testville):
    server_error = Client(raise_request_exception=False).get("/panne/")
    bad_request = Client().get("/", HTTP_HOST="inconnu.example")
    expired = Client(enforce_csrf_checks=True).post(
        "/espace-famille/compte/connexion/", {"username": "x@example.fr", "password": "y"}
    )
    for response, status in ((server_error, 500), (bad_request, 400), (expired, 403)):
        assert response.status_code == status
        page = text(response)
        assert TOWN in _title(page), status
        assert PRODUCT not in page, status


def test_the_server_error_page_renders_with_the_database_down(testville, monkeypatch):
    def down(self):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(BaseDatabaseWrapper, "ensure_connection", down)
        response = cms_views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    page = text(response)
    assert "Le service rencontre un problème" in page
    # The database is down: the configured fallback, not a crash.
    assert _title(page) == f"Erreur du serveur — {PRODUCT}"


def test_account_e_mails_name_the_town(testville, family_a):
    user = family_a.user
    with captured_commits():
        Client().post("/espace-famille/compte/mot-de-passe-oublie/", {"email": user.email})
    message = mail.outbox[-1]
    assert TOWN in message.subject and TOWN in message.body
    assert PRODUCT not in message.subject + message.body
    assert message.from_email == f"{TOWN} <noreply@localhost>"


def test_an_accented_town_name_is_a_valid_sender(testville, family_a, settings):
    from pages.models import SiteSettings

    SiteSettings.objects.filter(site=testville).update(town_name="Ville de Bélval, mairie")
    settings.DEFAULT_FROM_EMAIL = "enfance@belval.example"
    user = family_a.user
    with captured_commits():
        Client().post("/espace-famille/compte/mot-de-passe-oublie/", {"email": user.email})
    sent = message_from_bytes(mail.outbox[-1].message().as_bytes(), policy=policy.default)
    (sender,) = sent["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Ville de Bélval, mairie",
        "enfance@belval.example",
    )


def test_the_fiche_enfant_names_the_town(testville, client_a, family_a):
    family = family_a.family
    child = family.children.get()
    for name in ("child_sheet", "child_sheet_complete"):
        response = client_a.get(reverse(f"espace_prive:families:{name}", args=[child.public_id]))
        assert response.status_code == 200
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=response.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert TOWN in text, name
        assert PRODUCT not in text, name
