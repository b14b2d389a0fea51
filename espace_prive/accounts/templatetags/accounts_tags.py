from django import template

from ..session_state import BACK_OFFICE_KEY, session_has_second_factor

register = template.Library()


@register.simple_tag(takes_context=True)
def second_factor_enabled(context):
    """Whether the signed-in user enrolled a second factor (kept in the session)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return session_has_second_factor(request)


@register.simple_tag(takes_context=True)
def back_office_userbar(context, position="bottom-right"):
    """Wagtail's userbar, skipped without a query for a session known not to be the back
    office's (the fact kept at sign-in): Wagtail's own check reads the user's and the
    groups' permissions (two queries) on every page a family loads."""
    from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    known_not = getattr(request, "session", {}).get(BACK_OFFICE_KEY) is False
    if known_not and not (user.is_staff or user.is_superuser):
        return ""
    return wagtailuserbar(context, position)
