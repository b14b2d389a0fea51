"""Fast entry of the canteen menus: copy a week, or import a CSV with a preview."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from espace_prive.admin_access import AdminPermissionMixin

from .admin_forms import MenuCopyForm, MenuImportConfirmForm, MenuImportForm, default_copy_week
from .models import MenusIndexPage, MenuWeekPage
from .selectors import existing_menu_weeks
from .services import decode_csv, menu_csv_import, menu_csv_parse, menu_week_copy


def can_enter_menus(user):
    return any(
        index.permissions_for_user(user).can_add_subpage() for index in MenusIndexPage.objects.all()
    )


class MenusAdminMixin(AdminPermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "form"

    def has_permission(self, user):
        return can_enter_menus(user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("pages_menus_copy"), "label": "Menus : saisie rapide"},
            {"url": "", "label": self.get_page_title()},
        ]


class MenuCopyView(MenusAdminMixin, FormView):
    page_title = "Copier une semaine de menus"
    template_name = "pages/admin/menus_copy.html"
    form_class = MenuCopyForm

    def get_initial(self):
        source = MenuWeekPage.objects.filter(pk=self.request.GET.get("source") or 0).first()
        if source is None:
            source = MenuWeekPage.objects.order_by("-week_start").first()
        if source is None:
            return {}
        return {
            "source": source.pk,
            "week": default_copy_week(source),
            "menu_group": source.menu_group_id,
        }

    def form_valid(self, form):
        try:
            page = menu_week_copy(
                source=form.cleaned_data["source"],
                week_start=form.cleaned_data["week"],
                menu_group=form.cleaned_data.get("menu_group"),
                actor=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"« {page.title} » a été créée en brouillon : vérifiez-la puis publiez-la.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)


class MenuImportView(MenusAdminMixin, FormView):
    page_title = "Importer des menus (CSV)"
    template_name = "pages/admin/menus_import.html"
    form_class = MenuImportForm

    def post(self, request, *args, **kwargs):
        if "csv_text" in request.POST:
            return self.confirm(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        text = decode_csv(form.cleaned_data["file"].read())
        preview = menu_csv_parse(text)
        confirm_form = MenuImportConfirmForm(
            initial={
                "index": form.cleaned_data["index"].pk,
                "menu_group": getattr(form.cleaned_data.get("menu_group"), "pk", None),
                "csv_text": text,
            },
            user=self.request.user,
        )
        for name in confirm_form.fields:
            confirm_form.fields[name].widget = confirm_form.fields[name].hidden_widget()
        existing = existing_menu_weeks(
            preview.weeks, menu_group=form.cleaned_data.get("menu_group")
        )
        return self.render_to_response(
            self.get_context_data(
                form=form, preview=preview, confirm_form=confirm_form, existing_weeks=existing
            )
        )

    def confirm(self, request):
        form = MenuImportConfirmForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "L'import a échoué : recommencez depuis le fichier.")
            return redirect("pages_menus_import")
        preview = menu_csv_parse(form.cleaned_data["csv_text"])
        try:
            results = menu_csv_import(
                preview=preview,
                index=form.cleaned_data["index"],
                menu_group=form.cleaned_data.get("menu_group"),
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("pages_menus_import")
        created = sum(1 for _page, is_new in results if is_new)
        messages.success(
            request,
            f"{len(results)} semaine(s) importée(s) en brouillon ({created} nouvelle(s)) : "
            "vérifiez-les puis publiez-les.",
        )
        return redirect("wagtailadmin_explore", form.cleaned_data["index"].pk)
