"""The daily e-mail to each kitchen: once per day, as soon as the day is definitive."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from espace_prive.kitchen.models import Kitchen, MealCountDispatch
from espace_prive.kitchen.services import meal_counts_send
from tests.kitchen.fixtures import PARIS, SUNDAY_NOON, day, make_week

pytestmark = pytest.mark.django_db


def test_the_kitchen_gets_the_definitive_days_once(django_capture_on_commit_callbacks):
    week = make_week()
    with django_capture_on_commit_callbacks(execute=True):
        sent = meal_counts_send(now=SUNDAY_NOON)
    assert sent == [(week["kitchen"], [day(0), day(1)])]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["cuisine@example.test"]
    assert "Cuisine centrale" in message.subject and "lundi 16 novembre" in message.subject
    body = message.body
    assert "École Jules-Ferry : 4 repas" in body
    assert "Standard : 1 ; Sans porc : 1 ; Végétarien : 1 ; PAI / panier repas : 1" in body
    assert "Arachides 1" in body and "Œufs 1" in body
    assert "École Pasteur : 2 repas" in body
    assert "Absences déclarées (non comptées) : 1" in body
    # Wednesday is still provisional: announced as a forecast, not as the count.
    assert "Prévisions des jours suivants" in body and "mercredi 18 novembre" in body
    assert "Curie" not in body  # not one of this kitchen's sites
    assert MealCountDispatch.objects.get(day=day(0)).meals == 6

    with django_capture_on_commit_callbacks(execute=True):
        assert meal_counts_send(now=SUNDAY_NOON + datetime.timedelta(hours=2)) == []
    assert len(mail.outbox) == 1


def test_the_next_day_is_sent_when_its_deadline_passes(django_capture_on_commit_callbacks):
    week = make_week()
    with django_capture_on_commit_callbacks(execute=True):
        meal_counts_send(now=SUNDAY_NOON)
        before = datetime.datetime(2026, 11, 16, 9, 59, tzinfo=PARIS)
        assert meal_counts_send(now=before) == []
        after = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=PARIS)
        assert meal_counts_send(now=after) == [(week["kitchen"], [day(2)])]
    assert len(mail.outbox) == 2
    assert "mercredi 18 novembre" in mail.outbox[1].subject


def test_an_inactive_kitchen_gets_nothing(django_capture_on_commit_callbacks):
    make_week()
    Kitchen.objects.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert meal_counts_send(now=SUNDAY_NOON) == []
    assert mail.outbox == []


def test_the_command_queues_the_task(capsys):
    call_command("send_meal_counts")
    assert "mis en file" in capsys.readouterr().out
