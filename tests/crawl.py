"""Follow every internal link from a start page, bounded (issue 9.9).

Generic on purpose: a new page linked from the site or the espace famille is walked
without a line of test. Links are ``<a href>``; a same-page fragment (``#horaires``) must
name an element of the page; redirects are followed as links.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

INTERNAL_HOSTS = {"", "testserver", "localhost"}
# Never followed: the admin (its own walks), static files, leaving the session.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/django-admin/")
SKIPPED_WORDS = ("deconnexion", "logout")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"\d+")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"].strip())


def shape(url):
    """The route a URL stands for: ids, numbers and query values blanked, so that a week
    picker or a list of children is walked a few times, not forever."""
    parts = urlsplit(url)
    path = _NUMBER.sub("N", _UUID.sub("U", parts.path))
    keys = sorted(pair.split("=")[0] for pair in parts.query.split("&") if pair)
    return path + "?" + "&".join(keys)


@dataclass
class Crawl:
    visited: dict = field(default_factory=dict)  # url -> status
    broken: list = field(default_factory=list)  # (url, status, found on)

    def statuses(self):
        return set(self.visited.values())


def crawl(client, start, *, expand=lambda path: True, limit=400, per_shape=3):
    """Visit ``start`` and every internal link found, breadth first; pages whose path
    ``expand`` accepts have their own links followed. Returns a ``Crawl``."""
    result = Crawl()
    queue = [(start, "(départ)")]
    seen_shapes = {}
    queued = {start}
    while queue and len(result.visited) < limit:
        url, origin = queue.pop(0)
        response = client.get(url)
        result.visited[url] = response.status_code
        if response.status_code >= 400:
            result.broken.append((url, response.status_code, origin))
            continue
        found = []
        if response.status_code in (301, 302, 303, 307, 308):
            found.append(response["Location"])
        elif "text/html" in response.get("Content-Type", "") and expand(urlsplit(url).path):
            parser = _Links()
            parser.feed(response.content.decode())
            for href in parser.hrefs:
                if href.startswith("#"):
                    if href[1:] and href[1:] not in parser.ids:
                        result.broken.append((url + href, "ancre absente", url))
                    continue
                found.append(href)
        for href in found:
            target, _fragment = urldefrag(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("", "http", "https") or parts.netloc not in INTERNAL_HOSTS:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local in queued or local.startswith(SKIPPED_PREFIXES):
                continue
            if any(word in parts.path for word in SKIPPED_WORDS):
                continue
            key = shape(local)
            if seen_shapes.get(key, 0) >= per_shape:
                continue
            seen_shapes[key] = seen_shapes.get(key, 0) + 1
            queued.add(local)
            queue.append((local, url))
    return result
