"""A server error shows the French page, never a trace, with DEBUG off."""

import pytest
from django.test import Client
from django.urls import path

from cms.urls import urlpatterns as project_urlpatterns


def _broken_view(request):
    raise RuntimeError("secret-detail-of-the-failure")


urlpatterns = [path("panne/", _broken_view), *project_urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_shows_the_french_page_without_a_trace(settings):
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/panne/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Le service rencontre un problème" in html
    assert '<html lang="fr">' in html
    assert "Traceback" not in html
    assert "secret-detail-of-the-failure" not in html
    assert "RuntimeError" not in html


@pytest.mark.django_db
def test_an_unknown_host_name_gets_the_french_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["portail.example.fr"]
    response = client.get("/", HTTP_HOST="inconnu.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête invalide" in html and '<html lang="fr">' in html
    assert "Bad Request" not in html


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_french_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/espace-famille/compte/connexion/", {"username": "x@example.fr", "password": "y"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and '<html lang="fr">' in html
    assert "CSRF verification failed" not in html
