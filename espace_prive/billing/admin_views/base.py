"""What every billing admin view shares: the permission first (``AdminPermissionMixin``),
Wagtail's page frame, the billing navigation, French messages from a service's
``ValidationError``, and pagination."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.accounts.security import request_origin
from espace_prive.admin_access import AdminPermissionMixin

from .. import permissions


class BillingAdminMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "form"
    nav = ""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "nav": self.nav,
                "can_run": user.has_perm(permissions.RUN_BILLING),
                "can_record": user.has_perm(permissions.RECORD_PAYMENT),
                "can_view_invoices": user.has_perm(permissions.VIEW_INVOICE),
                "can_view_payments": user.has_perm(permissions.VIEW_PAYMENT),
                "can_view_journal": user.has_perm(permissions.VIEW_JOURNAL),
            }
        )
        return context

    def origin(self):
        return request_origin(self.request)


def error_messages(request, error):
    """A service's French refusal as admin messages (field errors flattened)."""
    for text in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, text)


def form_errors_from(form, error):
    """Put a service's ValidationError on the form (by field when it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def paginate(request, queryset, per_page):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def get_or_404(queryset_or_callable, public_id, message):
    try:
        if callable(queryset_or_callable):
            return queryset_or_callable(public_id)
        return queryset_or_callable.get(public_id=public_id)
    except (ObjectDoesNotExist, ValidationError, ValueError) as error:
        raise Http404(message) from error
