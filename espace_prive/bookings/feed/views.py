"""The agenda of a family as an iCal feed: the family's page that gives (and renews)
its secret address, and the feed itself, read by calendar applications without a
session (the token in the address is the only key)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from espace_prive.access import family_required
from espace_prive.town import town_name

from .. import ical, selectors, services


@require_http_methods(["GET", "POST"])
@family_required
def calendar_feed_settings(request):
    """Show the family's agenda address; POST gives a new one (the old one stops)."""
    if request.method == "POST":
        try:
            services.calendar_feed_renew(actor=request.user, family=request.family)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Mettez-la à jour "
                "dans votre application d'agenda.",
            )
        return redirect("espace_prive:calendar_feed:settings")
    feed = selectors.calendar_feed_for_family(request.family)
    return render(
        request,
        "bookings/calendar_feed.html",
        {"feed": feed, "feed_url": ical.feed_url(feed) if feed else ""},
    )


@require_GET
def calendar_feed(request, token):
    """The feed (text/calendar); an unknown or renewed token is 404."""
    family = selectors.family_for_feed_token(token)
    bookings = selectors.bookings_for_feed(family)
    # Events keep their identity (UID) whatever host the feed is read through.
    domain = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "portail-famille"
    text = ical.family_calendar(bookings, name=f"Réservations — {town_name()}", domain=domain)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
