"""No admin or back-office URL answers a staff session that has not passed the second
factor: the test walks every URL pattern of the Wagtail admin (ours included)."""

import re
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page

from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD, make_family_with_login, make_staff

from .helpers import ENROL_URL, VERIFY_URL, login_post, totp_code

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "admin/"


def _sample_for_regex(group_pattern, ids):
    if r"\d" in group_pattern or "[0-9]" in group_pattern:
        return str(ids["int"])
    if "a-f0-9" in group_pattern or "uuid" in group_pattern:
        return ids["uuid"]
    return "x"


def _fill_regex(regex, ids):
    text = regex.lstrip("^").rstrip("$").replace(r"\Z", "")
    text = re.sub(
        r"\(\?P<\w+>([^()]*(?:\([^()]*\)[^()]*)*)\)",
        lambda m: _sample_for_regex(m.group(1), ids),
        text,
    )
    text = re.sub(r"\(([^()?]*)\)", lambda m: _sample_for_regex(m.group(1), ids), text)
    return text.replace("\\", "").replace("?", "")


def _fill_route(route, ids):
    samples = {"int": str(ids["int"]), "uuid": ids["uuid"], "path": "x/y", "slug": "x", "str": "x"}

    def one(match):
        converter = match.group(1) or "str"
        return samples.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", one, route)


def _fill(pattern, ids):
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and not hasattr(pattern.pattern, "_route"):
        return _fill_regex(text, ids)
    return _fill_route(text, ids)


def _walk(patterns, prefix, ids):
    for pattern in patterns:
        path = prefix + _fill(pattern, ids)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, path, ids)
        elif isinstance(pattern, URLPattern):
            yield "/" + path, pattern


def admin_urls(ids):
    """Every URL pattern under /admin/, with path parameters filled in."""
    resolver = get_resolver()
    admin = next(
        p
        for p in resolver.url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == ADMIN_PREFIX
    )
    urls, unresolved = [], []
    for url, pattern in _walk(admin.url_patterns, ADMIN_PREFIX, ids):
        try:
            match = resolve(url)
        except Resolver404:
            unresolved.append(url)
            continue
        urls.append((url, match.view_name or str(pattern)))
    return urls, unresolved


@pytest.fixture
def ids():
    staff = make_staff(email="cible@example.test")
    return {
        "int": Page.objects.first().pk if Page.objects.exists() else staff.pk,
        "uuid": str(uuid.uuid4()),
    }


def _password_only_session(user):
    client = Client(raise_request_exception=False)
    assert login_post(client, user.email, TEST_PASSWORD, url="/admin/login/").status_code == 302
    return client


def test_the_walk_covers_the_whole_admin(ids):
    urls, unresolved = admin_urls(ids)
    assert not unresolved, unresolved
    assert len(urls) > 150
    names = {name for _url, name in urls}
    assert "wagtailadmin_home" in names
    assert "accounts_admin:import" in names
    assert "journal_securite:index" in names
    # Issue 12: the registers and the kitchen are walked too.
    assert {"attendance_admin:tablet", "attendance_admin:tap", "kitchen_admin:meals"} <= names
    assert any(url.startswith("/admin/api/") for url, _name in urls)


def test_no_admin_url_answers_a_staff_without_a_second_factor(ids):
    staff = make_staff(email="sans-appareil@example.test", superuser=True)
    client = _password_only_session(staff)
    urls, _ = admin_urls(ids)
    answered = []
    for url, name in urls:
        for method in (client.get, client.post):
            response = method(url)
            if response.status_code != 302 or not response["Location"].startswith(ENROL_URL):
                answered.append((method.__name__, url, name, response.status_code))
    assert not answered, answered[:20]


def test_no_admin_url_answers_a_staff_who_has_not_typed_the_code(ids):
    staff = make_staff(email="avec-appareil@example.test", superuser=True)
    TOTPDevice.objects.create(user=staff, name="Téléphone", confirmed=True)
    client = _password_only_session(staff)
    urls, _ = admin_urls(ids)
    answered = []
    for url, name in urls:
        response = client.get(url)
        if response.status_code != 302 or not response["Location"].startswith(VERIFY_URL):
            answered.append((url, name, response.status_code))
    assert not answered, answered[:20]


