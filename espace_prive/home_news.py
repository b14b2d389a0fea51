"""Personalised news on the family home, without the private area importing ``pages``.

The public site registers a provider (``pages.apps``): a function that takes the ids of
the family's sites (its children's schools) and services and returns the news to show,
targeted first. With no provider registered (a project without the public site), the
home simply shows no news.
"""

_providers = []


def register_news_provider(provider):
    """``provider(*, site_ids, service_ids, limit)`` → a list of news for templates."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def news_for_family(family, children, *, service_ids=(), limit=4):
    """The news for ``family``: ``children`` its children (their schools), ``service_ids``
    the services they are enrolled in (accepted enrolments, school years not over)."""
    site_ids = sorted({child.school_id for child in children if child.school_id})
    service_ids = sorted(set(service_ids))
    news = []
    for provider in _providers:
        news.extend(provider(site_ids=site_ids, service_ids=service_ids, limit=limit - len(news)))
        if len(news) >= limit:
            break
    return news[:limit]
