"""Dockerfile and docker-compose.yml agree with the settings (Docker cannot run here)."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
SETTINGS_SOURCE = "\n".join(p.read_text() for p in (ROOT / "cms" / "settings").glob("*.py"))


def _dockerfile_env():
    lines = DOCKERFILE.replace("\\\n", " ").splitlines()
    return {
        name: value
        for line in lines
        if line.startswith("ENV ")
        for name, value in re.findall(r"(\w+)=(\S+)", line)
    }


def test_every_variable_compose_sets_is_read_by_the_settings():
    for service in ("web", "worker", "migrate"):
        for name in COMPOSE["services"][service]["environment"]:
            assert f'"{name}"' in SETTINGS_SOURCE, f"{service}: {name} is read by no setting"


def test_image_keeps_private_files_apart_on_the_data_volume():
    env = _dockerfile_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"
    media, private = Path(env["MEDIA_ROOT"]), Path(env["PRIVATE_MEDIA_ROOT"])
    assert not private.is_relative_to(media) and not media.is_relative_to(private)
    assert not private.is_relative_to(Path(env["STATIC_ROOT"]))
    volume = Path(re.search(r'^VOLUME \["([^"]+)"\]', DOCKERFILE, re.M).group(1))
    assert media.is_relative_to(volume) and private.is_relative_to(volume)
    for service in ("web", "worker"):
        assert f"portail-data:{volume}" in COMPOSE["services"][service]["volumes"]


def test_worker_runs_the_database_task_queue():
    worker = COMPOSE["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert worker["environment"]["TASKS_BACKEND"] == "database"


def test_web_port_is_published_on_the_loopback_only():
    # Reached from outside without the proxy, X-Forwarded-* headers could be forged.
    assert COMPOSE["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_image_runs_as_a_non_root_user_and_probes_healthz():
    assert re.search(r"^USER portail$", DOCKERFILE, re.M)
    assert "/healthz" in re.search(r"^HEALTHCHECK.*\n.*", DOCKERFILE, re.M).group(0)
    assert "--chown" not in DOCKERFILE  # the code is not writable by the app's user


def test_secrets_file_is_never_copied_into_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored


def test_requirements_lock_pins_what_requirements_txt_installs():
    # The image installs requirements.txt under requirements.lock's constraints.
    assert "-c /tmp/requirements.lock" in DOCKERFILE
    generated = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "lock-requirements")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert (ROOT / "requirements.lock").read_text() == generated, "run `make lock`"
