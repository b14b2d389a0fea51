import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from espace_prive.accounts.audit import audit_record
from espace_prive.accounts.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

JOURNAL_URL = "/admin/journal_securite/"


def _staff(*codenames):
    staff = make_staff(email=f"agent-{'-'.join(codenames) or 'aucun'}@example.test")
    for codename in ("access_admin", *codenames):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return sign_in(Client(), staff)


def test_the_journal_needs_its_own_permission():
    client = _staff()
    assert client.get(JOURNAL_URL).status_code in (302, 403)
    assert JOURNAL_URL not in client.get("/admin/").content.decode()  # not in the menu


def test_staff_with_the_permission_read_and_filter_the_journal(family_a):
    user = family_a.user
    audit_record(AuditEvent.Kind.LOGIN_FAILED, user=user, email=user.email)
    audit_record(AuditEvent.Kind.INVITATION_SENT, email="invite@example.test")
    client = _staff("view_auditevent")
    assert JOURNAL_URL in client.get("/admin/").content.decode()  # in the menu
    page = client.get(JOURNAL_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Échec de connexion" in text and "invite@example.test" in text
    filtered = client.get(JOURNAL_URL, {"kind": "invitation_sent"}).content.decode()
    assert "invite@example.test" in filtered and user.email not in filtered
    searched = client.get(JOURNAL_URL, {"q": user.email}).content.decode()
    assert "invite@example.test" not in searched
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert client.get(f"{JOURNAL_URL}inspect/{event.pk}/").status_code == 200


def test_the_journal_is_read_only_even_for_superusers(staff_client):
    audit_record(AuditEvent.Kind.LOGIN, email="quelqu-un@example.test")
    page = staff_client.get(JOURNAL_URL).content.decode()
    assert f'href="{JOURNAL_URL}new/"' not in page
    event = AuditEvent.objects.get(email="quelqu-un@example.test")
    count = AuditEvent.objects.count()
    for url in (
        f"{JOURNAL_URL}new/",
        f"{JOURNAL_URL}edit/{event.pk}/",
        f"{JOURNAL_URL}delete/{event.pk}/",
    ):
        assert staff_client.get(url).status_code == 404
    assert AuditEvent.objects.count() == count


def test_the_journal_lists_in_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    for n in range(30):
        audit_record(AuditEvent.Kind.LOGIN, email=f"u{n}@example.test", actor=None)
    staff_client.get(JOURNAL_URL)
    with django_assert_max_num_queries(25):
        assert staff_client.get(JOURNAL_URL).status_code == 200
