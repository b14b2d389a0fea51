import datetime

import pytest

from pages.weeks import (
    InvalidWeek,
    format_day,
    iso_week_code,
    monday_of,
    parse_iso_week,
    week_label,
)


@pytest.mark.parametrize("text", ["2026-W48", "2026W48", "2026-w48", " 2026-W48 "])
def test_iso_weeks_parse_to_their_monday(text):
    assert parse_iso_week(text) == datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "n'est pas une semaine valide"),
        ("semaine-48", "n'est pas une semaine valide"),
        ("2026-W", "n'est pas une semaine valide"),
        ("2026-W54", "n'a pas de semaine numéro 54"),
        ("2026-W00", "n'a pas de semaine numéro 0"),
        ("2025-W53", "n'a pas de semaine numéro 53"),
        ("1850-W10", "entre 2000 et 2100"),
        ("2026-W48'; DROP TABLE", "n'est pas une semaine valide"),
    ],
)
def test_malformed_weeks_raise_a_french_message(text, message):
    with pytest.raises(InvalidWeek, match=message):
        parse_iso_week(text)


def test_week_53_exists_in_long_years():
    assert parse_iso_week("2026-W53") == datetime.date(2026, 12, 28)


def test_week_helpers():
    assert monday_of(datetime.date(2026, 11, 29)) == datetime.date(2026, 11, 23)
    assert iso_week_code(datetime.date(2027, 1, 1)) == "2026-W53"
    assert week_label(datetime.date(2026, 11, 23)) == "semaine du 23 au 29 novembre 2026"
    assert week_label(datetime.date(2026, 11, 30)) == "semaine du 30 novembre au 6 décembre 2026"
    assert week_label(datetime.date(2026, 12, 28)) == (
        "semaine du 28 décembre 2026 au 3 janvier 2027"
    )
    assert format_day(datetime.date(2026, 12, 1)) == "mardi 1er décembre 2026"
