"""The fiscal section: the year of the income is a past year, amounts typed the French way."""

import pytest
from django.utils import timezone

from espace_prive.families.forms import section_form_class

pytestmark = pytest.mark.django_db


def fiscal_form(family, **changes):
    data = {
        "tax_number": "1234567890123",
        "tax_year": str(timezone.localdate().year - 1),
        "reference_tax_income": "32 450,50",
        "tax_shares": "2,5",
        **changes,
    }
    return section_form_class("family_fiscal")(data=data, instance=family)


def test_last_year_s_income_and_french_amounts_are_accepted(family_a):
    form = fiscal_form(family_a.family)
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["reference_tax_income"]) == "32450.50"
    assert str(form.cleaned_data["tax_shares"]) == "2.5"


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, "ne peut pas être dans le futur"), (40, "ne peut pas être dans le futur")],
)
def test_a_tax_year_in_the_future_is_refused(family_a, offset, message):
    form = fiscal_form(family_a.family, tax_year=str(timezone.localdate().year + offset))
    assert not form.is_valid()
    assert message in form.errors["tax_year"][0]


def test_a_tax_year_decades_ago_is_refused(family_a):
    form = fiscal_form(family_a.family, tax_year="1987")
    assert not form.is_valid()
    assert "dernier avis d'impôt" in form.errors["tax_year"][0]
