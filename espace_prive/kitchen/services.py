"""Writes of the kitchen: the daily e-mail of the definitive meal counts.

``meal_counts_send`` is run often (a cron calls ``manage.py send_meal_counts``, which
queues the ``send_meal_counts`` task): each kitchen receives the count of a day once,
as soon as every figure of its sites for that day is definitive (the booking and
cancellation deadlines have passed), with the provisional figures of the week ahead.
A ``MealCountDispatch`` row per kitchen and day (unique) makes it once only, even with
two workers at the same time (the kitchen's row is locked while deciding).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from espace_prive import notifications

from .meals import WEEK_DAYS, meal_counts
from .models import Kitchen, MealCountDispatch

# Not a family's e-mail: nobody's preferences turn it off.
KIND = "kitchen"
TEMPLATE = "kitchen/emails/meal_counts"


def _days_ready(rows):
    """Days whose every row is definitive."""
    days = {}
    for row in rows:
        days[row.day] = days.get(row.day, True) and row.is_final
    return sorted(day for day, final in days.items() if final)


def meal_counts_send(*, now=None):
    """E-mail each active kitchen the days that became definitive and were not sent yet;
    returns ``[(kitchen, [days])]`` of what was sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = meal_counts(today, today + datetime.timedelta(days=WEEK_DAYS), now=now)
    kitchens = list(Kitchen.objects.filter(is_active=True).exclude(email=""))
    sent_before = set(
        MealCountDispatch.objects.filter(
            kitchen__in=kitchens, day__gte=counts.start, day__lte=counts.end
        ).values_list("kitchen_id", "day")
    )
    sent = []
    for kitchen in kitchens:
        rows = counts.rows_of(kitchen)
        days = [d for d in _days_ready(rows) if (kitchen.pk, d) not in sent_before]
        if days:
            days = _send(kitchen, rows, days, now=now)
            if days:
                sent.append((kitchen, days))
    return sent


def _send(kitchen, rows, days, *, now):
    with transaction.atomic():
        Kitchen.objects.select_for_update().filter(pk=kitchen.pk).first()
        already = set(
            MealCountDispatch.objects.filter(kitchen=kitchen, day__in=days).values_list(
                "day", flat=True
            )
        )
        days = [day for day in days if day not in already]
        if not days:
            return []
        final = [(day, [row for row in rows if row.day == day]) for day in days]
        provisional = [row for row in rows if not row.is_final]
        MealCountDispatch.objects.bulk_create(
            MealCountDispatch(
                kitchen=kitchen,
                day=day,
                sent_at=now,
                sent_to=kitchen.email,
                meals=sum(row.total for row in day_rows),
            )
            for day, day_rows in final
        )
        notifications.notify(
            to=kitchen.email,
            kind=KIND,
            template=TEMPLATE,
            context={
                "kitchen": kitchen,
                "final": final,
                "provisional": provisional,
                "page_url": notifications.absolute_url("kitchen_admin:meals"),
            },
        )
    return days
