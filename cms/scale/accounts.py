"""Logins: nineteen responsables 1 in twenty and half of the second guardians have one,
all with the bench password (``BENCH_PASSWORD``), hashed once: every user row carries
the same hash (hashing 15,000 passwords would take longer than the rest of the town)."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection

from espace_prive.families.models import Guardian

from . import BATCH, BENCH_PASSWORD, EMAIL_DOMAIN, REFERENCE_FAMILY, bulk, timed


def _ascii(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum())


def town_email(guardian, family):
    number = family.reference.rsplit("-", 1)[-1]
    return (
        f"{_ascii(guardian.first_name)}.{_ascii(guardian.last_name)}.{number}"
        f"{'' if guardian.role == Guardian.Role.PRIMARY else '.2'}@{EMAIL_DOMAIN}"
    )


def _link(guardians):
    """Write each guardian's login and e-mail: one ``UPDATE … FROM (VALUES …)`` a batch
    on PostgreSQL (``bulk_update``'s CASE takes over a minute for 15,000 rows)."""
    if connection.vendor != "postgresql":
        Guardian.objects.bulk_update(guardians, ["user", "email"], batch_size=500)
        return
    table = Guardian._meta.db_table
    with connection.cursor() as cursor:
        for index in range(0, len(guardians), BATCH):
            batch = guardians[index : index + BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f'UPDATE "{table}" AS g SET user_id = v.user_id, email = v.email '  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, user_id, email) WHERE g.id = v.id",
                [item for g in batch for item in (g.pk, g.user.pk, g.email)],
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
            family = families[guardian.family_id]
            reference = family.reference == REFERENCE_FAMILY and share > 0.9
            if rng.random() >= share and not reference:
                continue
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
        _link(linked)
    town.objects["users"] = users
    town.objects["user_by_family"] = {g.family_id: g.user for g in reversed(linked)}
