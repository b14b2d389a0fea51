"""The staff's inbox, replies and messages to many families in the Wagtail admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from espace_prive.messaging.models import Broadcast, Message, ReplyTemplate, Thread
from tests.conftest import sign_in
from tests.factories import make_family_with_login, make_site, make_staff_with_perms, make_thread
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db


def agent_client(*extra):
    user = make_staff_with_perms(*extra)
    user.groups.add(Group.objects.get(name="Agents Enfance-Jeunesse"))
    return sign_in(Client(), user), user


def test_the_inbox_shows_unread_threads_and_a_reply_reaches_the_family(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user, subject="Facture de mars")
    client, agent = agent_client()
    page = text(client.get(reverse("messaging_admin:index"), {"show": "non-lus"}))
    assert "Facture de mars" in page
    url = reverse("messaging_admin:thread", args=[thread.public_id])
    assert "Bonjour" in text(client.get(url))
    assert "Facture de mars" not in text(
        client.get(reverse("messaging_admin:index"), {"show": "non-lus"})
    )
    response = client.post(url, {"action": "repondre", "body": "Nous regardons."})
    assert response.status_code == 302
    reply = thread.messages.last()
    assert reply.is_from_service and reply.author == agent
    assert client.post(url, {"action": "repondre", "body": ""}).status_code == 400
    assert thread.messages.count() == 2


def test_assign_and_close_from_the_admin(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    client, agent = agent_client()
    url = reverse("messaging_admin:thread", args=[thread.public_id])
    client.post(url, {"action": "attribuer", "assignee": agent.pk})
    client.post(url, {"action": "clore"})
    thread.refresh_from_db()
    assert thread.assigned_to == agent and not thread.is_open
    assert "Clore" not in text(client.get(url)) or "Rouvrir" in text(client.get(url))


def test_a_reply_template_fills_the_reply(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    template = ReplyTemplate.objects.create(
        title="Horaires", body="Le service est ouvert de 8 h à 17 h."
    )
    client, _agent = agent_client()
    url = reverse("messaging_admin:thread", args=[thread.public_id])
    page = text(client.get(url, {"modele": template.pk}))
    assert "Le service est ouvert de 8 h à 17 h." in page


def test_another_service_s_thread_is_a_404(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    user = make_staff_with_perms("messaging.view_thread", "messaging.reply_thread")
    user.groups.add(Group.objects.create(name="Régie"))
    client = sign_in(Client(), user)
    assert client.get(reverse("messaging_admin:thread", args=[thread.public_id])).status_code == 404
    assert "Bonjour" not in text(client.get(reverse("messaging_admin:index")))


def test_staff_without_the_messaging_permission_see_no_thread(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user, subject="Sujet confidentiel")
    client = sign_in(Client(), make_staff_with_perms("families.view_family"))
    for url in (
        reverse("messaging_admin:index"),
        reverse("messaging_admin:thread", args=[thread.public_id]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Sujet confidentiel" not in text(response)


def test_the_broadcast_composer_previews_then_sends(django_capture_on_commit_callbacks):
    school = make_site(name="École élémentaire Jules-Ferry")
    for _ in range(3):
        family, _user = make_family_with_login()
        family.children.update(school=school)
    client, _agent = agent_client("messaging.send_broadcast")
    data = {"school": school.pk, "class_level": "", "subject": "Sortie", "body": "Pique-nique"}
    page = text(
        client.post(reverse("messaging_admin:broadcast"), {**data, "action": "previsualiser"})
    )
    assert "3 familles" in page and "3 responsables" in page
    assert not Broadcast.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit
        response = client.post(reverse("messaging_admin:broadcast"), {**data, "action": "envoyer"})
    assert response.status_code == 302
    broadcast = Broadcast.objects.get()
    assert Thread.objects.filter(broadcast=broadcast).count() == 3
    assert Message.objects.filter(thread__broadcast=broadcast).count() == 3


def test_the_composer_needs_the_broadcast_permission():
    client, _agent = agent_client()
    assert client.get(reverse("messaging_admin:broadcast")).status_code in (302, 403)


def test_the_inbox_costs_the_same_for_1_or_30_threads():
    client, _agent = agent_client()
    family, user = make_family_with_login()
    make_thread(family=family, actor=user)
    url = reverse("messaging_admin:index")
    count_get(client, url)
    one = count_get(client, url)
    for n in range(29):
        other, other_user = make_family_with_login()
        make_thread(family=other, actor=other_user, subject=f"Question {n}")
    assert count_get(client, url) == one


def test_the_menu_shows_the_unreadcount_get(family_a):
    make_thread(family=family_a.family, actor=family_a.user)
    client, _agent = agent_client()
    assert "Messages des familles (1)" in text(client.get(reverse("wagtailadmin_home")))
