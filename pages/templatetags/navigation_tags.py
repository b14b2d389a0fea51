from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    """Top-level pages marked "show in menus" under the current site's root."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    if site is not None:
        items = list(site.root_page.get_children().live().in_menu())
    current_path = request.path if request else ""
    return {"items": items, "request": request, "current_path": current_path}
