"""Forms of the staff admin for the catalogue (used by wagtail_hooks)."""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from .services import tariff_bands_validate, tariff_grid_period_validate


class TariffGridForm(WagtailAdminModelForm):
    """Refuse overlapping periods and QF bands that leave a gap or overlap."""

    def clean(self):
        cleaned_data = super().clean()
        service = cleaned_data.get("service")
        valid_from = cleaned_data.get("valid_from")
        valid_until = cleaned_data.get("valid_until")
        if service and valid_from and valid_until:
            try:
                tariff_grid_period_validate(
                    service=service,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    exclude_pk=self.instance.pk,
                )
            except ValidationError as error:
                self.add_error(None, error)
        bands = self.formsets.get("bands")
        if bands is not None and bands.is_valid():
            ranges = [
                (form.cleaned_data["qf_min"], form.cleaned_data.get("qf_max"))
                for form in bands.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            try:
                tariff_bands_validate(ranges)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data
