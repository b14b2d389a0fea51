from django import template

from pages.models import MenusIndexPage

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    """The editable main navigation (site settings), then the "Espace famille" entry."""
    request = context.get("request")
    chrome = context.get("site_chrome")
    current_path = request.path if request else ""
    items = []
    for link in getattr(chrome, "navigation", []):
        current = link.href == current_path
        section = not current and link.href not in ("", "/") and current_path.startswith(link.href)
        items.append(
            {"label": link.label, "href": link.href, "current": current, "section": section}
        )
    return {"items": items, "request": request}


@register.simple_tag
def menus_week_url(menus_index, code):
    """URL of a week on the menus page (``menus_index`` may be a plain ``Page``)."""
    if menus_index is None:
        return ""
    return menus_index.url + MenusIndexPage.get_resolver().reverse("week", code)


@register.filter
def euros(value):
    """« 3,20 € » (French decimal comma, narrow no-break space before the sign)."""
    if value is None:
        return ""
    return f"{value:.2f}".replace(".", ",") + "\u00a0€"
