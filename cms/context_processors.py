from django.utils.functional import SimpleLazyObject


def portail(request):
    """What every public and private page shows: the town's name, the site's header and
    footer (``pages.selectors.site_chrome``), computed once per request and only when a
    template uses them."""
    from pages.selectors import site_chrome

    def chrome():
        if not hasattr(request, "_site_chrome"):
            request._site_chrome = site_chrome(request)
        return request._site_chrome

    return {
        "site_chrome": SimpleLazyObject(chrome),
        "town_name": SimpleLazyObject(lambda: chrome().town_name),
    }
