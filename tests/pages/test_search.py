import pytest
from django.conf import settings

from tests.reading import text

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    not settings.DATABASE_IS_POSTGRES,
    reason="French full-text search needs PostgreSQL (DATABASE_URL=postgres://…)",
)


@pytest.mark.postgres
@postgres_only
def test_searching_a_word_of_a_news_article_finds_it(client, public_site):
    # "vallée" is only in the body of one article.
    response = client.get("/recherche/", {"q": "vallée"})
    html = text(response)
    assert response.status_code == 200
    assert "1 résultat pour « vallée »" in html
    assert "Plus de produits locaux à la cantine" in html
    assert "Mouvement de grève" not in html
    # French stemming: the body says "poireaux".
    assert "Plus de produits locaux à la cantine" in text(
        client.get("/recherche/", {"q": "poireau"})
    )


@pytest.mark.postgres
@postgres_only
def test_search_uses_french_stemming_on_titles_and_intros(client, public_site):
    html = text(client.get("/recherche/", {"q": "inscriptions vacances"}))
    assert "Vacances d'hiver : le programme de l'accueil de loisirs" in html


def test_search_page_lists_results_with_their_type(client, public_site):
    html = text(client.get("/recherche/", {"q": "cantine"}))
    assert "résultat" in html
    assert "Actualité" in html or "Menus" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Saisissez un ou plusieurs mots à rechercher."),
        ("   ", "Saisissez un ou plusieurs mots à rechercher."),
        ("x" * 101, "Votre recherche est trop longue (100 caractères au plus)."),
    ],
)
def test_bad_searches_get_a_french_message(client, public_site, query, message):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 400
    assert message in text(response)


def test_search_past_the_last_page_says_so(client, public_site):
    response = client.get("/recherche/", {"q": "cantine", "page": "50"})
    assert response.status_code == 400
    assert "Cette page de résultats n'existe pas." in text(response)


def test_the_search_page_itself_is_never_a_result(client, public_site):
    html = text(client.get("/recherche/", {"q": "Recherche"}))
    results = html[html.index('<ol class="search-results">') : html.index("</ol>")]
    assert 'href="/recherche/"' not in results


@pytest.mark.parametrize("query", ['"cantine', 'la "cantine" bio', '"'])
def test_a_search_with_quotes_answers_on_every_database(client, public_site, query):
    """SQLite's full-text search (the demo's database) fails on an unbalanced quote."""
    response = client.get("/recherche/", {"q": query})
    assert response.status_code in (200, 400)
    api = client.get("/api/v2/pages/", {"search": query})
    assert api.status_code == 200, api.content
