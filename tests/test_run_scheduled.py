"""The scheduler runs every periodic command at its interval; one failure stops none."""

import pytest
from django.core.management import get_commands

from cms.management.commands import run_scheduled

# Each slot closes stale database connections, as a long-running process must.
pytestmark = pytest.mark.django_db


def test_every_scheduled_command_exists():
    commands = get_commands()
    for name, interval in run_scheduled.SCHEDULE:
        assert name in commands, f"{name} is scheduled but is no management command"
        assert interval >= 1


@pytest.mark.parametrize(
    ("minute", "expected"),
    [
        (0, ["publish_scheduled", "billing_reconcile", "send_meal_counts", "purge_security_data"]),
        (1, ["publish_scheduled"]),
        (15, ["publish_scheduled", "send_meal_counts"]),
        (60, ["publish_scheduled", "billing_reconcile", "send_meal_counts"]),
        (
            1440,
            ["publish_scheduled", "billing_reconcile", "send_meal_counts", "purge_security_data"],
        ),
    ],
)
def test_each_minute_runs_what_is_due(monkeypatch, minute, expected):
    ran = []
    monkeypatch.setattr(run_scheduled, "call_command", lambda name, **kw: ran.append(name))
    run_scheduled.Command().run_minute(minute)
    assert ran == expected


def test_a_failing_command_is_logged_and_the_next_still_runs(monkeypatch, caplog):
    ran = []

    def call(name, **kwargs):
        ran.append(name)
        if name == "publish_scheduled":
            raise RuntimeError("base indisponible")

    monkeypatch.setattr(run_scheduled, "call_command", call)
    run_scheduled.Command().run_minute(0)
    assert ran == [
        "publish_scheduled",
        "billing_reconcile",
        "send_meal_counts",
        "purge_security_data",
    ]
    assert "publish_scheduled failed" in caplog.text
