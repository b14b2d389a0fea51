import pytest
from wagtail.models import Page

from pages import models
from pages.models import HomePage, NewsPage, PublicPage
from tests.reading import text

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    models.HomePage,
    models.NewsIndexPage,
    models.NewsPage,
    models.MenusIndexPage,
    models.MenuWeekPage,
    models.ServiceIndexPage,
    models.ServicePage,
    models.TariffsPage,
    models.TutorialIndexPage,
    models.TutorialPage,
    models.DocumentsPage,
    models.PracticalInfoPage,
    models.FaqPage,
    models.SearchPage,
    models.ContentPage,
]


def test_every_page_type_is_a_public_page_with_rules_api_fields_and_a_template():
    from django.template.loader import get_template

    for model in PAGE_TYPES:
        assert issubclass(model, PublicPage), model
        assert model.parent_page_types, model
        assert model.subpage_types is not None, model
        assert model.api_fields, model
        get_template(model.template)
    searchable = [model for model in PAGE_TYPES if model is not models.SearchPage]
    for model in searchable:
        assert len(model.search_fields) > len(Page.search_fields) or model is models.MenuWeekPage


def test_parent_and_subpage_rules():
    home = HomePage
    assert models.NewsPage.can_create_at(models.NewsIndexPage())
    assert not models.NewsPage.can_create_at(home())
    assert not models.MenuWeekPage.can_create_at(home())
    assert models.MenuWeekPage.can_create_at(models.MenusIndexPage())
    assert not models.ServicePage.can_create_at(models.NewsIndexPage())
    assert models.ContentPage.can_create_at(models.ContentPage())
    assert set(models.NewsPage.allowed_subpage_models()) == set()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Au menu de la cantine"),
        ("/actualites/", "Plus de produits locaux à la cantine"),
        ("/actualites/cantine-produits-locaux/", "maraîchers de la vallée"),
        ("/menus/", "Allergènes :"),
        ("/services/", "Accueil de loisirs mercredis et vacances"),
        ("/services/restauration-scolaire/", "Réservez ou annulez un repas jusqu'au"),
        ("/tarifs/", "Simulateur"),
        ("/tutoriels/", "Créer mon compte"),
        ("/tutoriels/creer-mon-compte/", "Saisir votre code d'accès"),
        ("/documents-utiles/", "Fiche de renseignements"),
        ("/infos-pratiques/", "Gymnase Pierre-de-Coubertin"),
        ("/questions-frequentes/", "Jusqu'à quand puis-je annuler un repas ?"),
        ("/recherche/", "Rechercher sur le site"),
        ("/accessibilite/", "Signaler un problème"),
    ],
)
def test_every_page_of_the_demo_renders(client, public_site, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    html = text(response)
    assert expected in html
    assert html.count("<h1") == 1
    assert 'href="#contenu"' in html


def test_service_page_shows_rules_hours_sites_contacts_and_tariffs(client, public_site):
    html = text(client.get("/services/restauration-scolaire/"))
    assert "Télécharger le règlement de fonctionnement" in html
    assert "/documents/" in html and "(PDF, " in html
    assert "Service de 11 h 45 à 13 h 30" in html
    assert "École maternelle Les Tilleuls" in html and "01 23 45 67 10" in html
    assert "Service Enfance-Jeunesse-Éducation" in html
    assert "Restauration scolaire — Année scolaire" in html
    assert "3,20\u00a0€" in html


def test_practical_info_lists_the_active_sites_by_kind(client, public_site):
    from espace_prive.catalogue.models import Site

    Site.objects.filter(name="Gymnase Pierre-de-Coubertin").update(is_active=False)
    html = text(client.get("/infos-pratiques/"))
    assert "Gymnase Pierre-de-Coubertin" not in html
    assert html.index("École maternelle") < html.index("Accueil de loisirs Le Moulin")
    assert "Mme Leroy, directrice" in html


def test_tutorial_shows_a_self_hosted_video_with_captions(client, public_site):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()
    video = Document(title="Vidéo")
    video.file.save("tuto.webm", ContentFile(b"\x1aE\xdf\xa3"), save=False)
    video.save()
    captions = Document(title="Sous-titres")
    captions.file.save("tuto.vtt", ContentFile(b"WEBVTT\n"), save=False)
    captions.save()
    page = models.TutorialPage.objects.get(slug="creer-mon-compte")
    page.video, page.video_captions = video, captions
    page.save_revision().publish()
    html = text(client.get(page.url))
    assert f'<video controls preload="none" src="{video.url}">' in html
    assert f'<track kind="captions" srclang="fr" label="Français" src="{captions.url}"' in html


@pytest.mark.parametrize(
    ("video_name", "captions_name", "field"),
    [("guide.pdf", None, "video"), ("tuto.mp4", "notes.pdf", "video_captions")],
)
def test_a_tutorial_video_must_be_a_video_file_and_captions_webvtt(
    public_site, video_name, captions_name, field
):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    Document = get_document_model()

    def document(name):
        doc = Document(title=name)
        doc.file.save(name, ContentFile(b"x"), save=False)
        doc.save()
        return doc

    page = models.TutorialPage.objects.get(slug="creer-mon-compte")
    page.video = document(video_name)
    page.video_captions = document(captions_name) if captions_name else None
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert field in error.value.message_dict
    assert "fichier" in " ".join(error.value.message_dict[field])


def test_unknown_and_unpublished_pages_are_404(client, public_site):
    assert client.get("/nexiste-pas/").status_code == 404
    assert client.get("/actualites/nexiste-pas/").status_code == 404
    page = NewsPage.objects.get(slug="cantine-produits-locaux")
    page.unpublish()
    assert client.get("/actualites/cantine-produits-locaux/").status_code == 404
    section = models.FaqPage.objects.get()
    section.unpublish()
    assert client.get("/questions-frequentes/").status_code == 404


def test_one_query_routing_finds_the_specific_section_page(rf, public_site):
    from wagtail.models import Site

    home = HomePage.objects.get()
    request = rf.get("/tarifs/")
    request._wagtail_site = Site.objects.get()
    page, _args, _kwargs = home.route(request, ["tarifs"])
    assert type(page) is models.TariffsPage
    assert page.intro and page.title == "Tarifs"
    page, args, _kwargs = home.route(request, ["menus", "semaine", "2026-W48"])
    assert type(page) is models.MenusIndexPage
    assert args[0].__name__ == "week"


def test_site_settings_drive_the_header_navigation_and_footer(
    client, public_site, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from pages.models import SiteSettings

    html = text(client.get("/"))
    assert 'aria-label="Navigation principale"' in html
    assert '<a href="/tarifs/">Tarifs</a>' in html
    assert "01 23 45 67 00" in html
    assert "site-header__logo" in html and ".webp" in html
    settings = SiteSettings.for_site(Site.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        settings.town_name = "Commune de Valbelle"
        settings.phone = "09 87 65 43 21"
        settings.main_navigation = [
            {
                "type": "link",
                "value": {
                    "label": "Écrire à la mairie",
                    "page": None,
                    "url": "/questions-frequentes/",
                },
            }
        ]
        settings.save()
    html = text(client.get("/"))
    assert "Commune de Valbelle" in html and "09 87 65 43 21" in html
    assert '<a href="/questions-frequentes/">Écrire à la mairie</a>' in html
    assert '<a href="/tarifs/">Tarifs</a>' not in html


def test_current_section_is_marked_in_the_navigation(client, public_site):
    html = text(client.get("/actualites/cantine-produits-locaux/"))
    assert '<a href="/actualites/" aria-current="true">Actualités</a>' in html
    html = text(client.get("/actualites/"))
    assert '<a href="/actualites/" aria-current="page">Actualités</a>' in html


def test_home_alert_banner_shows_until_its_end_date(
    client, public_site, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    home = HomePage.objects.get()
    assert "Inscriptions à l'accueil de loisirs" in text(client.get("/"))
    home.alert_until = timezone.localdate() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        home.save_revision().publish()
    assert "Inscriptions à l'accueil de loisirs" not in text(client.get("/"))
