import pytest

pytestmark = pytest.mark.django_db


def test_home_page_renders_in_french_with_landmarks(client, demo_site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html  # skip link
    for landmark in ('role="banner"', "<main", 'role="contentinfo"', "<nav"):
        assert landmark in html
    assert "Espace famille" in html
    assert "Ville de Belval" in html


def test_unknown_url_gets_the_french_404_page(client, demo_site):
    response = client.get("/cette-page/nexiste-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert "Traceback" not in html


def test_pages_load_nothing_from_another_origin(client, demo_site):
    response = client.get("/")
    html = response.content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp


def test_server_error_page_is_french_and_standalone(client, demo_site):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Le service rencontre un problème" in html
    assert '<html lang="fr">' in html


def test_home_page_title_does_not_repeat_the_town_name(client, demo_site):
    html = client.get("/").content.decode()
    assert "<title>Accueil — Ville de Belval</title>" in html


def test_no_template_syntax_leaks_into_pages(client, client_a, demo_site):
    """A template comment spread over lines is printed as text by Django: none may be."""
    for response in (client.get("/"), client.get("/nulle-part/"), client_a.get("/espace-famille/")):
        html = response.content.decode()
        for marker in ("{#", "#}", "{%", "%}", "{{", "}}"):
            assert marker not in html, (response.request["PATH_INFO"], marker)


def test_only_the_admin_allows_inline_scripts(client, staff_client, demo_site):
    public = client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in public.split("script-src")[1].split(";")[0]
    admin = staff_client.get("/admin/")["Content-Security-Policy"]
    script_src = admin.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in script_src and "nonce-" not in script_src
    assert "object-src 'none'" in admin and "frame-ancestors 'self'" in admin


def test_the_site_has_its_own_icon(client, demo_site):
    assert 'rel="icon" href="/static/img/favicon.svg"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.svg"
