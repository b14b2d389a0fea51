"""Public holidays are computed; school holidays come from the shipped official dataset
and can be refreshed offline from an export file."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from espace_prive.bookings import school_holidays
from espace_prive.bookings.holidays import easter_sunday, public_holiday_name, public_holidays
from espace_prive.bookings.models import HolidayCalendar, SchoolHoliday

D = datetime.date


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_is_computed(year, easter):
    assert easter_sunday(year) == easter


def test_public_holidays_of_2027_include_the_easter_based_ones():
    days = public_holidays(2027)
    assert days[D(2027, 3, 29)] == "Lundi de Pâques"
    assert days[D(2027, 5, 6)] == "Ascension"
    assert days[D(2027, 5, 17)] == "Lundi de Pentecôte"
    assert len(days) == 11
    assert public_holiday_name(D(2027, 3, 26)) is None


def test_alsace_moselle_adds_good_friday_and_saint_stephen():
    days = public_holidays(2027, HolidayCalendar.ALSACE_MOSELLE)
    assert days[D(2027, 3, 26)] == "Vendredi saint"
    assert days[D(2027, 12, 26)] == "Saint-Étienne"
    assert len(days) == 13


@pytest.mark.django_db
def test_the_shipped_dataset_is_loaded_with_days_off_not_dataset_bounds():
    christmas = SchoolHoliday.objects.get(
        zone="A", school_year="2026-2027", name="Vacances de Noël"
    )
    # Export: from 2026-12-18T23:00Z (midnight in Paris) to the morning of 4 January.
    assert christmas.first_day_off == D(2026, 12, 19)
    assert christmas.last_day_off == D(2027, 1, 3)
    winter = {
        h.zone: h.first_day_off
        for h in SchoolHoliday.objects.filter(school_year="2026-2027", name="Vacances d'Hiver")
    }
    assert len(winter) == 3 and len(set(winter.values())) == 3


def test_a_start_given_as_a_day_is_after_class_that_day():
    assert school_holidays.first_day_off("2027-05-05") == D(2027, 5, 6)
    assert school_holidays.first_day_off("2027-05-05T16:30:00+02:00") == D(2027, 5, 6)
    assert school_holidays.first_day_off("2027-05-05T22:00:00+00:00") == D(2027, 5, 6)
    assert school_holidays.last_day_off("2027-05-10") == D(2027, 5, 9)


@pytest.mark.django_db
def test_the_command_updates_from_an_export_file_offline(tmp_path, capsys):
    export = [
        {
            "description": "Vacances de Noël",
            "population": "-",
            "start_date": "2027-12-17T23:00:00+00:00",
            "end_date": "2028-01-02T23:00:00+00:00",
            "location": "Lyon",
            "zones": "Zone A",
            "annee_scolaire": "2027-2028",
        },
        {
            "description": "Vacances de Noël",
            "population": "-",
            "start_date": "2027-12-17T23:00:00+00:00",
            "end_date": "2028-01-02T23:00:00+00:00",
            "location": "Grenoble",
            "zones": "Zone A",
            "annee_scolaire": "2027-2028",
        },
        {
            "description": "Pré-rentrée",
            "population": "Enseignants",
            "start_date": "2027-08-30T22:00:00+00:00",
            "end_date": "2027-08-31T22:00:00+00:00",
            "location": "Lyon",
            "zones": "Zone A",
            "annee_scolaire": "2027-2028",
        },
        {
            "description": "Vacances de Noël",
            "population": "-",
            "start_date": "2027-12-17T23:00:00+00:00",
            "end_date": "2028-01-02T23:00:00+00:00",
            "location": "Ajaccio",
            "zones": "Corse",
            "annee_scolaire": "2027-2028",
        },
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"results": export}))
    before = SchoolHoliday.objects.count()
    call_command("import_school_holidays", str(path))
    assert SchoolHoliday.objects.count() == before + 1
    row = SchoolHoliday.objects.get(school_year="2027-2028")
    assert (row.first_day_off, row.last_day_off) == (D(2027, 12, 18), D(2028, 1, 2))
    assert "1 ajoutées" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_reads_a_csv_export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Description;Population;start_date;end_date;Académies;Zones;annee_scolaire\n"
        "Vacances d'Hiver;-;2028-02-11T23:00:00+00:00;2028-02-27T23:00:00+00:00;Paris;"
        "Zone C;2027-2028\n",
        encoding="utf-8",
    )
    call_command("import_school_holidays", str(path))
    row = SchoolHoliday.objects.get(school_year="2027-2028", zone="C")
    assert (row.first_day_off, row.last_day_off) == (D(2028, 2, 12), D(2028, 2, 27))


@pytest.mark.django_db
def test_the_command_refuses_a_file_that_is_not_the_calendar(tmp_path):
    path = tmp_path / "autre.json"
    path.write_text('[{"nom": "x"}]')
    with pytest.raises(CommandError, match="non reconnu"):
        call_command("import_school_holidays", str(path))
    with pytest.raises(CommandError, match="pas les deux"):
        call_command("import_school_holidays", str(path), "--download")


def test_the_command_touches_the_network_only_with_download(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(school_holidays, "download", lambda url: calls.append(url) or b"[]")
    with pytest.raises(CommandError):
        call_command("import_school_holidays", "--download")
    assert calls == [school_holidays.OFFICIAL_EXPORT_URL]
