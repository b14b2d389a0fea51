"""SEPA identifiers and dates checked as a bank checks them: the creditor identifier
(ICS, ISO 7064 mod 97-10 over the national part and the country, the business code left
out), the characters a pain.008 file may carry, and the TARGET2 business days on which
a direct debit can be collected."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError

from espace_prive.bookings.holidays import easter_sunday

ICS = r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$"
# The Latin character set of the EPC rulebook (what every bank accepts).
_NOT_SEPA = re.compile(r"[^A-Za-z0-9/?:().,'+ -]")


def normalize_creditor_identifier(value):
    return re.sub(r"\s+", "", value or "").upper()


def _mod97(text):
    digits = "".join(str(int(ch, 36)) for ch in text)
    return int(digits) % 97


def creditor_identifier_is_valid(value):
    value = normalize_creditor_identifier(value)
    if not re.match(ICS, value) or (value.startswith("FR") and len(value) != 13):
        return False
    country, check, national = value[:2], value[2:4], value[7:]
    return _mod97(f"{national}{country}{check}") == 1


def validate_creditor_identifier(value):
    value = normalize_creditor_identifier(value)
    if not re.match(ICS, value) or (value.startswith("FR") and len(value) != 13):
        raise ValidationError(
            "L'identifiant créancier SEPA (ICS) a la forme FR + 2 chiffres + 3 caractères "
            "+ 6 caractères, par exemple FR12ZZZ123456.",
            code="ics_shape",
        )
    if not creditor_identifier_is_valid(value):
        raise ValidationError(
            "La clé de contrôle de l'identifiant créancier SEPA (ICS) est fausse : "
            "vérifiez-le sur le courrier de la Banque de France.",
            code="ics_checksum",
        )


def creditor_identifier_for(national, country="FR", business="ZZZ"):
    """The ICS with its check digits (for demo data and tests)."""
    check = 98 - _mod97(f"{national}{country}00")
    return f"{country}{check:02d}{business}{national}"


def sepa_text(value, limit):
    """``value`` in the SEPA character set (accents dropped, others as spaces)."""
    ascii_text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    cleaned = re.sub(r"\s+", " ", _NOT_SEPA.sub(" ", ascii_text)).strip()
    return cleaned[:limit]


def target_holidays(year):
    """Days TARGET2 is closed besides weekends: 1 January, Good Friday, Easter Monday,
    1 May, 25 and 26 December."""
    easter = easter_sunday(year)
    return {
        datetime.date(year, 1, 1),
        easter - datetime.timedelta(days=2),
        easter + datetime.timedelta(days=1),
        datetime.date(year, 5, 1),
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    }


def is_business_day(day):
    return day.weekday() < 5 and day not in target_holidays(day.year)


def next_business_day(day):
    day += datetime.timedelta(days=1)
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def collection_date_error(day, *, today):
    """Why ``day`` cannot be the collection date of a batch prepared ``today`` (None if
    it can): a business day, after the next one (the bank receives the file a business
    day before), within a year."""
    if day <= today:
        return "La date de prélèvement doit être dans le futur."
    if not is_business_day(day):
        return (
            f"Le {day:%d/%m/%Y} n'est pas un jour ouvré des banques (week-end ou jour "
            "férié TARGET) : choisissez un autre jour."
        )
    submitted = today if is_business_day(today) else next_business_day(today)
    earliest = next_business_day(submitted)
    if day < earliest:
        return (
            "La banque doit recevoir le fichier au moins un jour ouvré avant le "
            f"prélèvement : choisissez le {earliest:%d/%m/%Y} ou plus tard."
        )
    if day > today + datetime.timedelta(days=365):
        return "La date de prélèvement est à plus d'un an : vérifiez-la."
    return None
