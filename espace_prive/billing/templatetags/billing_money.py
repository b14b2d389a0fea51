"""``{{ amount|euros }}``: an amount in the French way, « 1 234,50 € » (a narrow
no-break space between thousands, a comma, two decimals)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

CENT = Decimal("0.01")
THIN = "\u202f"  # between thousands
NBSP = "\u00a0"  # before the euro sign


def format_euros(amount):
    if amount in (None, ""):
        return ""
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    units, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}{THIN.join(groups)},{cents}{NBSP}€"


@register.filter
def euros(amount):
    return format_euros(amount)


@register.filter
def unit_price(amount):
    """A unit price: two decimals, or up to four when the grid has them (1,2345 €)."""
    if amount in (None, ""):
        return ""
    value = Decimal(amount).normalize()
    if value.as_tuple().exponent >= -2:
        return format_euros(value)
    return f"{value:f}".replace(".", ",") + f"{NBSP}€"
