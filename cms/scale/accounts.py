"""Logins: nineteen responsables 1 in twenty and half of the second guardians have one,
all with the bench password (``BENCH_PASSWORD``), hashed once: every user row carries
the same hash (hashing 15,000 passwords would take longer than the rest of the town)."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from espace_prive.families.models import Guardian

from . import BENCH_PASSWORD, EMAIL_DOMAIN, bulk, timed


def _ascii(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum())


def town_email(guardian, family):
    number = family.reference.rsplit("-", 1)[-1]
    return (
        f"{_ascii(guardian.first_name)}.{_ascii(guardian.last_name)}.{number}"
        f"{'' if guardian.role == Guardian.Role.PRIMARY else '.2'}@{EMAIL_DOMAIN}"
    )


def generate(town):
    User = get_user_model()
    families = {family.pk: family for family in town.objects["families"]}
    with timed(town, "accounts: guardian logins (one password hash)"):
        password = make_password(BENCH_PASSWORD)
        users, linked = [], []
        for guardian in town.objects["guardians"]:
            rng = town.rng("accounts", guardian.public_id)
            share = 0.95 if guardian.role == Guardian.Role.PRIMARY else 0.5
            if rng.random() >= share:
                continue
            family = families[guardian.family_id]
            guardian.email = town_email(guardian, family)
            users.append(
                User(
                    email=guardian.email,
                    first_name=guardian.first_name,
                    last_name=guardian.last_name,
                    password=password,
                    is_active=True,
                    date_joined=family.created_at,
                    email_confirmed_at=family.created_at,
                )
            )
            linked.append(guardian)
        users = bulk(User, users)
        for guardian, user in zip(linked, users, strict=True):
            guardian.user = user
        Guardian.objects.bulk_update(linked, ["user", "email"], batch_size=2000)
    town.objects["users"] = users
    town.objects["user_by_family"] = {g.family_id: g.user for g in reversed(linked)}
