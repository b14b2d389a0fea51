"""Staff side of the kitchen, in the Wagtail admin: the meal counts (page, CSV, PDF) and
the occupancy dashboard (page, CSV). Each checks its permission before anything else."""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import content_download, download_filename

from . import exports, occupancy
from .forms import MealCountsForm, MonthForm
from .meals import meal_counts
from .permissions import VIEW_MEAL_COUNTS, VIEW_OCCUPANCY


class KitchenAdminMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "list-ul"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class MealCountsView(KitchenAdminMixin, TemplateView):
    permission = VIEW_MEAL_COUNTS
    template_name = "kitchen/admin/meal_counts.html"
    page_title = "Effectifs des repas"

    def _counts(self, form):
        start, end, kitchen = form.period()
        sites = [link.site_id for link in kitchen.served_sites.all()] if kitchen else None
        return meal_counts(start, end, sites=sites)

    def get(self, request, *args, **kwargs):
        form = MealCountsForm(request.GET)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        counts = self._counts(form)
        export = kwargs.get("export")
        if export == "csv":
            name = download_filename("effectifs repas", counts.start.isoformat(), extension="csv")
            return content_download(
                exports.meal_counts_csv(counts), name, content_type="text/csv; charset=utf-8"
            )
        if export == "pdf":
            name = download_filename("effectifs repas", counts.start.isoformat(), extension="pdf")
            return content_download(exports.meal_counts_pdf(counts), name)
        return self.render_to_response(self.get_context_data(form=form, counts=counts))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        context.update(
            csv_url=reverse("kitchen_admin:meals_csv") + suffix,
            pdf_url=reverse("kitchen_admin:meals_pdf") + suffix,
        )
        return context


class OccupancyDashboardView(KitchenAdminMixin, TemplateView):
    permission = VIEW_OCCUPANCY
    template_name = "kitchen/admin/occupancy.html"
    page_title = "Fréquentation des services"
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        form = MonthForm(request.GET)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        month = form.chosen_month()
        dashboard = occupancy.dashboard(month.year, month.month)
        if kwargs.get("export") == "csv":
            name = download_filename("frequentation", f"{month:%Y-%m}", extension="csv")
            return content_download(
                occupancy.dashboard_csv(dashboard), name, content_type="text/csv; charset=utf-8"
            )
        query = request.GET.urlencode()
        return self.render_to_response(
            self.get_context_data(
                form=form,
                dashboard=dashboard,
                csv_url=reverse("kitchen_admin:occupancy_csv") + (f"?{query}" if query else ""),
            )
        )
