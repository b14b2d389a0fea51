"""espace_prive.notifications: rendered now, queued on commit, retried, never an error
for the person whose work was saved."""

import datetime
import html
import logging
import smtplib

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from espace_prive import notifications
from espace_prive.demandes import services as demandes
from espace_prive.demandes.models import RequestState
from espace_prive.messaging import preferences

pytestmark = pytest.mark.django_db

FAILING = "tests.test_notifications.FailingBackend"


class FailingBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` messages, then accepts (locmem)."""

    failures = 0
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).failures > 0:
            type(self).failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_mail_server(settings):
    FailingBackend.failures, FailingBackend.attempts = 1, 0
    settings.MAILERS = {"default": {"BACKEND": FAILING}}
    return FailingBackend


@pytest.fixture
def queued_tasks(settings):
    """A task backend that queues (and can defer) without running: tests run the tasks."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _run_queued(backend):
    results, pending = list(backend.results), []
    backend.clear()
    for result in results:
        pending.append(result)
        result.task.call(*result.args, **result.kwargs)
    return pending


def test_a_mail_server_failure_after_acceptance_is_logged_retried_and_tells_nobody(
    staff_client, phone_request, failing_mail_server, caplog, django_capture_on_commit_callbacks
):
    detail = reverse("demandes_admin:detail", args=[phone_request.public_id])
    with (
        caplog.at_level(logging.WARNING, logger="espace_prive.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(detail, {"action": "accepter"}, follow=True)
    assert response.status_code == 200
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert shown and all(level == "success" for level, _text in shown)
    assert not any("erreur" in text.lower() for _level, text in shown)
    page = html.unescape(response.content.decode())
    assert "Connection unexpectedly closed" not in page and "SMTP" not in page
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.ACCEPTED
    assert phone_request.guardian.mobile_phone == "06 11 22 33 44"
    assert any("attempt 1" in record.getMessage() for record in caplog.records)
    # The immediate backend cannot defer: the second attempt follows at once.
    assert failing_mail_server.attempts == 2
    assert len(mail.outbox) == 1
    assert "acceptée" in mail.outbox[0].subject


def test_a_refused_message_is_queued_again_after_the_first_delay(
    family_a, staff_user, phone_request, failing_mail_server, queued_tasks, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.NOTIFICATION_RETRY_DELAYS = [60, 600]
    with django_capture_on_commit_callbacks(execute=True):
        demandes.request_accept(actor=staff_user, change_request=phone_request)
    assert mail.outbox == [] and len(queued_tasks.results) == 1
    assert queued_tasks.results[0].task.run_after is None
    before = timezone.now()
    _run_queued(queued_tasks)  # the mail server refuses it
    assert mail.outbox == []
    (retry,) = queued_tasks.results
    assert retry.args[1] == 1
    assert before + datetime.timedelta(seconds=59) < retry.task.run_after
    assert retry.task.run_after < timezone.now() + datetime.timedelta(seconds=61)
    _run_queued(queued_tasks)
    assert [message.to for message in mail.outbox] == [[family_a.user.email]]
    assert queued_tasks.results == []


def test_after_the_last_retry_the_failure_is_logged_as_an_error(
    phone_request, staff_user, failing_mail_server, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    failing_mail_server.failures = 10
    settings.NOTIFICATION_RETRY_DELAYS = [0, 0]
    with django_capture_on_commit_callbacks(execute=True):
        decided = demandes.request_accept(actor=staff_user, change_request=phone_request)
    assert decided.state == RequestState.ACCEPTED
    assert failing_mail_server.attempts == 3
    assert mail.outbox == []
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "after 3 attempts" in errors[0].getMessage()


def test_nothing_is_queued_when_the_work_is_rolled_back(family_a, queued_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notify(
            to=family_a.user.email,
            kind=notifications.ACCOUNT,
            template="demandes/emails/request_decided",
            subject="Essai",
        )
        raise RuntimeError
    assert queued_tasks.results == []


def test_the_message_is_rendered_when_notify_is_called(
    family_a, phone_request, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demandes.request_refuse(actor=staff_user, change_request=phone_request, reason="Non.")
        phone_request.reason = "changed after the call"
    assert "Motif : Non." in mail.outbox[0].body


def test_an_optional_kind_follows_the_preferences_an_account_one_does_not(
    family_a, django_capture_on_commit_callbacks
):
    user = family_a.user
    preferences.preferences_update(actor=user, values={"requests": False})
    with django_capture_on_commit_callbacks(execute=True):
        for kind in ("requests", notifications.ACCOUNT, notifications.SECURITY):
            notifications.notify(
                to=[user.email],
                kind=kind,
                template="demandes/emails/request_decided",
                subject=f"Essai {kind}",
                context={"change_request": None},
            )
    assert [message.subject for message in mail.outbox] == ["Essai account", "Essai security"]
