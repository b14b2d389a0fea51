"""Family side: the week's canteen menu of each child enrolled in the canteen, the
dishes holding one of the child's declared allergens flagged in words."""

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from espace_prive.access import family_required
from espace_prive.families.selectors import children_for_family, get_child_for_family

from .menus import InvalidWeek, child_menus, monday_of, parse_week, week_code

WEEK_PARAMETER = "semaine"


def _render(request, children, *, child=None):
    week_error = ""
    try:
        monday = parse_week(request.GET.get(WEEK_PARAMETER, ""))
    except InvalidWeek as error:
        week_error = str(error)
        monday = None
    menus = child_menus(children, monday) if monday else []
    context = {
        "child": child,
        "menus": menus,
        "week_error": week_error,
        "monday": monday,
    }
    if monday:
        week = datetime.timedelta(days=7)
        current = week_code(monday_of(timezone.localdate()))
        context.update(
            sunday=monday + datetime.timedelta(days=6),
            previous_code=week_code(monday - week),
            next_code=week_code(monday + week),
            current_code=current,
            is_current=week_code(monday) == current,
        )
    status = 400 if week_error else 200
    return render(request, "kitchen/menus.html", context, status=status)


@require_GET
@family_required
def family_menus(request):
    return _render(request, children_for_family(request.family))


@require_GET
@family_required
def child_menus_view(request, child_id):
    child = get_child_for_family(request.family, child_id)
    return _render(request, [child], child=child)
