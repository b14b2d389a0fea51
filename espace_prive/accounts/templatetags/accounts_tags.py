from django import template

from ..selectors import user_has_second_factor

register = template.Library()


@register.filter
def has_second_factor(user):
    return user_has_second_factor(user)
