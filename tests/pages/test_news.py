import datetime

import pytest

from pages.models import NewsCategory, NewsPage
from tests.reading import text

from .helpers import add_news, news_index

pytestmark = pytest.mark.django_db


def test_news_index_lists_the_newest_first(client, public_site):
    html = text(client.get("/actualites/"))
    titles = list(NewsPage.objects.live().order_by("-date").values_list("title", flat=True))
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)


def test_news_index_is_paginated(client, public_site):
    index = news_index(public_site)
    for number in range(12):
        add_news(index, f"Brève numéro {number:02d}", date=datetime.date(2030, 1, 1 + number))
    first = text(client.get("/actualites/"))
    assert "Brève numéro 11" in first and "Brève numéro 02" in first
    assert "Brève numéro 01" not in first
    assert "Page 1 sur 2" in first and "?page=2" in first
    second = text(client.get("/actualites/", {"page": "2"}))
    assert "Brève numéro 01" in second and "Brève numéro 11" not in second


def test_news_index_filters_by_category(client, public_site):
    response = client.get("/actualites/", {"categorie": "loisirs"})
    html = text(response)
    assert response.status_code == 200
    assert "Actualités — Loisirs" in html
    loisirs = NewsPage.objects.filter(categories__slug="loisirs")
    others = NewsPage.objects.exclude(categories__slug="loisirs")
    assert all(page.title in html for page in loisirs)
    assert not any(page.title in html for page in others)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"categorie": "inconnue"}, "Cette catégorie n'existe pas."),
        ({"page": "abc"}, "Le numéro de page doit être un nombre entier."),
        ({"page": "0"}, "Le numéro de page commence à 1."),
        ({"page": "-4"}, "Le numéro de page commence à 1."),
        ({"page": "99"}, "Cette page de résultats n'existe pas."),
        ({"page": "9" * 30}, "Ce numéro de page est trop grand."),
    ],
)
def test_bad_listing_parameters_get_a_french_message(client, public_site, params, message):
    response = client.get("/actualites/", params)
    assert response.status_code == 400
    html = text(response)
    assert message in html
    # The listing is still there, unfiltered.
    assert NewsPage.objects.order_by("-date").first().title in html


def test_article_shows_date_categories_body_and_targets(client, public_site):
    page = NewsPage.objects.get(slug="greve-education-nationale")
    html = text(client.get(page.url))
    assert "Publié le" in html and "9 novembre 2026" in html
    assert "Vie scolaire" in html
    assert "service minimum d'accueil est assuré" in html
    assert "Prévenir le service" in html  # a callout block
    assert "Concerne : Accueil périscolaire matin et soir, Restauration scolaire" in html
    assert "École élémentaire Jules-Ferry" in html
    assert ".webp" in html  # WebP rendition of the image


def test_targeting_by_service_and_school_is_stored(public_site):
    page = NewsPage.objects.get(slug="greve-education-nationale")
    assert {service.slug for service in page.target_services.all()} == {
        "periscolaire",
        "restauration-scolaire",
    }
    assert [site.name for site in page.target_sites.all()] == ["École élémentaire Jules-Ferry"]
    assert NewsCategory.objects.filter(news=page).count() == 1


def test_drafts_and_restricted_news_stay_out_of_the_lists(client, public_site):
    from wagtail.models import PageViewRestriction

    index = news_index(public_site)
    add_news(index, "Brouillon à ne pas voir", date=datetime.date(2031, 1, 1), publish=False)
    private = add_news(index, "Réservée aux agents", date=datetime.date(2031, 1, 2))
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for url in ("/", "/actualites/"):
        html = text(client.get(url))
        assert "Brouillon à ne pas voir" not in html
        assert "Réservée aux agents" not in html
    assert client.get(private.url).status_code == 302  # to the login page
