"""Validators of the family file: bank details, dates, identifiers."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

# Length of the IBAN per country (ISO 13616 registry), for the SEPA area and neighbours.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
    "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
IBAN_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
BIC_PATTERN = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
TAX_NUMBER_PATTERN = re.compile(r"^[0-3][0-9]{12}$")
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def normalize_iban(value):
    return re.sub(r"[\s-]", "", value or "").upper()


def iban_checksum_is_valid(iban):
    """ISO 13616 / ISO 7064 mod 97-10: move the first four characters to the end,
    turn letters into numbers (A=10 … Z=35); the number modulo 97 must be 1."""
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def validate_iban(value):
    iban = normalize_iban(value)
    if not IBAN_PATTERN.match(iban):
        raise ValidationError(
            "L'IBAN doit commencer par le code du pays (2 lettres) et 2 chiffres de contrôle, "
            "suivis de 11 à 30 lettres ou chiffres.",
            code="iban_format",
        )
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected and len(iban) != expected:
        raise ValidationError(
            f"Un IBAN {iban[:2]} compte {expected} caractères ; celui-ci en compte {len(iban)}.",
            code="iban_length",
        )
    if not iban_checksum_is_valid(iban):
        raise ValidationError(
            "Cet IBAN n'est pas valide (la clé de contrôle ne correspond pas) : "
            "vérifiez chaque caractère sur votre RIB.",
            code="iban_checksum",
        )


def normalize_bic(value):
    return re.sub(r"\s", "", value or "").upper()


def validate_bic(value):
    if not BIC_PATTERN.match(normalize_bic(value)):
        raise ValidationError(
            "Le BIC compte 8 ou 11 caractères (ex. BNPAFRPPXXX).", code="bic_format"
        )


# Territories whose banks use French IBANs (FR…) while their BIC names the territory, and
# likewise the Crown dependencies with British IBANs.
IBAN_COUNTRY_OF_BIC = {
    **dict.fromkeys(("GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"), "FR"),
    **dict.fromkeys(("GG", "JE", "IM"), "GB"),
}


def validate_iban_matches_bic(iban, bic):
    """The IBAN's country (its first two letters) and the BIC's (letters 5 and 6) agree."""
    iban, bic = normalize_iban(iban), normalize_bic(bic)
    if len(iban) < 2 or len(bic) < 6:
        return
    iban_country, bic_country = iban[:2], bic[4:6]
    if IBAN_COUNTRY_OF_BIC.get(bic_country, bic_country) != iban_country:
        raise ValidationError(
            {
                "bic": ValidationError(
                    f"Ce BIC est celui d'une banque d'un autre pays ({bic_country}) que "
                    f"l'IBAN ({iban_country}) : vérifiez les deux sur votre RIB.",
                    code="bic_country_mismatch",
                )
            }
        )


def validate_tax_number(value):
    if not TAX_NUMBER_PATTERN.match(re.sub(r"\s", "", value or "")):
        raise ValidationError(
            "Le numéro fiscal compte 13 chiffres et commence par 0, 1, 2 ou 3.",
            code="tax_number_format",
        )


def validate_not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError("Cette date ne peut pas être dans le futur.", code="future_date")


def validate_birth_date(value):
    if value and value > timezone.localdate():
        raise ValidationError(
            "La date de naissance ne peut pas être dans le futur.", code="future_birth_date"
        )
    if value and value < EARLIEST_BIRTH_DATE:
        raise ValidationError("Cette date de naissance n'est pas plausible.", code="implausible")


def format_iban(value):
    iban = normalize_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


# A child of the services (crèche to espace jeunes) is at most this old.
CHILD_MAX_AGE_YEARS = 20


def validate_child_birth_date(value):
    """Plausible for a child of the services: not in the future, at most 20 years ago."""
    if not value:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            "La date de naissance ne peut pas être dans le futur.", code="future_birth_date"
        )
    try:
        earliest = today.replace(year=today.year - CHILD_MAX_AGE_YEARS)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - CHILD_MAX_AGE_YEARS, day=28)
    if value < earliest:
        raise ValidationError(
            f"Les services accueillent les enfants et les jeunes jusqu'à "
            f"{CHILD_MAX_AGE_YEARS} ans : vérifiez l'année de naissance.",
            code="implausible_child_birth_date",
        )
