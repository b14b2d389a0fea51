"""Start-up configuration, exercised in a fresh interpreter as a deployment would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portail.example.fr",
    "DATABASE_URL": "postgres://portail@127.0.0.1:5432/portail",
}


def manage(*args, env):
    inherited = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_without_database_url_refuses_to_start():
    env = {**PRODUCTION_ENV, "DATABASE_URL": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL is required" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "peut-être"), ("DATABASE_URL", "mysql://x/y"), ("REDIS_URL", "localhost:6379")],
)
def test_a_malformed_variable_stops_start_up_naming_it(variable, value):
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "cms.settings.dev", variable: value})
    assert result.returncode != 0
    assert f"The environment variable {variable}" in result.stderr


def test_an_unknown_log_level_stops_start_up_naming_it():
    result = manage(
        "check", env={"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "LOG_LEVEL": "bavard"}
    )
    assert result.returncode != 0
    assert "The environment variable LOG_LEVEL must be one of" in result.stderr


@pytest.mark.parametrize(
    ("redis_url", "expected"), [("", "False"), ("redis://cache:6379/0", "True")]
)
def test_production_caches_public_pages_only_in_a_shared_redis(redis_url, expected):
    # A per-process cache would keep serving a page in the workers that did not publish it.
    code = "from django.conf import settings; print(settings.PUBLIC_CACHE_ENABLED)"
    result = manage("shell", "-c", code, env={**PRODUCTION_ENV, "REDIS_URL": redis_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_production_links_in_e_mails_default_to_the_first_host_name_over_https():
    code = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    result = manage("shell", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://portail.example.fr"


def test_production_with_a_wildcard_host_needs_the_portal_address():
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": "*"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL is required" in result.stderr


def test_the_compose_deployment_runs_the_periodic_commands():
    import yaml

    from cms.management.commands.run_scheduled import SCHEDULE

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    commands = {
        name: " ".join(service.get("command") or [])
        for name, service in compose["services"].items()
    }
    runners = [name for name, command in commands.items() if "run_scheduled" in command]
    assert runners, "no service runs run_scheduled: scheduled pages would never go live"
    intervals = dict(SCHEDULE)
    assert intervals["publish_scheduled"] == 1, "scheduled pages go live within a minute"
    assert intervals["billing_reconcile"] == 60, "missed card webhooks are caught every hour"
