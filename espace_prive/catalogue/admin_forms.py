"""Forms of the staff admin for the catalogue (used by wagtail_hooks)."""

from django.core.exceptions import ValidationError

from espace_prive.form_fields import LocalizedDecimalsAdminForm

from .services import (
    grid_date_error,
    price_error,
    quotient_error,
    tariff_bands_validate,
    tariff_grid_period_validate,
)


class TariffGridForm(LocalizedDecimalsAdminForm):
    """Refuse overlapping periods, QF bands that leave a gap or overlap, implausible
    dates and amounts; prices are typed with a comma (« 3,20 »)."""

    def clean(self):
        cleaned_data = super().clean()
        for name in ("valid_from", "valid_until"):
            if message := grid_date_error(cleaned_data.get(name)):
                self.add_error(name, message)
        for name in ("non_resident_price", "no_qf_price"):
            if message := price_error(cleaned_data.get(name)):
                self.add_error(name, message)
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
            live = [
                form
                for form in bands.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            ranges = [
                (form.cleaned_data["qf_min"], form.cleaned_data.get("qf_max")) for form in live
            ]
            plausible = True
            for form in live:
                for name, check in (
                    ("qf_min", quotient_error),
                    ("qf_max", quotient_error),
                    ("price", price_error),
                ):
                    if message := check(form.cleaned_data.get(name)):
                        form.add_error(name, message)
                        plausible = False
            if not plausible:
                self.add_error(None, "Une tranche de QF contient une valeur impossible.")
            try:
                tariff_bands_validate(ranges)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data