def test_control_the_walk_reaches_real_pages_once_verified(ids):
    """The same walk with a verified session gets 200s: the harness would see a leak."""
    staff = make_staff(email="verifie@example.test", superuser=True)
    client = sign_in(Client(raise_request_exception=False), staff)
    urls, _ = admin_urls(ids)
    plain = [
        url
        for url, name in urls
        if "/x" not in url and str(ids["int"]) not in url and "logout" not in name
    ]
    ok = [url for url in plain if client.get(url).status_code == 200]
    assert len(ok) > 30, ok
    assert "/admin/" in ok and "/admin/comptes/import/" in ok


def test_staff_session_without_second_factor_gets_json_403_on_the_api():
    staff = make_staff(email="api@example.test", superuser=True)
    client = _password_only_session(staff)
    response = client.get("/api/schema/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_required"
    register = f"/api/v1/staff/sites/{uuid.uuid4()}/days/2027-01-11/register/"
    for method in (client.get, client.post):
        assert method(register).json()["error"]["code"] == "otp_required"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # django-otp's own delay after a failure
def test_staff_signs_in_to_the_admin_with_password_then_code():
    staff = make_staff(email="deux-etapes@example.test", superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="Téléphone", confirmed=True)
    client = Client()
    response = login_post(client, staff.email, TEST_PASSWORD, url="/admin/login/")
    assert client.get(response["Location"])["Location"].startswith(VERIFY_URL)
    wrong = client.post(VERIFY_URL + "?next=/admin/", {"code": "000000", "next": "/admin/"})
    assert "pas valable" in wrong.content.decode()
    response = client.post(VERIFY_URL, {"code": totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_device_is_sent_to_enrol_and_then_reaches_the_admin():
    staff = make_staff(email="nouvel-agent@example.test", superuser=True)
    client = _password_only_session(staff)
    response = client.get("/admin/pages/")
    assert response["Location"] == f"{ENROL_URL}?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert (
        client.get("/espace-famille/compte/double-authentification/qr-code.svg").status_code == 200
    )
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(ENROL_URL, {"code": totp_code(device), "next": "/admin/pages/"})
    assert response.status_code == 302
    assert client.get("/admin/pages/").status_code == 200


def test_a_staff_with_a_device_cannot_enrol_a_new_one_before_typing_a_code():
    staff = make_staff(email="piratage@example.test", superuser=True)
    TOTPDevice.objects.create(user=staff, name="Téléphone", confirmed=True)
    client = _password_only_session(staff)
    response = client.get(ENROL_URL)
    assert response["Location"].startswith(VERIFY_URL)
    assert (
        client.get("/espace-famille/compte/double-authentification/qr-code.svg").status_code == 403
    )
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()


def test_families_without_second_factor_are_not_asked_for_one():
    _family, user = make_family_with_login()
    client = Client()
    login_post(client, user.email, TEST_PASSWORD)
    assert client.get("/espace-famille/").status_code == 200


def _group_admin(email):
    """Reaches the Wagtail admin through a group permission, without ``is_staff``."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Accès administration")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = make_family_with_login(email=email).user
    user.groups.add(group)
    assert not user.is_staff and not user.is_superuser
    return user


def test_group_admin_without_second_factor_is_sent_to_enrol_on_the_private_area():
    user = _group_admin("groupe@example.test")
    client = Client()
    assert login_post(client, user.email, TEST_PASSWORD).status_code == 302
    response = client.get("/espace-famille/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL_URL)


def test_group_admin_without_second_factor_gets_json_403_on_the_api():
    user = _group_admin("groupe-api@example.test")
    client = Client()
    assert login_post(client, user.email, TEST_PASSWORD).status_code == 302
    response = client.get("/api/schema/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_required"
    register = f"/api/v1/staff/sites/{uuid.uuid4()}/days/2027-01-11/register/"
    for method in (client.get, client.post):
        assert method(register).json()["error"]["code"] == "otp_required"


def test_group_admin_who_has_not_typed_the_code_is_asked_for_it_on_the_private_area():
    user = _group_admin("groupe-code@example.test")
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    client = Client()
    assert login_post(client, user.email, TEST_PASSWORD).status_code == 302
    assert client.get("/espace-famille/")["Location"].startswith(VERIFY_URL)


def test_group_admin_cannot_turn_the_second_factor_off():
    user = _group_admin("groupe-off@example.test")
    client = sign_in(Client(), user)
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client.post(
        "/espace-famille/compte/double-authentification/desactiver/",
        {"password": TEST_PASSWORD},
    )
    assert TOTPDevice.objects.filter(user=user).exists()
