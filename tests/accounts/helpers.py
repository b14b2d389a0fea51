"""Helpers for the accounts tests."""

import re
import time
from contextlib import contextmanager

from django.core import mail
from django.db import connection
from django.test import TestCase
from django_otp.oath import TOTP

LOGIN_URL = "/espace-famille/compte/connexion/"
ADMIN_LOGIN_URL = "/admin/login/"
VERIFY_URL = "/espace-famille/compte/double-authentification/verification/"
ENROL_URL = "/espace-famille/compte/double-authentification/activer/"


def login_post(client, email, password, *, ip="127.0.0.1", url=LOGIN_URL, **extra):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip, **extra)


def totp_code(device, *, offset_steps=0):
    """The code the user's app shows now (or ``offset_steps`` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def link_in_last_mail(pattern=r"https?://\S+"):
    assert mail.outbox, "no e-mail was sent"
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@contextmanager
def captured_commits():
    """Run the ``on_commit`` callbacks (e-mails) of what happens inside, as a commit would.

    Tests run in a transaction that is rolled back, so callbacks would never run.
    """
    with TestCase.captureOnCommitCallbacks(using=connection.alias, execute=True):
        yield
