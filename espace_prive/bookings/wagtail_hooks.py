"""The bookings in the Wagtail admin: enrolment requests (from the queue « Demandes des
familles »), day lists, occupancy, a child's history; the calendar's reference data as
snippets (communes, school years, periods, units, capacities, closures, deadlines,
rules, absence reasons, school holidays)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from espace_prive.admin_access import PermissionMenuItem, grantable_permissions
from espace_prive.admin_snippets import SnippetViewSet

from . import admin_views, services
from .models import (
    WEEKDAY_FIELDS,
    AbsenceReason,
    ActivityUnit,
    Closure,
    Commune,
    DeadlineRule,
    Period,
    SchoolHoliday,
    SchoolYear,
    ServiceRules,
    UnitCapacity,
    UnitDay,
)
from .permissions import GRANTABLE, VIEW_BOOKING

admin_urlpatterns = [
    path("", admin_views.DayListView.as_view(), name="day"),
    path("occupation/", admin_views.OccupancyView.as_view(), name="occupancy"),
    path("inscription/<uuid:enrolment_id>/", admin_views.EnrolmentView.as_view(), name="enrolment"),
    path("enfant/<uuid:child_id>/", admin_views.ChildHistoryView.as_view(), name="history"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reservations/", include((admin_urlpatterns, "bookings_admin")))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PermissionMenuItem(
        "Réservations",
        reverse("bookings_admin:day"),
        name="reservations",
        icon_name="date",
        order=152,
        permission=VIEW_BOOKING,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Let administrators grant these in Wagtail's group editor."""
    return grantable_permissions(*GRANTABLE)


def _capacity_saved(request, instance):
    """A capacity was raised: give the new places to the waiting children."""
    if isinstance(instance, UnitCapacity):
        services.capacity_changed(actor=request.user, unit=instance.unit, site=instance.site)
    elif isinstance(instance, UnitDay):
        services.capacity_changed(
            actor=request.user, unit=instance.unit, site=instance.site, days=[instance.day]
        )


hooks.register("after_create_snippet", _capacity_saved)
hooks.register("after_edit_snippet", _capacity_saved)


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "home"
    menu_label = "Communes"
    list_display = ["name", "school_zone", "holiday_calendar"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("insee_code"), FieldPanel("school_zone")]),
        FieldPanel("holiday_calendar"),
        MultiFieldPanel(
            [FieldPanel("resident_postcodes"), FieldPanel("resident_places")],
            heading="Qui est résident (tarif de la commune)",
        ),
    ]


class SchoolYearViewSet(SnippetViewSet):
    model = SchoolYear
    icon = "date"
    menu_label = "Années scolaires"
    list_display = ["label", "commune", "starts_on", "ends_on"]
    list_filter = ["commune"]
    panels = [
        FieldPanel("commune"),
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
    ]


class PeriodViewSet(SnippetViewSet):
    model = Period
    icon = "calendar-alt"
    menu_label = "Périodes d'accueil"
    list_display = ["name", "service", "kind", "starts_on", "ends_on", "sold_as_session"]
    list_filter = ["service", "kind", "school_year"]
    panels = [
        FieldRowPanel([FieldPanel("service"), FieldPanel("school_year")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("sold_as_session"),
    ]


class ActivityUnitViewSet(SnippetViewSet):
    model = ActivityUnit
    icon = "time"
    menu_label = "Unités d'accueil"
    list_display = ["name", "service", "kind", "starts_at", "ends_at", "is_active"]
    list_filter = ["service", "kind", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("service"), FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("sites"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldRowPanel([FieldPanel("price_unit"), FieldPanel("billed_quantity")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(name) for name in WEEKDAY_FIELDS])],
            heading="Jours d'ouverture",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("in_school_weeks"),
                        FieldPanel("on_wednesdays"),
                        FieldPanel("in_holidays"),
                    ]
                )
            ],
            heading="Périodes",
        ),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]


class UnitCapacityViewSet(SnippetViewSet):
    model = UnitCapacity
    icon = "group"
    menu_label = "Capacités d'accueil"
    list_display = ["unit", "site", "places"]
    list_filter = ["unit__service", "site"]
    panels = [FieldRowPanel([FieldPanel("unit"), FieldPanel("site")]), FieldPanel("places")]


class UnitDayViewSet(SnippetViewSet):
    model = UnitDay
    icon = "group"
    menu_label = "Capacités par jour"
    list_display = ["day", "unit", "site", "places"]
    list_filter = ["unit__service", "site"]
    panels = [
        FieldRowPanel([FieldPanel("unit"), FieldPanel("site"), FieldPanel("day")]),
        FieldPanel("places"),
    ]

    def get_queryset(self, request):
        # The rows without a figure of their own only serve as the day's lock.
        return UnitDay.objects.filter(places__isnull=False).select_related("unit", "site")


class ClosureViewSet(SnippetViewSet):
    model = Closure
    icon = "cross"
    menu_label = "Fermetures exceptionnelles"
    list_display = ["reason", "first_day", "last_day", "commune", "service", "site"]
    list_filter = ["commune", "service"]
    panels = [
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("first_day"), FieldPanel("last_day")]),
        FieldPanel("commune"),
        FieldRowPanel([FieldPanel("service"), FieldPanel("site"), FieldPanel("unit")]),
    ]


class DeadlineRuleViewSet(SnippetViewSet):
    model = DeadlineRule
    icon = "time"
    menu_label = "Délais de réservation"
    list_display = ["name", "describe"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("days"), FieldPanel("working_days")]),
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("weeks_before")]),
        FieldPanel("at_time"),
    ]


class ServiceRulesViewSet(SnippetViewSet):
    model = ServiceRules
    icon = "cog"
    menu_label = "Règles de réservation"
    list_display = ["service", "booking_deadline", "cancel_deadline", "enrolments_open_on"]
    panels = [
        FieldPanel("service"),
        FieldRowPanel([FieldPanel("booking_deadline"), FieldPanel("cancel_deadline")]),
        FieldPanel("enrolments_open_on"),
    ]


class AbsenceReasonViewSet(SnippetViewSet):
    model = AbsenceReason
    icon = "warning"
    menu_label = "Motifs d'absence"
    list_display = ["label", "billable", "waived_with_certificate", "requires_details"]
    list_filter = ["is_active"]
    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("code")]),
        FieldRowPanel(
            [
                FieldPanel("billable"),
                FieldPanel("waived_with_certificate"),
                FieldPanel("certificate_delay_hours"),
            ]
        ),
        FieldPanel("requires_details"),
        FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
    ]


class SchoolHolidayViewSet(SnippetViewSet):
    model = SchoolHoliday
    icon = "date"
    menu_label = "Vacances scolaires"
    list_display = ["name", "school_year", "zone", "first_day_off", "last_day_off"]
    list_filter = ["zone", "school_year"]
    panels = [
        FieldRowPanel([FieldPanel("zone"), FieldPanel("school_year"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("first_day_off"), FieldPanel("last_day_off")]),
    ]


class BookingsReferenceGroup(SnippetViewSetGroup):
    items = (
        CommuneViewSet,
        SchoolYearViewSet,
        PeriodViewSet,
        ActivityUnitViewSet,
        UnitCapacityViewSet,
        UnitDayViewSet,
        ClosureViewSet,
        DeadlineRuleViewSet,
        ServiceRulesViewSet,
        AbsenceReasonViewSet,
        SchoolHolidayViewSet,
    )
    menu_icon = "date"
    menu_label = "Calendrier des services"
    menu_name = "calendrier-services"
    menu_order = 153


register_snippet(BookingsReferenceGroup)
