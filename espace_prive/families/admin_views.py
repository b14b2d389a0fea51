"""Staff side of the family file, in the Wagtail admin.

Families and children by public id; health data only with
``families.view_health_record``, and each look at it is logged.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive import rgpd
from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import content_download, download_filename, private_file_download

from . import editions, selectors, services
from . import permissions as perms
from .files import file_words, sheet_words
from .models import Family, HealthAccessLog
from .sections import (
    CHILD_SECTIONS,
    FAMILY_SECTIONS,
    GUARDIAN_SECTIONS,
    HEALTH_SECTIONS,
    display_current,
)


def _rows(section, instance):
    return [
        {"label": section.field_label(name), "value": display_current(instance, name)}
        for name in section.fields
        if name not in section.file_fields
    ]


class FamilyIndexView(AdminPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    permission = perms.VIEW_FAMILY
    template_name = "families/admin/index.html"
    page_title = "Familles"
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: PostgreSQL
        page = Paginator(selectors.staff_families(query=query), 50).get_page(
            self.request.GET.get("p")
        )
        context.update({"query": query, "page": page, "families": page.object_list})
        return context


class FamilyMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "group"

    def load(self, **kwargs):
        self.family = selectors.get_family(kwargs["family_id"])

    def family_breadcrumbs(self, *extra):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("families_admin:index"), "label": "Familles"},
            {
                "url": reverse("families_admin:family", args=[self.family.public_id])
                if extra
                else "",
                "label": self.family.reference,
            },
            *extra,
        ]


class FamilyView(FamilyMixin, TemplateView):
    permission = perms.VIEW_FAMILY
    template_name = "families/admin/family.html"

    def get_page_title(self):
        return f"Dossier famille {self.family.reference}"

    def get_breadcrumbs_items(self):
        return self.family_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        family = self.family
        user = self.request.user
        context.update(
            {
                "family": family,
                "family_sections": [(s.label, _rows(s, family)) for s in FAMILY_SECTIONS],
                "guardians": [
                    (g, [(s.label, _rows(s, g)) for s in GUARDIAN_SECTIONS])
                    for g in selectors.guardians_for_family(family)
                ],
                "children": selectors.children_for_family(family),
                "requests": family.change_requests.select_related("child", "guardian")[:20],
                "can_edit": user.has_perm(perms.CHANGE_FAMILY) and not family.is_anonymised,
                "can_anonymise": user.has_perm(perms.ANONYMISE_FAMILY)
                and family.left_on is not None
                and not family.is_anonymised,
                "today": timezone.localdate(),
            }
        )
        return context


class StaffFieldsForm(forms.ModelForm):
    class Meta:
        model = Family
        fields = list(services.STAFF_FIELDS)
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("qf_valid_from", "qf_valid_to", "sepa_mandate_signed_on", "left_on")
        }


class FamilyEditView(FamilyMixin, TemplateView):
    permission = perms.CHANGE_FAMILY
    template_name = "families/admin/family_edit.html"

    def get_page_title(self):
        return f"Informations gérées par le service — {self.family.reference}"

    def get_breadcrumbs_items(self):
        return self.family_breadcrumbs({"url": "", "label": "Informations du service"})

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or StaffFieldsForm(instance=self.family)
        context["family"] = self.family
        return context

    def post(self, request, family_id):
        form = StaffFieldsForm(request.POST, instance=Family.objects.get(pk=self.family.pk))
        if form.is_valid():
            try:
                services.family_update_staff_fields(
                    actor=request.user,
                    family=self.family,
                    **{name: form.cleaned_data[name] for name in services.STAFF_FIELDS},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Dossier mis à jour.")
                return redirect("families_admin:family", self.family.public_id)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class FamilyAnonymiseView(FamilyMixin, TemplateView):
    permission = perms.ANONYMISE_FAMILY
    template_name = "families/admin/anonymise.html"

    def get_page_title(self):
        return f"Anonymiser la famille {self.family.reference}"

    def get_breadcrumbs_items(self):
        return self.family_breadcrumbs({"url": "", "label": "Anonymiser"})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["family"] = self.family
        context["refusal"] = services.anonymise_refusal(self.family)
        return context

    def post(self, request, family_id):
        if request.POST.get("confirm") != self.family.reference:
            messages.error(request, "Recopiez la référence du dossier pour confirmer.")
            return redirect("families_admin:anonymise", self.family.public_id)
        try:
            rgpd.family_anonymise(actor=request.user, family=self.family, request=request)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("families_admin:family", self.family.public_id)
        messages.success(request, f"La famille {self.family.reference} a été anonymisée.")
        return redirect("families_admin:family", self.family.public_id)


class ChildMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "user"

    def load(self, **kwargs):
        self.child = selectors.get_child_for_staff(self.request.user, kwargs["child_id"])

    def child_breadcrumbs(self, *extra):
        child = self.child
        return [
            *self.breadcrumbs_items,
            {"url": reverse("families_admin:index"), "label": "Familles"},
            {
                "url": reverse("families_admin:family", args=[child.family.public_id]),
                "label": child.family.reference,
            },
            {
                "url": reverse("families_admin:child", args=[child.public_id]) if extra else "",
                "label": child.full_name,
            },
            *extra,
        ]


class ChildView(ChildMixin, TemplateView):
    permission = perms.VIEW_CHILD
    template_name = "families/admin/child.html"

    def get_page_title(self):
        return self.child.full_name

    def get_breadcrumbs_items(self):
        return self.child_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "child": self.child,
                "sections": [(s.label, _rows(s, self.child)) for s in CHILD_SECTIONS],
                "pickup_persons": self.child.pickup_persons.order_by("last_name"),
                "can_see_health": user.has_perm(perms.VIEW_HEALTH_RECORD),
                "can_see_accesses": user.has_perm(perms.VIEW_HEALTH_ACCESSES),
            }
        )
        return context


class ChildHealthView(ChildMixin, TemplateView):
    permission = perms.VIEW_HEALTH_RECORD
    template_name = "families/admin/child_health.html"

    def get_page_title(self):
        return f"Données sanitaires — {self.child.full_name}"

    def get_breadcrumbs_items(self):
        return self.child_breadcrumbs({"url": "", "label": "Données sanitaires"})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.health_access_log(
            actor=self.request.user, child=self.child, context=HealthAccessLog.Context.FILE
        )
        record = selectors.health_record_for_child(self.child)
        context.update(
            {
                "child": self.child,
                "record": record,
                "sections": [(s.label, _rows(s, record)) for s in HEALTH_SECTIONS],
            }
        )
        return context


class ChildHealthAccessesView(ChildMixin, TemplateView):
    permission = perms.VIEW_HEALTH_ACCESSES
    template_name = "families/admin/child_accesses.html"

    def get_page_title(self):
        return f"Accès aux données sanitaires — {self.child.full_name}"

    def get_breadcrumbs_items(self):
        return self.child_breadcrumbs({"url": "", "label": "Accès aux données sanitaires"})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.health_accesses_for_child(self.child), 100).get_page(
            self.request.GET.get("p")
        )
        context.update({"child": self.child, "page": page, "accesses": page.object_list})
        return context


class ChildPhotoView(AdminPermissionMixin, View):
    permission = perms.VIEW_CHILD

    def get(self, request, child_id):
        child = selectors.get_child_for_staff(request.user, child_id)
        words = file_words("photo", family=child.family, child=child)
        return private_file_download(child.photo.name, *words)


class ChildPaiDocumentView(AdminPermissionMixin, View):
    permission = perms.VIEW_HEALTH_RECORD

    def get(self, request, child_id):
        child = selectors.get_child_for_staff(request.user, child_id)
        record = selectors.health_record_for_child(child)
        services.health_access_log(
            actor=request.user, child=child, context=HealthAccessLog.Context.DOCUMENT
        )
        words = file_words("pai_document", family=child.family, child=child)
        return private_file_download(record.pai_document.name, *words)


class ChildSheetView(AdminPermissionMixin, View):
    permission = perms.VIEW_CHILD
    complete = False

    def has_permission(self, user):
        """The complete fiche holds health data: it needs that permission too."""
        return super().has_permission(user) and (
            not self.complete or user.has_perm(perms.VIEW_HEALTH_RECORD)
        )

    def get(self, request, child_id):
        child = selectors.get_child_for_staff(request.user, child_id)
        if self.complete:
            services.health_access_log(
                actor=request.user, child=child, context=HealthAccessLog.Context.PDF
            )
        pdf = editions.child_sheet_pdf(child=child, complete=self.complete)
        filename = download_filename(*sheet_words(child, complete=self.complete), extension="pdf")
        return content_download(pdf, filename)
