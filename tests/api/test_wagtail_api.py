"""Wagtail API v2 (/api/v2/): public content for other front ends."""

import datetime

import pytest
from django.utils import timezone

from pages.models import MenuWeekPage, NewsPage
from pages.weeks import iso_week_code, monday_of

pytestmark = pytest.mark.django_db


def test_pages_are_public_without_signing_in(client, public_site):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    from wagtail.models import Page

    assert response.json()["meta"]["total_count"] == Page.objects.live().filter(depth__gt=1).count()


def test_news_are_listed_with_their_api_fields(client, public_site):
    response = client.get("/api/v2/pages/", {"type": "pages.NewsPage", "fields": "*"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["title"] for item in items} == set(
        NewsPage.objects.live().values_list("title", flat=True)
    )
    strike = next(item for item in items if item["meta"]["slug"] == "greve-education-nationale")
    assert strike["date"] == "2026-11-09"
    assert strike["intro"].startswith("En cas de grève")
    assert [block["type"] for block in strike["body"]] == ["paragraph", "callout"]
    assert strike["categories"] == [{"name": "Vie scolaire", "slug": "vie-scolaire"}]
    assert {service["slug"] for service in strike["target_services"]} == {
        "periscolaire",
        "restauration-scolaire",
    }
    assert strike["target_sites"][0]["name"] == "École élémentaire Jules-Ferry"
    assert strike["image_card"]["url"].endswith(".webp")
    assert strike["image_card"]["width"] == 640


def test_service_page_carries_its_sites_and_tariff_grid(client, public_site):
    items = client.get(
        "/api/v2/pages/",
        {"type": "pages.ServicePage", "fields": "*", "slug": "restauration-scolaire"},
    ).json()["items"]
    service = items[0]
    assert service["service"]["unit"] == "repas"
    assert service["tariff_grid"]["non_resident_price"] == "6.50"
    assert service["tariff_grid"]["bands"][0] == {"qf_min": 0, "qf_max": 500, "price": "1.00"}
    assert service["tariff_grid"]["bands"][-1]["qf_max"] is None
    assert {site["name"] for site in service["sites"]} == {
        "École maternelle Les Tilleuls",
        "École élémentaire Jules-Ferry",
    }
    assert service["rules_document"]["title"].startswith("Règlement de fonctionnement")


def test_documents_and_images_in_stream_blocks_have_urls(client, public_site):
    documents = client.get(
        "/api/v2/pages/", {"type": "pages.DocumentsPage", "fields": "sections"}
    ).json()["items"][0]["sections"]
    first = documents[0]["value"]["documents"][0]
    assert first["document"]["url"].startswith("/documents/")
    assert first["document"]["file_extension"] == "pdf" and first["document"]["file_size"] > 0
    steps = client.get("/api/v2/pages/", {"type": "pages.TutorialPage", "fields": "steps"}).json()[
        "items"
    ][0]["steps"]
    image = steps[0]["value"]["image"]
    assert image["url"].endswith(".webp") and image["alt"].startswith("Capture d'écran")


@pytest.mark.parametrize("endpoint", ["images", "documents"])
def test_a_nul_character_or_a_huge_offset_on_images_or_documents_answers_400_json(
    client, public_site, endpoint
):
    for query in ({"search": "\x00"}, {"offset": "99999999999999999999"}):
        response = client.get(f"/api/v2/{endpoint}/", query)
        assert response.status_code == 400
        assert response.json()["message"]


def test_images_and_documents_endpoints(client, public_site):
    assert client.get("/api/v2/images/").json()["meta"]["total_count"] > 0
    assert client.get("/api/v2/documents/").json()["meta"]["total_count"] > 0


def test_documents_of_a_restricted_collection_stay_out(client, public_site):
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Interne")
    inner = private.add_child(name="Interne — RH")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    first, second, *others = get_document_model().objects.order_by("pk")
    first.collection = private
    first.save()
    second.collection = inner
    second.save()
    ids = [item["id"] for item in client.get("/api/v2/documents/").json()["items"]]
    assert first.pk not in ids and second.pk not in ids
    assert others[0].pk in ids
    assert client.get(f"/api/v2/documents/{first.pk}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"foo": "1"},
        {"limit": "abc"},
        {"limit": "-1"},
        {"offset": "x"},
        {"type": "pages.Nope"},
        {"type": "pas-un-type"},
        {"order": "nope"},
        {"fields": "nope"},
        {"child_of": "abc"},
        {"type": "pages.NewsPage", "date": "pas-une-date"},
        {"type": "pages.MenuWeekPage", "week_start": "2026-13-45"},
        {"search": "cantine", "search_operator": "zz"},
        {"search": "\x00"},
        {"site": "\x00"},
        {"type": "pages.NewsPage", "title": "a\x00b"},
        {"offset": "99999999999999999999"},
        {"type": "pages.NewsPage", "categories": "abc"},
        {"type": "pages.NewsPage", "target_services": "1.5"},
        {"type": "pages.NewsPage", "categories": "99999999999999999999"},
        {"type": "pages.ServicePage", "service": "99999999999999999999"},
    ],
)
def test_malformed_page_queries_answer_400_json(client, public_site, query):
    response = client.get("/api/v2/pages/", query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]


