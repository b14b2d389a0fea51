"""Background work of the kitchen (django.tasks): the daily meal counts e-mail."""

from django.tasks import task


@task
def send_meal_counts():
    """Send each kitchen the days whose meal counts became definitive (idempotent)."""
    from .services import meal_counts_send

    return sum(len(days) for _kitchen, days in meal_counts_send())
