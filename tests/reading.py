"""A response as a person reads it, for plain ``in`` assertions on pages."""

import html


def text(response):
    """The page's HTML with entities decoded (``&#x27;`` → ``'``, ``&amp;`` → ``&``)."""
    return html.unescape(response.content.decode())
