import pytest
from django.core.exceptions import ValidationError

from espace_prive.families.validators import (
    format_iban,
    normalize_iban,
    validate_bic,
    validate_iban,
    validate_tax_number,
)


@pytest.mark.parametrize(
    "iban",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "fr7630006000011234567890189",
        "FR14 2004 1010 0505 0001 3M02 606",
        "DE89 3704 0044 0532 0130 00",
        "BE68 5390 0754 7034",
    ],
)
def test_valid_ibans_pass_the_mod_97_check(iban):
    validate_iban(iban)


@pytest.mark.parametrize(
    ("iban", "code", "words"),
    [
        ("FR76 3000 6000 0112 3456 7890 188", "iban_checksum", "clé de contrôle"),
        ("FR77 3000 6000 0112 3456 7890 189", "iban_checksum", "clé de contrôle"),
        ("FR76 3000 6000 0112 3456 7890 18", "iban_length", "27 caractères"),
        ("7630 0060 0001 1234 5678 9018 9", "iban_format", "code du pays"),
        ("FR76-3000-6000-0112-3456-7890-18!", "iban_format", "code du pays"),
    ],
)
def test_invalid_ibans_are_refused_in_french(iban, code, words):
    with pytest.raises(ValidationError) as caught:
        validate_iban(iban)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


def test_iban_is_normalised_and_grouped_for_display():
    assert normalize_iban(" fr76 3000-6000 ") == "FR7630006000"
    assert format_iban("FR7630006000011234567890189") == "FR76 3000 6000 0112 3456 7890 189"


@pytest.mark.parametrize("bic", ["AGRIFRPP", "AGRIFRPPXXX", "bnpafrpp"])
def test_valid_bics(bic):
    validate_bic(bic)


@pytest.mark.parametrize("bic", ["AGRIFRP", "AGRI FR PP X", "1GRIFRPPXXX"])
def test_invalid_bics_are_refused(bic):
    with pytest.raises(ValidationError, match="8 ou 11"):
        validate_bic(bic)


def test_tax_number_has_13_digits():
    validate_tax_number("1234 5678 90123")
    with pytest.raises(ValidationError, match="13 chiffres"):
        validate_tax_number("123456789012")
