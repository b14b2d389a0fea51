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
