"""Showing messages: the text escaped, links made clickable only towards safe hosts;
the unread count of the navigation."""

import re
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from espace_prive.messaging import selectors

register = template.Library()

URL_PATTERN = re.compile(r"https://[^\s<>\"']+")
TRAILING = ".,;:!?)»"


def safe_link_hosts():
    hosts = {urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}
    hosts.update(settings.MESSAGING_SAFE_LINK_HOSTS)
    return {host.lower() for host in hosts if host}


def _is_safe(url, hosts):
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return (
        parts.scheme == "https"
        and not parts.username
        and any(host == safe or host.endswith("." + safe) for safe in hosts)
    )


@register.filter
def message_text(body):
    """The body as HTML: every character escaped, line breaks kept, and https links to
    the portal or a host of ``MESSAGING_SAFE_LINK_HOSTS`` made clickable."""
    hosts = safe_link_hosts()
    pieces = []
    position = 0
    for match in URL_PATTERN.finditer(body or ""):
        url = match.group(0).rstrip(TRAILING)
        end = match.start() + len(url)
        pieces.append(conditional_escape(body[position : match.start()]))
        if _is_safe(url, hosts):
            pieces.append(format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, url))
        else:
            pieces.append(conditional_escape(url))
        position = end
    pieces.append(conditional_escape((body or "")[position:]))
    html = "".join(str(piece) for piece in pieces)
    return mark_safe(html.replace("\n", "<br>"))  # noqa: S308 - every piece is escaped


@register.simple_tag(takes_context=True)
def unread_messages_count(context):
    """Unread messages of the signed-in guardian (0 off the family pages)."""
    request = context.get("request")
    family = getattr(request, "family", None)
    if family is None:
        return 0
    cached = getattr(request, "_unread_messages_count", None)
    if cached is None:
        cached = selectors.unread_count_for_family(family, request.user)
        request._unread_messages_count = cached
    return cached
