"""The staff groups a town gets out of the box: agents decide requests without seeing
health data, health-cleared agents see it (each look logged), managers also read the
logs and anonymise. Shown in Wagtail's group editor with French labels."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from espace_prive.demandes.models import RequestState
from espace_prive.families.models import HealthAccessLog
from tests.conftest import sign_in
from tests.factories import (
    MINIMAL_PDF,
    make_allergy_request,
    make_family_with_login,
    make_health_record,
    make_phone_request,
    make_staff,
)
from tests.reading import text

pytestmark = pytest.mark.django_db

AGENTS = "Agents Enfance-Jeunesse"
HEALTH_AGENTS = "Agents Enfance-Jeunesse habilités santé"
MANAGERS = "Responsables Enfance-Jeunesse"


def _permissions(name):
    """The group's permissions, but those Wagtail's own migrations add to every group
    with admin access (choosing images and documents)."""
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.exclude(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"]
        )
    }


def _member_of(name, email):
    user = make_staff(email=email)
    user.groups.add(Group.objects.get(name=name))
    return sign_in(Client(), user), user


@pytest.fixture
def health_file():
    """A family whose child has a PAI for a peanut allergy, and a pending allergy request."""
    family, user = make_family_with_login(email="sante@example.test")
    child = family.children.get()
    record = make_health_record(
        child=child, allergies="Arachide", has_pai=True, pai_details="Trousse d'urgence"
    )
    record.pai_document.save("pai.pdf", ContentFile(MINIMAL_PDF))
    request = make_allergy_request(
        family=family, child=child, actor=user, allergies="Arachide et kiwi"
    )
    phone = make_phone_request(family=family, actor=user)
    return family, child, request, phone


def test_the_three_groups_hold_nested_permissions():
    agents, health, managers = map(_permissions, (AGENTS, HEALTH_AGENTS, MANAGERS))
    assert agents == {
        "wagtailadmin.access_admin",
        "families.view_family",
        "families.change_family",
        "families.view_child",
        "demandes.view_changerequest",
        "demandes.decide_changerequest",
        "accounts.review_registration",
        "accounts.manage_invitations",
        # Issue 10: documents reviewed, messages answered (health documents stay closed
        # without families.view_health_record).
        "documents.view_document",
        "documents.review_document",
        "messaging.view_thread",
        "messaging.reply_thread",
        "messaging.view_replytemplate",
        # Issue 11: enrolments decided, day lists read, bookings made for a family; the
        # calendar's reference data read (the managers keep it).
        "bookings.view_enrolment",
        "bookings.decide_enrolment",
        "bookings.view_booking",
        "bookings.book_for_family",
        *{
            f"bookings.view_{model}"
            for model in (
                "commune",
                "schoolyear",
                "period",
                "activityunit",
                "unitcapacity",
                "unitday",
                "closure",
                "deadlinerule",
                "servicerules",
                "absencereason",
                "schoolholiday",
            )
        },
        # Issue 13: invoices and payments read, a payment handed over recorded.
        "billing.view_invoice",
        "billing.view_payment",
        "billing.record_payment",
        # Issue 12: daily lists and attendance of every site; meal counts, occupancy.
        "attendance.view_register",
        "attendance.take_attendance",
        "attendance.all_sites",
        "kitchen.view_meal_counts",
        "kitchen.view_occupancy",
        "kitchen.view_kitchen",
    }
    assert health == agents | {"families.view_health_record"}
    assert {
        "families.view_healthaccesslog",
        "families.anonymise_family",
        "accounts.view_auditevent",
        "catalogue.change_tariffgrid",
        "messaging.view_all_threads",
        "messaging.send_broadcast",
        "documents.change_documenttype",
        "bookings.change_closure",
        "bookings.add_unitcapacity",
        "bookings.change_servicerules",
        "billing.run_billing",
        "billing.view_billingauditentry",
        "billing.change_regie",
        "attendance.reopen_register",
        "attendance.change_siteassignment",
        "kitchen.change_kitchen",
    } <= managers - health
    assert not any(p.startswith("auth.") or "delete" in p for p in managers)


def test_an_agent_decides_requests_but_never_sees_health_data(health_file):
    family, child, health_request, phone = health_file
    agent, _user = _member_of(AGENTS, "agent@example.test")

    queue = agent.get(reverse("demandes_admin:index"))
    assert queue.status_code == 200 and "Arachide" not in text(queue)
    detail = reverse("demandes_admin:detail", args=[health_request.public_id])
    page = text(agent.get(detail))
    assert "Arachide" not in page and "Accepter et appliquer" not in page
    agent.post(detail, {"action": "accepter"})
    health_request.refresh_from_db()
    assert health_request.state == RequestState.PENDING

    for url in (
        reverse("families_admin:family", args=[family.public_id]),
        reverse("families_admin:child", args=[child.public_id]),
    ):
        response = agent.get(url)
        assert response.status_code == 200 and "Arachide" not in text(response), url
    for url in (
        reverse("families_admin:health", args=[child.public_id]),
        reverse("families_admin:pai_document", args=[child.public_id]),
        reverse("families_admin:sheet_complete", args=[child.public_id]),
        reverse("families_admin:health_accesses", args=[child.public_id]),
    ):
        response = agent.get(url)
        assert response.status_code in (302, 403), url
        assert b"Arachide" not in response.content, url
    simple_sheet = agent.get(reverse("families_admin:sheet", args=[child.public_id]))
    assert simple_sheet.status_code == 200
    assert not HealthAccessLog.objects.exists()

    response = agent.post(
        reverse("demandes_admin:detail", args=[phone.public_id]), {"action": "accepter"}
    )
    assert response.status_code == 302
    phone.refresh_from_db()
    assert phone.state == RequestState.ACCEPTED


def test_a_health_cleared_agent_sees_and_decides_health_requests_and_is_logged(health_file):
    _family, child, health_request, _phone = health_file
    nurse, user = _member_of(HEALTH_AGENTS, "infirmiere@example.test")
    detail = reverse("demandes_admin:detail", args=[health_request.public_id])
    assert "Arachide et kiwi" in text(nurse.get(detail))
    assert "Arachide" in text(nurse.get(reverse("families_admin:health", args=[child.public_id])))
    assert list(HealthAccessLog.objects.values_list("user", "child")) == [
        (user.pk, child.pk),
        (user.pk, child.pk),
    ]
    # The access log itself is for managers.
    assert nurse.get(
        reverse("families_admin:health_accesses", args=[child.public_id])
    ).status_code in (302, 403)
    nurse.post(detail, {"action": "accepter"})
    health_request.refresh_from_db()
    assert health_request.state == RequestState.ACCEPTED


def test_a_manager_reads_the_access_log_and_the_security_journal(health_file):
    _family, child, _request, _phone = health_file
    manager, _user = _member_of(MANAGERS, "responsable@example.test")
    accesses = reverse("families_admin:health_accesses", args=[child.public_id])
    assert manager.get(accesses).status_code == 200
    assert manager.get(reverse("journal_securite:index")).status_code == 200


def test_the_groups_open_in_wagtails_group_editor_with_french_labels():
    admin = sign_in(Client(), make_staff(superuser=True))
    listing = text(admin.get(reverse("wagtailusers_groups:index")))
    for name in (AGENTS, HEALTH_AGENTS, MANAGERS):
        assert name in listing
    group = Group.objects.get(name=HEALTH_AGENTS)
    page = text(admin.get(reverse("wagtailusers_groups:edit", args=[group.pk])))
    assert "Peut consulter les données sanitaires des enfants" in page
    assert "Peut accepter ou refuser les demandes des familles" in page
    assert "Can change" not in page and "Can add" not in page
