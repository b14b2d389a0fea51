import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client

from espace_prive.accounts import services
from espace_prive.accounts.middleware import LAST_ACTIVITY_KEY
from espace_prive.accounts.models import ApiToken, AuditEvent, UserSession
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD, make_staff

from .helpers import login_post

pytestmark = pytest.mark.django_db


def _age_session(client, seconds):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds
    session.save()


def test_logout_is_a_post_and_deletes_the_session_server_side(client, family_a):
    user = family_a.user
    login_post(client, user.email, TEST_PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/espace-famille/compte/deconnexion/").status_code == 405
    response = client.post("/espace-famille/compte/deconnexion/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT, user=user).exists()
    # The old cookie no longer opens the private area.
    stale = Client()
    stale.cookies["sessionid"] = key
    assert stale.get("/espace-famille/").status_code == 302


def test_family_session_ends_after_two_idle_hours(client, family_a):
    user = family_a.user
    client.force_login(user)
    assert client.get("/espace-famille/").status_code == 200
    _age_session(client, 2 * 3600 - 60)
    assert client.get("/espace-famille/").status_code == 200
    _age_session(client, 2 * 3600 + 1)
    key = client.session.session_key
    response = client.get("/espace-famille/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-famille/compte/connexion/?next=")
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SESSION_EXPIRED, user=user).exists()
    page = client.get(response["Location"])
    assert "Votre session a expiré après 120 minutes" in page.content.decode()


def test_staff_session_ends_after_thirty_idle_minutes(staff_client):
    assert staff_client.get("/admin/").status_code == 200
    _age_session(staff_client, 29 * 60)
    assert staff_client.get("/admin/").status_code == 200
    _age_session(staff_client, 30 * 60 + 1)
    response = staff_client.get("/admin/")
    assert response.status_code == 302
    assert "_auth_user_id" not in staff_client.session


def test_idle_timeouts_come_from_the_environment(settings):
    from cms.settings.env import env_int

    environ = {"SESSION_IDLE_TIMEOUT_STAFF_MINUTES": "10"}
    assert env_int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", 30, minimum=1, environ=environ) == 10
    assert settings.SESSION_IDLE_TIMEOUT_STAFF == 30 * 60
    assert settings.SESSION_IDLE_TIMEOUT_FAMILY == 120 * 60


def test_deactivating_a_user_ends_all_their_sessions(family_a, staff_user):
    user = family_a.user
    phone, laptop = Client(), Client()
    login_post(phone, user.email, TEST_PASSWORD)
    login_post(laptop, user.email, TEST_PASSWORD, ip="198.51.100.3")
    keys = {phone.session.session_key, laptop.session.session_key}
    services.api_token_create(request=_request(), user=user)
    services.user_deactivate(actor=staff_user, user=user)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert phone.get("/espace-famille/").status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.USER_DEACTIVATED)
    assert event.actor == staff_user and event.details["sessions_ended"] == 2


def test_deactivation_in_the_wagtail_users_admin_ends_the_sessions(staff_client, family_a):
    user = family_a.user
    family_client = Client()
    login_post(family_client, user.email, TEST_PASSWORD)
    key = family_client.session.session_key
    edit = staff_client.get(f"/admin/users/edit/{user.pk}/")
    assert edit.status_code == 200
    data = {
        "email": user.email,
        "first_name": "Alice",
        "last_name": "Test",
        "is_active": "",  # unchecked
        "password1": "",
        "password2": "",
    }
    response = staff_client.post(f"/admin/users/edit/{user.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert not user.is_active
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.USER_DEACTIVATED, user=user).count() == 1
    # Editing the inactive user again does not journal a second deactivation.
    staff_client.post(f"/admin/users/edit/{user.pk}/", data)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.USER_DEACTIVATED, user=user).count() == 1


