"""The family's messaging pages, the home banner and the navigation count."""

import pytest
from django.test import Client
from django.urls import reverse

from espace_prive.messaging import services
from espace_prive.messaging.models import Message, Thread
from tests.factories import (
    MINIMAL_PDF,
    make_family_with_login,
    make_guardian,
    make_staff_with_perms,
    make_thread,
    make_user,
    uploaded,
)
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"espace_prive:messaging:{name}", args=args)


@pytest.fixture
def agent():
    return make_staff_with_perms(
        "messaging.view_thread", "messaging.reply_thread", "messaging.view_all_threads"
    )


@pytest.fixture
def martin():
    """Madame Sophie Martin and her conjoint, each with a login."""
    family, sophie = make_family_with_login(email="sophie.martin@example.test")
    guardian = family.guardians.get()
    guardian.civility, guardian.first_name, guardian.last_name = "mme", "Sophie", "Martin"
    guardian.save()
    marc = make_user(email="marc.martin@example.test")
    make_guardian(family=family, user=marc, role="conjoint", first_name="Marc", last_name="Martin")
    first, second = Client(), Client()
    first.force_login(sophie)
    second.force_login(marc)
    return family, sophie, marc, first, second


def test_nous_contacter_from_the_page(client_a, family_a):
    response = client_a.post(
        url("contact"),
        {
            "topic": "restauration",
            "subject": "Menu sans porc",
            "body": "Bonjour,\nMon fils ne mange pas de porc.",
            "attachments": [uploaded(MINIMAL_PDF, name="certificat.pdf")],
        },
    )
    thread = Thread.objects.get(family=family_a.family)
    assert response.status_code == 302 and response["Location"] == url("thread", thread.public_id)
    assert thread.topic == "restauration"
    page = text(client_a.get(url("thread", thread.public_id)))
    assert "Mon fils ne mange pas de porc." in page and "certificat.pdf" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"topic": "autre", "subject": "Objet", "body": ""}, "Écrivez votre message."),
        ({"topic": "autre", "subject": "Objet", "body": "x" * 100_000}, "10000 caractères"),
        ({"topic": "piscine", "subject": "Objet", "body": "Bonjour"}, "dans la liste"),
        ({"topic": "autre", "subject": "", "body": "Bonjour"}, "Indiquez l'objet"),
    ],
    ids=["empty", "huge", "topic", "subject"],
)
def test_bad_input_gets_a_french_error_and_nothing_is_sent(client_a, data, error):
    response = client_a.post(url("contact"), data)
    assert response.status_code == 400
    assert error in text(response)
    assert not Thread.objects.exists()


def test_an_html_attachment_named_pdf_is_refused(client_a):
    response = client_a.post(
        url("contact"),
        {
            "topic": "autre",
            "subject": "Objet",
            "body": "Ci-joint",
            "attachments": [uploaded(b"<html></html>", name="faux.pdf")],
        },
    )
    assert response.status_code == 400
    assert "faux.pdf" in text(response)
    assert not Message.objects.exists()


def test_a_message_is_shown_as_text(client_a, family_a, agent):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    services.message_post(
        actor=agent, thread=thread, body='<img src=x onerror="alert(1)"> https://evil.example/x'
    )
    page = client_a.get(url("thread", thread.public_id)).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert 'href="https://evil.example' not in page


def test_the_banner_and_the_count_are_per_guardian(martin, agent):
    family, sophie, _marc, first, second = martin
    thread = make_thread(family=family, actor=sophie, subject="Inscription cantine")
    services.message_post(actor=agent, thread=thread, body="Première réponse")
    services.message_post(actor=agent, thread=thread, body="Seconde réponse")
    home = text(first.get(reverse("espace_prive:home")))
    assert "Bienvenue Madame Sophie Martin, vous avez 2 nouveaux messages" in home
    assert url("inbox") in home
    inbox = text(first.get(url("inbox")))
    assert "2 nouveaux messages" in inbox
    first.get(url("thread", thread.public_id))  # Sophie reads it
    home = text(first.get(reverse("espace_prive:home")))
    assert "nouveau" not in home
    assert "vous avez 2 nouveaux messages" in text(second.get(reverse("espace_prive:home")))


def test_the_navigation_shows_the_unread_count_on_every_family_page(client_a, family_a, agent):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    services.message_post(actor=agent, thread=thread, body="Réponse")
    page = text(client_a.get(reverse("espace_prive:families:account")))
    assert '<span class="badge badge--new">1<span class="visually-hidden"> non lu</span>' in page


def test_a_family_answer_goes_to_the_staff(client_a, family_a, agent):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    response = client_a.post(url("thread", thread.public_id), {"body": "Merci !"})
    assert response.status_code == 302
    assert thread.messages.count() == 2
    response = client_a.post(url("thread", thread.public_id), {"body": " "})
    assert response.status_code == 400
    assert thread.messages.count() == 2


def test_another_family_s_thread_and_attachment_are_404(client_b, family_a):
    thread = services.thread_start(
        actor=family_a.user, family=family_a.family, subject="Privé", topic="autre", body="Secret",
        attachments=[uploaded(MINIMAL_PDF, name="a.pdf")],
    )  # fmt: skip
    attachment = thread.messages.get().attachments.get()
    assert client_b.get(url("thread", thread.public_id)).status_code == 404
    assert client_b.post(url("thread", thread.public_id), {"body": "Intrus"}).status_code == 404
    assert client_b.get(url("attachment", attachment.public_id)).status_code == 404
    assert thread.messages.count() == 1


def test_an_attachment_is_downloaded_as_an_attachment(client_a, family_a):
    thread = services.thread_start(
        actor=family_a.user, family=family_a.family, subject="Objet", topic="autre",
        body="Ci-joint",
        attachments=[uploaded(MINIMAL_PDF, name="a.pdf")],
    )  # fmt: skip
    attachment = thread.messages.get().attachments.get()
    response = client_a.get(url("attachment", attachment.public_id))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_inbox_and_home_cost_the_same_for_1_or_30_threads(agent):
    family, user = make_family_with_login()
    client = Client()
    client.force_login(user)
    thread = make_thread(family=family, actor=user)
    services.message_post(actor=agent, thread=thread, body="Réponse")
    for path in (url("inbox"), reverse("espace_prive:home")):
        count_get(client, path)  # warm caches
    one = [count_get(client, path) for path in (url("inbox"), reverse("espace_prive:home"))]
    for n in range(29):
        thread = make_thread(family=family, actor=user, subject=f"Question {n}")
        services.message_post(actor=agent, thread=thread, body="Réponse")
    assert [count_get(client, path) for path in (url("inbox"), reverse("espace_prive:home"))] == one
    assert '30<span class="visually-hidden"> non lus' in text(client.get(url("inbox")))
