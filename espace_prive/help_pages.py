"""Help pages of the public site that private pages link to (the tutorial « Réserver et
annuler » from the agenda), without the private area importing ``pages``.

The public site registers a provider (``pages.apps``): a function that takes a slug and
the request and returns ``(title, url)`` of the live tutorial of that slug, or None.
With no provider, or no such page published by the town, the link is simply not shown.
"""

BOOKING_TUTORIAL = "reserver-et-annuler"

_providers = []


def register_help_provider(provider):
    """``provider(slug, request)`` → ``(title, url)`` or None."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def help_page(slug, request):
    """``{"title": …, "url": …}`` of the published help page ``slug``, or None."""
    for provider in _providers:
        found = provider(slug, request)
        if found is not None:
            title, url = found
            return {"title": title, "url": url}
    return None
