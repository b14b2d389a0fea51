"""Staff side of the bookings, in the Wagtail admin: an enrolment request (listed in the
queue « Demandes des familles ») with the missing documents and the decision; the list
of booked and waiting children of a service, site and day; the occupancy over a month;
the bookings history of a child."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.catalogue.models import Service, Site
from espace_prive.families.models import Child

from . import selectors, services
from .models import ActivityUnit, Enrolment
from .permissions import BOOK_FOR_FAMILY, DECIDE_ENROLMENT, VIEW_BOOKING, VIEW_ENROLMENT


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il est envoyé à la famille.",
        max_length=2000,
    )


class EnrolmentView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = VIEW_ENROLMENT
    template_name = "bookings/admin/enrolment.html"
    header_icon = "tasks"

    def load(self, enrolment_id):
        try:
            self.enrolment = Enrolment.objects.select_related(
                *selectors.ENROLMENT_RELATED, "child__family", "requested_by"
            ).get(public_id=enrolment_id)
        except (Enrolment.DoesNotExist, ValidationError) as error:
            raise Http404("Inscription introuvable.") from error

    def get_page_title(self):
        return f"Inscription : {self.enrolment.service}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("demandes_admin:index"), "label": "Demandes des familles"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, refuse_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment = self.enrolment
        context.update(
            {
                "enrolment": enrolment,
                "missing": selectors.missing_documents_for_enrolment(enrolment),
                "can_decide": enrolment.is_pending and self.request.user.has_perm(DECIDE_ENROLMENT),
                "refuse_form": refuse_form or RefuseForm(),
            }
        )
        return context

    def post(self, request, enrolment_id):
        if not request.user.has_perm(DECIDE_ENROLMENT):
            return permission_denied(request)
        action = request.POST.get("action")
        try:
            if action == "accepter":
                services.enrolment_accept(actor=request.user, enrolment=self.enrolment)
                messages.success(request, "Inscription acceptée ; la famille est prévenue.")
            elif action == "refuser":
                form = RefuseForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(refuse_form=form), status=400
                    )
                services.enrolment_refuse(
                    actor=request.user,
                    enrolment=self.enrolment,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, "Inscription refusée ; la famille est prévenue.")
            else:
                messages.error(request, "Choisissez d'accepter ou de refuser l'inscription.")
                return redirect("bookings_admin:enrolment", self.enrolment.public_id)
        except (services.EnrolmentAlreadyDecided, PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return redirect("bookings_admin:enrolment", self.enrolment.public_id)
        return redirect("demandes_admin:index")


class DayForm(forms.Form):
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.all())
    site = forms.ModelChoiceField(label="Site", queryset=Site.objects.filter(is_active=True))
    day = forms.DateField(
        label="Jour", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MonthForm(forms.Form):
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.all())
    site = forms.ModelChoiceField(label="Site", queryset=Site.objects.filter(is_active=True))
    month = forms.DateField(
        label="Mois",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class BookingsAdminMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    permission = VIEW_BOOKING
    header_icon = "date"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class DayListView(BookingsAdminMixin, TemplateView):
    template_name = "bookings/admin/day.html"
    page_title = "Réservations du jour"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET or None
        form = DayForm(data, initial={"day": timezone.localdate()})
        lists = []
        if form.is_valid():
            service, site = form.cleaned_data["service"], form.cleaned_data["site"]
            day = form.cleaned_data["day"]
            for unit in ActivityUnit.objects.filter(service=service, sites=site):
                booked, waiting = selectors.day_list(unit, site, day)
                lists.append(
                    {
                        "unit": unit,
                        "booked": booked,
                        "waiting": waiting,
                        "places": selectors.places_on(unit, site, day),
                    }
                )
        context.update(
            {
                "form": form,
                "lists": lists,
                "can_promote": self.request.user.has_perm(BOOK_FOR_FAMILY),
            }
        )
        return context

    def post(self, request):
        """Staff give the free places of a day to the waiting children."""
        if not request.user.has_perm(BOOK_FOR_FAMILY):
            return permission_denied(request)
        try:
            unit = ActivityUnit.objects.get(public_id=request.POST.get("unit"))
            site = Site.objects.get(public_id=request.POST.get("site"))
            day = datetime.date.fromisoformat(request.POST.get("day", ""))
        except (ActivityUnit.DoesNotExist, Site.DoesNotExist, ValidationError, ValueError):
            messages.error(request, "Jour, site ou unité invalide.")
            return redirect("bookings_admin:day")
        promoted = services.waiting_list_promote(actor=request.user, unit=unit, site=site, day=day)
        messages.success(
            request,
            f"{len(promoted)} enfant{'s' if len(promoted) > 1 else ''} de la liste d'attente "
            f"{'ont' if len(promoted) > 1 else 'a'} obtenu une place.",
        )
        query = f"?service={unit.service_id}&site={site.pk}&day={day.isoformat()}"
        return redirect(reverse("bookings_admin:day") + query)


class OccupancyView(BookingsAdminMixin, TemplateView):
    template_name = "bookings/admin/occupancy.html"
    page_title = "Occupation sur un mois"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET or None
        form = MonthForm(data, initial={"month": timezone.localdate().replace(day=1)})
        rows = []
        if form.is_valid():
            month = form.cleaned_data["month"]
            rows = selectors.occupancy(
                form.cleaned_data["service"], form.cleaned_data["site"], month.year, month.month
            )
        context.update({"form": form, "rows": rows})
        return context


class ChildHistoryView(BookingsAdminMixin, TemplateView):
    template_name = "bookings/admin/history.html"
    paginate_by = 200

    def load(self, child_id):
        try:
            self.child = Child.objects.select_related("family").get(public_id=child_id)
        except (Child.DoesNotExist, ValidationError) as error:
            raise Http404("Enfant introuvable.") from error

    def get_page_title(self):
        return f"Historique des réservations de {self.child.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "child": self.child,
                "events": list(selectors.booking_history(self.child)[: self.paginate_by]),
                "enrolments": list(selectors.enrolments_for_child(self.child)),
            }
        )
        return context
