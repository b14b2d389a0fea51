"""Every route of the site, read from the URL resolver, and a URL for each.

The walks over routes (isolation between families, no private response stored, the
downloads' names) enumerate them here, so that a route added later is walked too.
"""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter

# Routes with a section in their path: one that the route accepts.
SECTION_FOR_ROUTE = {
    "account_edit": "family_bank",
    "guardian_edit": "guardian_phones",
    "child_edit": "health_allergies",
}


@dataclass(frozen=True)
class Route:
    name: str  # namespaced ("espace_prive:families:child"); "" when the route has none
    path: str  # the pattern from the root, e.g. "espace-famille/enfants/<uuid:child_id>/"
    params: tuple
    converters: dict
    callback: object

    @property
    def module(self):
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        return (view_class or self.callback).__module__

    @property
    def short_name(self):
        return self.name.rsplit(":", 1)[-1]


def all_routes(resolver=None, namespace="", prefix=""):
    """Every route of the URL configuration, includes followed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from all_routes(entry, inner.strip(":"), prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(
                name=f"{namespace}:{entry.name}".strip(":") if entry.name else "",
                path=prefix + str(entry.pattern),
                params=tuple(entry.pattern.regex.groupindex),
                converters=dict(entry.pattern.converters),
                callback=entry.callback,
            )


def routes_of_modules(modules):
    """The routes whose views are defined in ``modules`` (module name prefixes)."""
    return [route for route in all_routes() if route.module.startswith(tuple(modules))]


def routes_under(prefixes):
    """The routes whose path starts with one of ``prefixes`` ("admin/", "api/v1/"…)."""
    return [route for route in all_routes() if route.path.startswith(tuple(prefixes))]


def _sample(route, param):
    converter = route.converters.get(param)
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "1"  # matches \d+, [^/.]+, slugs and strings


def route_kwargs(route, ids, *, strict=True):
    """Values for the route's parameters: ``ids`` by parameter name (a dict of values, or
    for API routes' ``public_id`` a dict by basename); otherwise a sample value of the
    right type unless ``strict``, which fails on a parameter nobody classified."""
    kwargs = {}
    for param in route.params:
        if param == "section_key" and route.short_name in SECTION_FOR_ROUTE:
            kwargs[param] = SECTION_FOR_ROUTE[route.short_name]
        elif param == "public_id" and route.name.startswith("api:"):
            kwargs[param] = ids["api"][route.short_name.split("-")[0]]
        elif param in ids:
            kwargs[param] = ids[param]
        elif strict:
            raise LookupError(f"Route {route.name} has a parameter {param!r} not known yet.")
        else:
            kwargs[param] = _sample(route, param)
    return kwargs


def url_of(route, ids=None, *, strict=True):
    """A URL that reaches ``route`` (checked with the resolver)."""
    if route.name:
        return reverse(route.name, kwargs=route_kwargs(route, ids or {}, strict=strict))
    # Unnamed: its pattern, read literally (a catch-all "^.*/$" becomes "x/").
    url = "/" + re.sub(r"\^|\$", "", route.path).replace(".*", "x")
    if route.params or resolve(url).func is not route.callback:
        raise LookupError(f"Unnamed route {route.path!r}: give it a name or a URL here.")
    return url
