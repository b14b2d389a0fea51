"""Query helpers shared by the page models and the selectors (imports no page model)."""

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction


def without_restricted(pages):
    """``pages`` minus those under a view restriction (login, password, groups).

    Same rule as Wagtail's ``PageQuerySet.public()`` but as a subquery of the same SQL
    statement, where ``public()`` runs one more query to list the restrictions.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.filter(~Exists(restricted))


def with_card_image(queryset):
    """News with the image of their card and its renditions (one query more)."""
    return queryset.select_related("image").prefetch_related("image__renditions")


def search_terms(text):
    """``text`` without double quotes: plain words for every search backend.

    Quotes mean nothing to a plain-text search, and SQLite's full-text search (the
    demo's database) fails on an unbalanced one.
    """
    return " ".join(text.replace('"', " ").split())
