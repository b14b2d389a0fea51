"""The messaging's rules: threads, read state per reader, staff rights, text only."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages

from espace_prive.messaging import selectors, services
from espace_prive.messaging.models import (
    Attachment,
    Message,
    Sender,
    Thread,
    ThreadState,
    TopicRoute,
)
from espace_prive.messaging.templatetags.messaging_tags import message_text
from tests.factories import (
    MINIMAL_PDF,
    make_family_with_login,
    make_guardian,
    make_staff_with_perms,
    make_thread,
    make_user,
    uploaded,
)

pytestmark = pytest.mark.django_db

AGENTS = "Agents Enfance-Jeunesse"


@pytest.fixture
def agent():
    user = make_staff_with_perms("messaging.view_thread", "messaging.reply_thread")
    user.groups.add(Group.objects.get(name=AGENTS))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def couple():
    """A family where both guardians have their own login."""
    family, first = make_family_with_login(email="sophie@example.test")
    second = make_user(email="marc@example.test")
    make_guardian(family=family, user=second, role="conjoint", email=second.email)
    return family, first, second


def test_nous_contacter_opens_a_thread_routed_to_the_topic_s_group(family_a):
    family, user = family_a
    thread = make_thread(family=family, actor=user, topic="facturation", subject="Facture de mars")
    assert thread.group == TopicRoute.objects.get(topic="facturation").group
    assert thread.group.name == AGENTS
    [message] = thread.messages.all()
    assert message.sender == Sender.FAMILY and message.author == user
    assert selectors.unread_count_for_family(family, user) == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("", "Écrivez votre message."),
        ("   \n ", "Écrivez votre message."),
        ("x" * 100_000, "10000 au plus"),
    ],
    ids=["empty", "blank", "100000"],
)
def test_an_empty_or_huge_message_is_refused_and_nothing_stored(family_a, body, expected):
    family, user = family_a
    with pytest.raises(ValidationError) as error:
        services.thread_start(actor=user, family=family, subject="Sujet", topic="autre", body=body)
    assert expected in " ".join(error.value.messages)
    assert not Thread.objects.exists() and not Message.objects.exists()


def test_an_unknown_topic_is_refused(family_a):
    family, user = family_a
    with pytest.raises(ValidationError):
        services.thread_start(
            actor=user, family=family, subject="Sujet", topic="piscine", body="Bonjour"
        )


def test_attachments_pass_the_document_checks(family_a):
    family, user = family_a
    with pytest.raises(ValidationError) as error:
        services.thread_start(
            actor=user, family=family, subject="Sujet", topic="autre", body="Ci-joint",
            attachments=[uploaded(b"<html>hello</html>", name="page.pdf")],
        )  # fmt: skip
    assert "page.pdf" in " ".join(error.value.messages)
    assert not Thread.objects.exists()
    thread = services.thread_start(
        actor=user, family=family, subject="Sujet", topic="autre", body="Ci-joint",
        attachments=[uploaded(MINIMAL_PDF, name="attestation.pdf")],
    )  # fmt: skip
    attachment = Attachment.objects.get(message__thread=thread)
    assert attachment.original_name == "attestation.pdf"
    assert storages["private"].exists(attachment.file.name)


def test_a_reply_is_unread_for_each_guardian_until_they_read_it(
    couple, agent, django_capture_on_commit_callbacks
):
    family, first, second = couple
    thread = make_thread(family=family, actor=first)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=agent, thread=thread, body="Réponse du service")
    assert selectors.unread_count_for_family(family, first) == 1
    assert selectors.unread_count_for_family(family, second) == 1
    services.thread_mark_read(actor=first, thread=thread)
    assert selectors.unread_count_for_family(family, first) == 0
    assert selectors.unread_count_for_family(family, second) == 1
    [row] = selectors.threads_for_family(family, second)
    assert row.unread_count == 1 and row.message_count == 2
    # Both guardians are told by e-mail; the e-mail does not carry the text.
    assert sorted(mail.outbox[0].to) == ["marc@example.test", "sophie@example.test"]
    assert "Réponse du service" not in mail.outbox[0].body


def test_a_guardian_s_own_message_is_not_unread_for_the_staff_who_wrote_nothing(couple, agent):
    family, first, second = couple
    thread = make_thread(family=family, actor=first)
    [row] = selectors.staff_inbox(agent)
    assert row.unread_count == 1
    services.thread_mark_read(actor=agent, thread=thread)
    assert selectors.staff_inbox(agent, show="non-lus").count() == 0
    services.message_post(actor=second, thread=thread, family=family, body="Et aussi…")
    assert selectors.staff_unread_thread_count(agent) == 1


def test_a_family_cannot_write_in_another_family_s_thread(family_a, family_b):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    with pytest.raises(PermissionDenied):
        services.message_post(
            actor=family_b.user, thread=thread, family=family_b.family, body="Intrus"
        )
    assert thread.messages.count() == 1


def test_staff_without_the_reply_permission_cannot_answer(family_a):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    reader = make_staff_with_perms("messaging.view_thread", "messaging.view_all_threads")
    with pytest.raises(PermissionDenied):
        services.message_post(actor=reader, thread=thread, body="Réponse")


def test_staff_see_only_the_threads_of_their_groups(family_a, agent):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    elsewhere = make_staff_with_perms("messaging.view_thread", "messaging.reply_thread")
    elsewhere.groups.add(Group.objects.create(name="Régie"))
    assert list(selectors.visible_threads(agent)) == [thread]
    assert list(selectors.visible_threads(elsewhere)) == []
    with pytest.raises(PermissionDenied):
        services.message_post(actor=elsewhere, thread=thread, body="Réponse")
    everything = make_staff_with_perms("messaging.view_thread", "messaging.view_all_threads")
    assert list(selectors.visible_threads(everything)) == [thread]
    nobody = make_staff_with_perms("families.view_family")
    assert list(selectors.visible_threads(nobody)) == []


def test_assign_close_and_a_family_answer_reopens(family_a, agent):
    family, user = family_a
    thread = make_thread(family=family, actor=user)
    services.thread_assign(actor=agent, thread=thread, assignee=agent)
    assert selectors.staff_inbox(agent, show="suivis").get() == thread
    outsider = make_staff_with_perms("families.view_family")
    with pytest.raises(ValidationError):
        services.thread_assign(actor=agent, thread=thread, assignee=outsider)
    services.thread_close(actor=agent, thread=thread)
    thread.refresh_from_db()
    assert thread.state == ThreadState.CLOSED and thread.closed_by == agent
    assert selectors.staff_inbox(agent, show="clos").get() == thread
    with pytest.raises(ValidationError):
        services.thread_close(actor=agent, thread=thread)
    services.message_post(actor=user, thread=thread, family=family, body="Encore une question")
    thread.refresh_from_db()
    assert thread.state == ThreadState.OPEN and thread.closed_at is None


def test_inbox_and_unread_count_cost_the_same_for_1_or_30_threads(
    couple, agent, django_assert_num_queries
):
    family, first, _second = couple
    make_thread(family=family, actor=first)
    agent.get_all_permissions()  # the permission cache, loaded once per request in a view

    def run():
        list(selectors.threads_for_family(family, first))
        selectors.unread_count_for_family(family, first)
        list(selectors.staff_inbox(agent))

    with django_assert_num_queries(3):
        run()
    for n in range(29):
        thread = make_thread(family=family, actor=first, subject=f"Question {n}")
        services.message_post(actor=agent, thread=thread, body="Réponse")
    with django_assert_num_queries(3):
        run()
    assert selectors.unread_count_for_family(family, first) == 29


# --- Text only --------------------------------------------------------------------------


def test_html_in_a_message_is_escaped():
    html = message_text('<script>alert("x")</script>\n<b>gras</b>')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html and "<br>" in html


def test_only_safe_links_are_clickable():
    html = message_text(
        "Voir https://www.service-public.fr/particuliers, ou http://www.service-public.fr/x, "
        "ou https://evil.example/phish, ou https://service-public.fr.evil.example/ "
        'et https://testserver/espace-famille/?a=1&b="2"'
    )
    assert '<a href="https://www.service-public.fr/particuliers" rel="noopener noreferrer">' in html
    assert 'href="http://www.service-public.fr' not in html
    assert 'href="https://evil.example' not in html
    assert 'href="https://service-public.fr.evil.example' not in html
    assert '<a href="https://testserver/espace-famille/?a=1&amp;b=' in html
    assert "https://evil.example/phish" in html  # still shown, as text
