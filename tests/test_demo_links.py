"""The demo promises only what exists (issue 9.9): after ``seed_demo``, every internal link
of the public site (from the home page) and of the espace famille (from its home, signed
in as the demo family) answers without 4xx or 5xx, and every same-page anchor exists.

The walk is generic (tests/crawl.py): pages linked from the menus, cards, news,
tutorials or the espace famille are covered as they appear."""

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver
from wagtail.models import Page, Site

from espace_prive.accounts import demo as accounts_demo
from pages.models import MenuWeekPage
from tests.conftest import sign_in
from tests.crawl import crawl

# Features the demo may only promise once a family page for them exists.
PROMISES = {
    "booking": re.compile(
        r"réserv\w* en ligne|réservations? dans l'espace|« Réservations »|Inscrire mon enfant",
        re.I,
    ),
    "billing": re.compile(r"paiement en ligne|payer en ligne|factures? en ligne", re.I),
}


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo, db):
    return None


def _family_routes():
    """Names of the espace famille's routes (``bookings``, ``billing``… when they land)."""
    resolver = get_resolver()
    names = set()
    for namespace in resolver.namespace_dict:
        if namespace == "espace_prive":
            _prefix, sub = resolver.namespace_dict[namespace]
            names.update(sub.namespace_dict)
    return names


def _report(result):
    return "\n".join(f"{status} {url} (lien sur {origin})" for url, status, origin in result.broken)


def test_every_link_of_the_public_demo_site_answers(demo, capsys):
    result = crawl(Client(), "/")
    assert not result.broken, _report(result)
    # The walk reached the site, not only the home page: every page in the menus and
    # the footer, each service and tutorial, the news (menu weeks are read through the
    # menus page's week route, /menus/semaine/<code>/, not at their own address).
    home = Site.objects.get(is_default_site=True).root_page
    expected = {
        page.url
        for page in Page.objects.live().public().descendant_of(home).not_type(MenuWeekPage)
        if page.depth <= home.depth + 2 and page.url
    }
    assert any(url.startswith("/menus/semaine/") for url in result.visited)
    missing = expected - set(result.visited)
    assert not missing, f"pages jamais atteintes par un lien : {sorted(missing)}"
    assert "/espace-famille/compte/connexion/" in result.visited


def test_every_link_of_the_espace_famille_answers(demo):
    user = get_user_model().objects.get(email=accounts_demo.FAMILY_EMAIL)
    client = sign_in(Client(), user)
    assert client.get("/espace-famille/").status_code == 200
    result = crawl(client, "/espace-famille/", expand=lambda path: path.startswith("/espace"))
    assert not result.broken, _report(result)
    walked = {url for url in result.visited if url.startswith("/espace-famille/")}
    # Children, account, requests, documents and messages were reached.
    for part in ("/enfants/", "/compte", "/demandes/", "/documents/", "/messages/"):
        assert any(part in url for url in walked), (part, sorted(walked))


def test_the_demo_text_promises_no_feature_without_its_family_pages(demo):
    routes = _family_routes()
    missing = {
        feature
        for feature, namespaces in {
            "booking": {"bookings", "reservations"},
            "billing": {"billing", "factures", "invoices"},
        }.items()
        if not routes & namespaces
    }
    if not missing:
        pytest.skip("every promised feature has its family pages")
    home = Site.objects.get(is_default_site=True).root_page
    client = Client()
    urls = ["/", *(page.url for page in Page.objects.live().public().descendant_of(home))]
    user = get_user_model().objects.get(email=accounts_demo.FAMILY_EMAIL)
    family = sign_in(Client(), user)
    pages = {url: unescape(client.get(url).content.decode()) for url in urls if url}
    pages["/espace-famille/"] = unescape(family.get("/espace-famille/").content.decode())
    for url, text in pages.items():
        for feature in missing:
            found = PROMISES[feature].search(text)
            assert found is None, f"{url} promet « {found.group(0)} » ({feature} absent)"


def test_the_agendas_link_the_booking_tutorial_of_the_demo(demo):
    """Issue 11: the demo publishes « Réserver et annuler »; the family and child agendas
    link it (a town without that tutorial gets no link: tests/bookings/test_pages.py)."""
    tutorial = "/tutoriels/reserver-et-annuler/"
    page = unescape(Client().get(tutorial).content.decode())
    for step in ("Ouvrir l'agenda de l'enfant", "Annuler avant le délai", "Déclarer une absence"):
        assert step in page
    user = get_user_model().objects.get(email=accounts_demo.FAMILY_EMAIL)
    client = sign_in(Client(), user)
    child = user.guardian.family.children.order_by("birth_date").first()
    for url in ("/espace-famille/reservations/agenda/",
                f"/espace-famille/reservations/agenda/{child.public_id}/"):  # fmt: skip
        content = unescape(client.get(url).content.decode())
        assert f'<a href="{tutorial}">« Réserver et annuler »</a>' in content, url