def test_filters_by_category_and_locale_still_work(client, public_site):
    from pages.models import NewsCategory

    category = NewsCategory.objects.get(slug="vie-scolaire")
    items = client.get(
        "/api/v2/pages/", {"type": "pages.NewsPage", "categories": str(category.pk)}
    ).json()["items"]
    assert "greve-education-nationale" in {item["meta"]["slug"] for item in items}
    assert "cantine-produits-locaux" not in {item["meta"]["slug"] for item in items}
    assert client.get("/api/v2/pages/", {"locale": "fr"}).status_code == 200


def test_unknown_page_is_404_json(client, public_site):
    response = client.get("/api/v2/pages/999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message"}


@pytest.mark.parametrize(
    "url", ["/api/v2/pages/abc/", "/api/v2/nope/", "/api/v2/menus/2026-W48/extra/"]
)
def test_an_unknown_api_url_is_404_json(client, public_site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]


# --- Menus of an ISO week ---------------------------------------------------------------


def test_week_endpoint_returns_dishes_with_labels_and_allergens(client, public_site):
    monday = monday_of(timezone.localdate())
    code = iso_week_code(monday)
    response = client.get(f"/api/v2/menus/{code}/")
    assert response.status_code == 200
    data = response.json()
    assert data["week"] == code and data["start"] == monday.isoformat()
    assert data["previous"] == iso_week_code(monday - datetime.timedelta(days=7))
    menu = data["menus"][0]
    page = MenuWeekPage.objects.get(week_start=monday)
    assert menu["id"] == page.pk and menu["menu_group"] is None
    assert [day["date"] for day in menu["days"]] == [
        (monday + datetime.timedelta(days=n)).isoformat() for n in range(5)
    ]
    dishes = [dish for day in menu["days"] for dish in day["dishes"]]
    assert len(dishes) == page.dishes.count()
    labelled = next(dish for dish in dishes if dish["labels"] and dish["allergens"])
    source = page.dishes.get(name=labelled["name"], day=labelled["day"])
    assert [label["code"] for label in labelled["labels"]] == source.labels
    assert [allergen["code"] for allergen in labelled["allergens"]] == source.allergens
    assert {"code", "label"} == set(labelled["allergens"][0])
    assert labelled["course_label"] in {
        "Entrée",
        "Plat",
        "Accompagnement",
        "Laitage",
        "Dessert",
        "Goûter",
    }


def test_week_parameter_and_current_week(client, public_site):
    code = iso_week_code(monday_of(timezone.localdate()))
    by_path = client.get(f"/api/v2/menus/{code}/").json()
    assert client.get("/api/v2/menus/", {"week": code}).json() == by_path
    assert client.get("/api/v2/menus/").json() == by_path


def test_a_week_without_menus_is_an_empty_list_with_a_message(client, public_site):
    data = client.get("/api/v2/menus/2031-W02/").json()
    assert data["menus"] == []
    assert "ne sont pas encore publiés" in data["message"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v2/menus/2026-W60/", "n'a pas de semaine numéro 60"),
        ("/api/v2/menus/semaine48/", "n'est pas une semaine valide"),
        ("/api/v2/menus/?week=48", "n'est pas une semaine valide"),
        ("/api/v2/menus/?week=", "n'est pas une semaine valide"),
        ("/api/v2/menus/?semaine=2026-W48", "Paramètre inconnu : semaine"),
        ("/api/v2/menus/2026-W48/?week=2026-W49", "pas les deux"),
        ("/api/v2/menus/?week=2026-W48%00", "caractère nul"),
    ],
)
def test_malformed_week_answers_400_json_in_french(client, public_site, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["message"]


def test_api_ignores_the_session_and_needs_no_csrf(client, staff_client, public_site):
    anonymous = client.get("/api/v2/menus/").json()
    assert staff_client.get("/api/v2/menus/").json() == anonymous
    assert client.post("/api/v2/pages/").status_code == 405


def test_drafts_are_not_in_the_api(client, public_site):
    page = NewsPage.objects.get(slug="cantine-produits-locaux")
    page.unpublish()
    titles = [
        item["title"]
        for item in client.get("/api/v2/pages/", {"type": "pages.NewsPage"}).json()["items"]
    ]
    assert page.title not in titles
