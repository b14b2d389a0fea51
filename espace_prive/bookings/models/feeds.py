"""The secret address of a family's agenda (iCal): whoever knows it reads the family's
booked days, so it is long and random, renewed on demand (the old one then answers 404),
and the feed carries no health data."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    family = models.OneToOneField(
        "families.Family",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name="famille",
    )
    token = models.CharField("jeton", max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )

    class Meta:
        verbose_name = "agenda en ligne (iCal)"
        verbose_name_plural = "agendas en ligne (iCal)"

    def __str__(self):
        return f"Agenda en ligne — {self.family}"
