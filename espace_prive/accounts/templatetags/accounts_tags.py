from django import template

from ..session_state import session_has_second_factor

register = template.Library()


@register.simple_tag(takes_context=True)
def second_factor_enabled(context):
    """Whether the signed-in user enrolled a second factor (kept in the session)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return session_has_second_factor(request)
