"""Staff side of the attendance, in the Wagtail admin: the sites and units of a day,
the daily list of a unit (expected children with photo, class, health alerts for those
allowed, who may pick them up, the waiting list; as a page and a PDF), the tablet
register (one tap per child, saved at once) and its closing and reopening.

Every URL names its site: ``selectors.get_site_for_staff`` answers 404 for a site the
agent is not assigned to, before anything else is read.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import content_download, download_filename, private_file_download
from espace_prive.families.models import HealthAccessLog
from espace_prive.families.services import health_access_log_many

from . import editions, selectors, services
from .models import MarkState
from .permissions import REOPEN_REGISTER, TAKE_ATTENDANCE, VIEW_HEALTH_RECORD, VIEW_REGISTER


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise Http404("Jour invalide.") from error


class DayForm(forms.Form):
    day = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AttendanceMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    permission = VIEW_REGISTER
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("attendance_admin:index"), "label": "Listes du jour"},
            {"url": "", "label": self.get_page_title()},
        ]


class IndexView(AttendanceMixin, TemplateView):
    """The agent's sites and, for each, the units of the day with their register."""

    template_name = "attendance/admin/index.html"
    page_title = "Listes du jour et pointage"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DayForm(self.request.GET or None, initial={"day": timezone.localdate()})
        day = form.cleaned_data["day"] if form.is_valid() else timezone.localdate()
        sites = []
        for site in selectors.sites_for_staff(self.request.user):
            registers = selectors.registers_of_day(site, day)
            units = [(unit, registers.get(unit.pk)) for unit in selectors.units_for_site(site, day)]
            sites.append({"site": site, "units": units})
        context.update({"form": form, "day": day, "sites": sites})
        return context


class SheetMixin(AttendanceMixin):
    """A view of one site, unit and day (404 for a site the agent may not see)."""

    def load(self, site_id, day, unit_id):
        self.site = selectors.get_site_for_staff(self.request.user, site_id)
        self.day = parse_day(day)
        self.unit = selectors.get_unit_for_site(self.site, unit_id)

    @property
    def where(self):
        return {"site": self.site, "unit": self.unit, "day": self.day}

    def url(self, name):
        return reverse(
            f"attendance_admin:{name}",
            args=[self.site.public_id, self.day.isoformat(), self.unit.public_id],
        )

    def get_page_title(self):
        return f"{self.site.name} — {self.unit.name} — {self.day:%d/%m/%Y}"

    def sheet(self):
        """The sheet; health alerts only for holders of the health permission, and each
        child whose alerts are shown is logged in the family file's access log."""
        user = self.request.user
        with_health = user.has_perm(VIEW_HEALTH_RECORD)
        sheet = selectors.register_sheet(self.site, self.unit, self.day, with_health=with_health)
        if with_health:
            health_access_log_many(
                actor=user,
                children=sheet.health_children(),
                context=HealthAccessLog.Context.DAY_LIST,
            )
        return sheet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        sheet = self.sheet()
        context.update(
            {
                "sheet": sheet,
                "counts": sheet.counts(),
                "can_take": user.has_perm(TAKE_ATTENDANCE),
                "can_reopen": user.has_perm(REOPEN_REGISTER),
                "urls": {
                    name: self.url(name)
                    for name in ("list", "pdf", "tablet", "tap", "close", "reopen")
                },
                "now": timezone.localtime(),
                "MarkState": MarkState,
            }
        )
        return context


class DayListView(SheetMixin, TemplateView):
    template_name = "attendance/admin/list.html"


class DayListPdfView(SheetMixin, View):
    def get(self, request, **kwargs):
        pdf = editions.day_list_pdf(self.sheet())
        words = ("liste", self.site.name, self.unit.name, self.day.isoformat())
        return content_download(pdf, download_filename(*words, extension="pdf"))


class TabletView(SheetMixin, TemplateView):
    permission = TAKE_ATTENDANCE
    template_name = "attendance/admin/tablet.html"


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _refusal_text(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class TapView(SheetMixin, View):
    """One tap: présent, absent, départ, or a child added on the spot. A script gets
    JSON (the new state, or the French refusal with a 400); a form, a redirect."""

    permission = TAKE_ATTENDANCE

    def post(self, request, **kwargs):
        data = request.POST
        action = data.get("action", "")
        try:
            child = selectors.get_child_at_site(self.site, data.get("child", ""))
        except Http404:
            error = ValidationError({"child": ["Enfant introuvable à ce site."]})
            return self.refuse(request, error)
        try:
            mark = services.attendance_record(
                actor=request.user,
                child=child,
                action=action,
                at=data.get("at") or None,
                who=data.get("who", ""),
                pickup_name=data.get("pickup_name", ""),
                pickup_reason=data.get("pickup_reason", ""),
                **self.where,
            )
        except (ValidationError, PermissionDenied) as error:
            return self.refuse(request, error)
        if _wants_json(request):
            return JsonResponse(
                {
                    "child": str(child.public_id),
                    "state": mark.state,
                    "label": mark.describe(),
                    "unbooked": mark.unbooked,
                }
            )
        messages.success(request, f"{child.full_name} : {mark.describe()}.")
        return redirect(self.url("tablet") + f"#enfant-{child.public_id}")

    def refuse(self, request, error):
        text = _refusal_text(error)
        if _wants_json(request):
            return JsonResponse({"error": {"message": text}}, status=400)
        messages.error(request, text)
        return redirect(self.url("tablet"))


class CloseView(SheetMixin, View):
    permission = TAKE_ATTENDANCE

    def post(self, request, **kwargs):
        try:
            services.register_close(actor=request.user, **self.where)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(request, "Registre clos : il ne peut plus être modifié.")
        return redirect(self.url("list"))


class ReopenView(SheetMixin, View):
    permission = REOPEN_REGISTER

    def post(self, request, **kwargs):
        register = selectors.register_for(self.site, self.unit, self.day)
        if register is None:
            raise Http404("Aucun registre ce jour.")
        try:
            services.register_reopen(
                actor=request.user, register=register, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(request, "Registre rouvert ; la réouverture est enregistrée.")
        return redirect(self.url("list"))


class ChildPhotoView(AdminPermissionMixin, View):
    """A child's photo on the lists of the agent's sites only."""

    permission = VIEW_REGISTER

    def get(self, request, child_id):
        child = selectors.child_seen_by_staff(request.user, child_id)
        return private_file_download(child.photo.name, "photo", child.full_name)
