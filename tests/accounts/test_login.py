import logging

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings

from espace_prive.accounts import throttle
from espace_prive.accounts.models import AuditEvent, LoginThrottle, UserSession
from espace_prive.accounts.security import client_ip
from tests.factories import TEST_PASSWORD, make_staff

from .helpers import ADMIN_LOGIN_URL, LOGIN_URL, login_post

pytestmark = pytest.mark.django_db

WRONG = "pas-le-bon-mot-de-passe"


def test_family_signs_in_with_email_and_password(client, family_a):
    user = family_a.user
    response = login_post(client, user.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/espace-famille/"
    assert client.get("/espace-famille/").context["user"] == user
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN, user=user).count() == 1


def test_sign_in_gives_a_new_session_key(client, family_a):
    user = family_a.user
    client.get(LOGIN_URL)  # an anonymous session with a CSRF cookie
    session = client.session
    session["avant"] = "connexion"
    session.save()
    anonymous_key = session.session_key
    login_post(client, user.email, TEST_PASSWORD)
    assert client.session.session_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()
    assert UserSession.objects.filter(user=user, session_key=client.session.session_key).exists()


def test_wrong_password_is_refused_in_french_and_journaled(client, family_a):
    user = family_a.user
    response = login_post(client, user.email, WRONG)
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.user == user and event.ip_address == "127.0.0.1"
    assert WRONG not in str(event.details)


def test_five_failures_lock_the_account_from_that_ip_only(family_a):
    user = family_a.user
    attacker = Client()
    for _ in range(4):
        response = login_post(attacker, user.email, WRONG, ip="203.0.113.7")
        assert "incorrect" in response.content.decode()
    response = login_post(attacker, user.email, WRONG, ip="203.0.113.7")
    assert "bloqué pendant 15 minutes" in response.content.decode()
    # Even the right password is refused from that IP while the lock lasts.
    response = login_post(attacker, user.email, TEST_PASSWORD, ip="203.0.113.7")
    assert response.status_code == 200
    assert "bloqué" in response.content.decode()
    assert "_auth_user_id" not in attacker.session
    # The same account from another address still signs in.
    response = login_post(Client(), user.email, TEST_PASSWORD, ip="198.51.100.20")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, user=user).count() == 1


def test_lock_is_per_account_not_per_ip(family_a, family_b):
    for _ in range(5):
        login_post(Client(), family_a.user.email, WRONG, ip="203.0.113.7")
    # Another account from the same address is not locked.
    response = login_post(Client(), family_b.user.email, TEST_PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302


def test_lock_expires_after_15_minutes(family_a, monkeypatch):
    import datetime

    from django.utils import timezone

    user = family_a.user
    for _ in range(5):
        login_post(Client(), user.email, WRONG, ip="203.0.113.7")
    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = login_post(Client(), user.email, TEST_PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302


def test_a_success_clears_the_failures(family_a):
    user = family_a.user
    for _ in range(4):
        login_post(Client(), user.email, WRONG)
    assert login_post(Client(), user.email, TEST_PASSWORD).status_code == 302
    assert not LoginThrottle.objects.exists()
    for _ in range(4):
        login_post(Client(), user.email, WRONG)
    assert login_post(Client(), user.email, TEST_PASSWORD).status_code == 302


def test_unknown_accounts_are_locked_too_so_nothing_is_revealed(client):
    for _ in range(5):
        response = login_post(client, "personne@example.test", WRONG)
    assert "bloqué" in response.content.decode()


def test_the_password_is_never_logged(client, family_a, caplog):
    user = family_a.user
    with caplog.at_level(logging.INFO, logger="portail.security"):
        for _ in range(6):
            login_post(client, user.email, WRONG)
    assert "login_failed" in caplog.text and "lockout" in caplog.text
    assert WRONG not in caplog.text
    assert not AuditEvent.objects.filter(details__icontains=WRONG).exists()


def test_wagtail_admin_login_uses_the_same_lockout():
    staff = make_staff(email="agent2@example.test")
    for _ in range(5):
        login_post(Client(), staff.email, WRONG, url=ADMIN_LOGIN_URL, ip="203.0.113.9")
    response = login_post(
        Client(), staff.email, TEST_PASSWORD, url=ADMIN_LOGIN_URL, ip="203.0.113.9"
    )
    assert response.status_code == 200
    assert "bloqué pendant 15 minutes" in response.content.decode()
    other = login_post(Client(), staff.email, TEST_PASSWORD, url=ADMIN_LOGIN_URL, ip="192.0.2.1")
    assert other.status_code == 302
    failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, user=staff)
    assert failures.filter(details__channel="admin").count() == 6


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy declared: the header is ignored
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client forged the left entry
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        (1, "pas-une-ip", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        # Proxies that write the port, IPv6 in brackets, spaces, several hops
        (1, "203.0.113.5:4711", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "[2001:db8::1]", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "  6.6.6.6 ,203.0.113.5:4711  ", "203.0.113.5"),
        (2, "6.6.6.6, [2001:db8::1]:443 , 172.16.0.2:80", "2001:db8::1"),
        (3, "203.0.113.5, 172.16.0.2", "203.0.113.5"),  # fewer hops than proxies
        (1, "::ffff:203.0.113.5", "203.0.113.5"),
        (1, "fe80::1%eth0", "fe80::1"),
        # Garbage falls back to REMOTE_ADDR, never an error
        (1, "203.0.113.5:port", "10.0.0.1"),
        (1, "[2001:db8::1", "10.0.0.1"),
        (1, "[pas-une-ip]:443", "10.0.0.1"),
        (1, "1.2.3.4:5:6", "10.0.0.1"),
        (1, "unknown", "10.0.0.1"),
        (1, " , , ", "10.0.0.1"),
        (1, "\x00\u00e9" * 50, "10.0.0.1"),
    ],
)
def test_client_ip_trusts_x_forwarded_for_only_behind_declared_proxies(
    rf, count, forwarded, expected
):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request) == expected


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_address_with_a_port_is_recorded_without_it(family_a):
    user = family_a.user
    login_post(Client(), user.email, WRONG, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5:4711")
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, user=user).get()
    assert event.ip_address == "203.0.113.5"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_lockout_behind_a_proxy_uses_the_forwarded_address(family_a):
    user = family_a.user
    for _ in range(5):
        login_post(Client(), user.email, WRONG, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    blocked = login_post(
        Client(), user.email, TEST_PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert "bloqué" in blocked.content.decode()
    # Another client behind the same proxy is not affected.
    other = login_post(
        Client(), user.email, TEST_PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4"
    )
    assert other.status_code == 302


def test_attempts_are_reserved_before_the_password_is_checked(family_a):
    """A request that has reserved the last allowed attempt blocks the next ones."""
    user = family_a.user
    for _ in range(throttle._limit()):
        throttle.attempt_begin(scope="login", identifier=user.email, ip="203.0.113.7")
    with pytest.raises(throttle.Locked):
        throttle.attempt_begin(scope="login", identifier=user.email, ip="203.0.113.7")


def test_wagtail_login_links_to_the_portal_password_reset(client):
    page = client.get(ADMIN_LOGIN_URL).content.decode()
    assert 'href="/espace-famille/compte/mot-de-passe-oublie/"' in page