def test_bulk_deactivation_in_the_wagtail_users_admin_ends_the_sessions(staff_client, family_a):
    user = family_a.user
    family_client = Client()
    login_post(family_client, user.email, TEST_PASSWORD)
    key = family_client.session.session_key
    url = f"/admin/bulk/accounts/user/set_active_state/?next=/admin/users/&id={user.pk}"
    response = staff_client.post(url, {"mark_as_active": "False"})
    assert response.status_code == 302
    assert not get_user_model().objects.get(pk=user.pk).is_active
    assert not Session.objects.filter(session_key=key).exists()


def test_password_change_keeps_this_session_and_ends_the_others(family_a):
    user = family_a.user
    here, elsewhere = Client(), Client()
    login_post(here, user.email, TEST_PASSWORD)
    login_post(elsewhere, user.email, TEST_PASSWORD)
    response = here.post(
        "/espace-famille/compte/mot-de-passe/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "une phrase de passe toute neuve",
            "new_password2": "une phrase de passe toute neuve",
        },
    )
    assert response.status_code == 302
    assert here.get("/espace-famille/").status_code == 200
    assert elsewhere.get("/espace-famille/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, user=user).exists()


def test_staff_persona_still_signs_in_with_a_verified_factor():
    staff = make_staff(superuser=True)
    client = sign_in(Client(), staff)
    assert client.get("/admin/").status_code == 200


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/")


def test_purge_deletes_what_is_no_longer_needed(family_a, settings):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from espace_prive.accounts import throttle
    from espace_prive.accounts.audit import audit_record
    from espace_prive.accounts.models import LoginThrottle

    user = family_a.user
    live, ended = Client(), Client()
    login_post(live, user.email, TEST_PASSWORD)
    login_post(ended, user.email, TEST_PASSWORD)
    Session.objects.filter(session_key=ended.session.session_key).delete()
    throttle.attempt_begin(scope="login", identifier="x@example.test", ip="203.0.113.1")
    throttle.attempt_begin(scope="login", identifier="y@example.test", ip="203.0.113.1")
    LoginThrottle.objects.filter(identifier="x@example.test").update(
        first_failure_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    old = audit_record(AuditEvent.Kind.LOGIN, user=user)
    AuditEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
    )
    call_command("purge_security_data")
    assert list(LoginThrottle.objects.values_list("identifier", flat=True)) == ["y@example.test"]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        live.session.session_key
    ]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()


def test_signed_in_family_requests_cost_no_accounts_query(client_a):
    from tests.queries import get_queries, sql_of

    client_a.get("/espace-famille/")
    sql = " ".join(sql_of(get_queries(client_a, "/espace-famille/")))
    # The family home reads the family file itself; the accounts middleware (second
    # factor, applicant status) must add nothing.
    for table in ("otp_totp", "otp_static", "accounts_registration"):
        assert table not in sql


def test_enabling_two_factor_ends_the_sessions_opened_with_the_password_alone(family_a):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .helpers import ENROL_URL, totp_code

    user = family_a.user
    here, elsewhere = Client(), Client()
    login_post(here, user.email, TEST_PASSWORD)
    login_post(elsewhere, user.email, TEST_PASSWORD)
    here.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    here.post(ENROL_URL, {"code": totp_code(device)})
    assert here.get("/espace-famille/").status_code == 200
    assert elsewhere.get("/espace-famille/")["Location"].startswith(
        "/espace-famille/compte/connexion/"
    )


def test_group_admin_session_uses_the_staff_idle_timeout_on_the_private_area():
    from django.contrib.auth.models import Group, Permission
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import make_family_with_login

    _family, user = make_family_with_login(email="groupe-inactif@example.test")
    group = Group.objects.create(name="Régie")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client = Client()
    login_post(client, user.email, TEST_PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/espace-famille/").status_code == 200
    _age_session(client, 30 * 60 + 1)
    response = client.get("/espace-famille/")
    assert response.status_code == 302
    assert response["Location"].startswith("/espace-famille/compte/connexion/")
    assert "_auth_user_id" not in client.session
