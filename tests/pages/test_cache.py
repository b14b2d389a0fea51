"""The public cache: served without the database, invalidated on publication, never
shared with signed-in users."""

import datetime

import pytest
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.test import RequestFactory

from pages import cache
from pages.cache import CACHE_HEADER, PublicPageCacheMiddleware
from pages.models import NewsPage, TariffsPage
from tests.reading import text

from .helpers import add_news, news_index

pytestmark = pytest.mark.django_db


def test_a_cached_page_is_served_without_any_query(client, public_site, django_assert_num_queries):
    first = client.get("/")
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Cookie" in second["Vary"] and "Cookie" in first["Vary"]


@pytest.mark.parametrize("url", ["/actualites/", "/menus/", "/tarifs/", "/api/v2/pages/"])
def test_other_pages_and_the_api_are_cached_too(
    client, public_site, url, django_assert_num_queries
):
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url)[CACHE_HEADER] == "hit"


def test_publishing_invalidates(client, public_site, django_capture_on_commit_callbacks):
    assert "Neige : écoles fermées" not in text(client.get("/"))
    assert client.get("/")[CACHE_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        add_news(news_index(public_site), "Neige : écoles fermées", date=datetime.date(2031, 1, 1))
    response = client.get("/")
    assert response[CACHE_HEADER] == "miss"
    assert "Neige : écoles fermées" in text(response)


def test_saving_a_draft_does_not_invalidate(
    client, public_site, django_capture_on_commit_callbacks
):
    client.get("/")
    page = NewsPage.objects.get(slug="cantine-produits-locaux")
    page.title = "Titre en brouillon"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    response = client.get("/")
    assert response[CACHE_HEADER] == "hit"
    assert "Titre en brouillon" not in text(response)


def test_unpublishing_and_deleting_invalidate(
    client, public_site, django_capture_on_commit_callbacks
):
    page = NewsPage.objects.get(slug="cantine-produits-locaux")
    assert page.title in text(client.get("/actualites/"))
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert page.title not in text(client.get("/actualites/"))
    other = NewsPage.objects.get(slug="greve-education-nationale")
    assert other.title in text(client.get("/actualites/"))
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert other.title not in text(client.get("/actualites/"))


def test_changing_a_tariff_invalidates(client, public_site, django_capture_on_commit_callbacks):
    from decimal import Decimal

    from espace_prive.catalogue.models import TariffBand

    assert "4,90\u00a0€" in text(client.get("/tarifs/"))
    band = TariffBand.objects.get(grid__service__slug="restauration-scolaire", qf_max=None)
    with django_capture_on_commit_callbacks(execute=True):
        band.price = Decimal("4.95")
        band.save()
    html = text(client.get("/tarifs/"))
    assert "4,95\u00a0€" in html and "4,90\u00a0€" not in html


def test_the_cache_rolls_over_at_midnight(client, public_site, monkeypatch):
    client.get("/")
    assert client.get("/")[CACHE_HEADER] == "hit"
    tomorrow = cache.timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(cache.timezone, "localdate", lambda: tomorrow)
    assert client.get("/")[CACHE_HEADER] == "miss"


def test_signed_in_staff_never_get_or_create_a_cached_copy(client, staff_client, public_site):
    client.get("/")  # an anonymous visitor fills the cache
    response = staff_client.get("/")
    assert CACHE_HEADER not in response
    assert "Cookie" in response["Vary"]
    assert "wagtail-userbar" in response.content.decode()
    assert "wagtail-userbar" not in client.get("/").content.decode()
    # And what a signed-in user sees is never stored.
    cache.invalidate()
    staff_client.get("/actualites/")
    assert client.get("/actualites/")[CACHE_HEADER] == "miss"


def test_signed_in_families_bypass_the_cache(client_a, public_site):
    from django.test import Client

    anonymous = Client()
    anonymous.get("/")
    response = client_a.get("/")
    assert CACHE_HEADER not in response
    cache.invalidate()
    client_a.get("/menus/")
    assert anonymous.get("/menus/")[CACHE_HEADER] == "miss"


def test_a_pending_message_bypasses_the_cache(client, public_site):
    client.get("/")
    client.cookies["messages"] = "quelque-chose"
    assert CACHE_HEADER not in client.get("/")


@pytest.mark.parametrize("query", ["?utm_source=lettre", "?q=cantine", "?page=1&x=2"])
def test_unknown_query_parameters_bypass_the_cache(client, public_site, query):
    client.get("/actualites/" + query)
    assert CACHE_HEADER not in client.get("/actualites/" + query)


def test_allowed_query_parameters_get_their_own_entry(client, public_site):
    client.get("/actualites/?categorie=loisirs")
    assert client.get("/actualites/?categorie=loisirs")[CACHE_HEADER] == "hit"
    assert client.get("/actualites/")[CACHE_HEADER] == "miss"
    assert "Actualités — Loisirs" not in text(client.get("/actualites/"))


def test_errors_and_simulator_results_are_not_stored(client, public_site):
    client.get("/actualites/?page=abc")
    assert CACHE_HEADER not in client.get("/actualites/?page=abc")
    client.get("/nexiste-pas/")
    assert CACHE_HEADER not in client.get("/nexiste-pas/")
    client.get("/tarifs/?quotient=850")
    assert CACHE_HEADER not in client.get("/tarifs/?quotient=850")


def test_a_password_protected_page_is_never_stored(client, public_site):
    from wagtail.models import PageViewRestriction

    page = TariffsPage.objects.get()
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")
    first = client.get("/tarifs/")
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert CACHE_HEADER not in client.get("/tarifs/")


# --- The middleware's rules, on small views ------------------------------------------


def run_middleware(view, path="/page/", **headers):
    def get_response(request):
        cache.mark_public(request)
        return view(request)

    request = RequestFactory().get(path, **headers)
    return PublicPageCacheMiddleware(get_response)(request)


def test_responses_setting_a_cookie_or_using_a_csrf_token_are_not_stored():
    from django.middleware.csrf import get_token

    def with_cookie(request):
        response = HttpResponse("ok")
        response.set_cookie("preference", "1")
        return response

    def with_token(request):
        return HttpResponse(get_token(request))

    for view in (with_cookie, with_token):
        cache.invalidate()
        assert CACHE_HEADER not in run_middleware(view)
        # Not stored: the next request renders again.
        assert run_middleware(lambda request: HttpResponse("autre"))[CACHE_HEADER] == "miss"


def test_a_response_that_used_a_csp_nonce_is_not_stored():
    from django.utils.csp import LazyNonce

    def with_nonce(request):
        request._csp_nonce = LazyNonce()
        return HttpResponse(f"<script nonce='{get_nonce(request)}'></script>")

    assert CACHE_HEADER not in run_middleware(with_nonce)
    assert run_middleware(lambda request: HttpResponse("autre"))[CACHE_HEADER] == "miss"


def test_a_page_rendered_during_a_publication_is_not_served_as_fresh():
    def publishing_meanwhile(request):
        cache.invalidate()  # an editor publishes while this page renders
        return HttpResponse("ancien contenu")

    assert run_middleware(publishing_meanwhile)[CACHE_HEADER] == "miss"
    assert run_middleware(lambda request: HttpResponse("nouveau"))[CACHE_HEADER] == "miss"
    assert run_middleware(lambda request: HttpResponse("nouveau"))[CACHE_HEADER] == "hit"


def test_private_paths_are_never_cached():
    for path in ("/admin/", "/espace-famille/", "/api/v1/x/", "/documents/1/a.pdf", "/healthz"):
        run_middleware(lambda request: HttpResponse("ok"), path=path)
        assert CACHE_HEADER not in run_middleware(lambda request: HttpResponse("ok"), path=path)


def test_views_that_do_not_mark_their_response_public_are_not_stored():
    middleware = PublicPageCacheMiddleware(lambda request: HttpResponse("privé"))
    middleware(RequestFactory().get("/quelque-chose/"))
    response = middleware(RequestFactory().get("/quelque-chose/"))
    assert CACHE_HEADER not in response
