"""Meal counts per site and day, by diet and allergen, against the hand-computed week
of ``tests/kitchen/fixtures.py``."""

import pytest

from espace_prive.kitchen.meals import CATEGORY_KEYS, meal_counts
from tests.kitchen.fixtures import SUNDAY_NOON, day, make_week

pytestmark = pytest.mark.django_db

FERRY = "École Jules-Ferry"
ZERO = dict.fromkeys(CATEGORY_KEYS, 0)


def _table(counts):
    return {(row.day, row.site.name): row for row in counts.rows}


def _allergens(row):
    return {code: n for code, n in row.allergens.items() if n}


def test_a_week_of_meals_matches_the_hand_computed_fixture():
    make_week()
    counts = meal_counts(day(0), day(4), now=SUNDAY_NOON)
    table = _table(counts)
    assert set(table) == {
        (day(0), FERRY),
        (day(0), "École Pasteur"),
        (day(1), FERRY),
        (day(2), FERRY),
        (day(3), "École Curie"),
    }
    monday = table[(day(0), FERRY)]
    assert monday.counts == {**ZERO, "standard": 1, "sans_porc": 1, "vegetarien": 1, "pai": 1}
    assert _allergens(monday) == {"eggs": 1, "peanuts": 1, "nuts": 1}
    assert monday.total == 4 and monday.absent == 0
    pasteur = table[(day(0), "École Pasteur")]
    assert pasteur.counts == {**ZERO, "standard": 1, "sans_viande": 1}
    assert _allergens(pasteur) == {"milk": 1}
    tuesday = table[(day(1), FERRY)]
    assert tuesday.counts == {**ZERO, "standard": 2, "sans_porc": 1, "pai": 1}
    assert tuesday.absent == 1
    assert _allergens(tuesday) == {"peanuts": 1, "nuts": 1, "milk": 1}
    wednesday = table[(day(2), FERRY)]
    assert wednesday.counts == {**ZERO, "standard": 1, "sans_porc": 1}
    thursday = table[(day(3), "École Curie")]
    assert thursday.counts == {
        **ZERO,
        "standard": 2,
        "sans_porc": 1,
        "vegetarien": 1,
        "sans_viande": 1,
        "pai": 1,
    }
    assert _allergens(thursday) == {"eggs": 1, "peanuts": 1, "nuts": 1, "milk": 1}
    assert sum(row.total for row in counts.rows) == 18
    assert [(d, total) for d, total, _final in counts.day_totals()] == [
        (day(0), 6),
        (day(1), 4),
        (day(2), 2),
        (day(3), 6),
    ]


def test_figures_are_definitive_once_both_deadlines_have_passed():
    make_week()
    table = _table(meal_counts(day(0), day(4), now=SUNDAY_NOON))
    finals = {key[0]: row.is_final for key, row in table.items()}
    assert finals == {day(0): True, day(1): True, day(2): False, day(3): False}
    wednesday = next(row for key, row in table.items() if key[0] == day(2))
    # The canteen's J-2 10:00 (Monday) is later than the ALSH's J-7: it decides.
    assert wednesday.status_label == "Provisoire (définitif le 16/11/2026 à 10:00)"
    assert next(row for key, row in table.items() if key[0] == day(0)).status_label == "Définitif"


def test_the_counts_of_one_kitchen_leave_out_the_other_sites():
    week = make_week()
    counts = meal_counts(day(0), day(4), now=SUNDAY_NOON)
    groups = dict(counts.by_kitchen())
    assert {row.site.name for row in groups[week["kitchen"]]} == {FERRY, "École Pasteur"}
    assert {row.site.name for row in groups[None]} == {"École Curie"}
    only = meal_counts(day(0), day(4), now=SUNDAY_NOON, sites=[week["sites"]["curie"]])
    assert [row.total for row in only.rows] == [6]


def test_the_counts_cost_the_same_queries_for_one_or_many_rows(django_assert_max_num_queries):
    week = make_week()
    with django_assert_max_num_queries(6):
        one = meal_counts(day(4), day(4), now=SUNDAY_NOON)
    assert one.rows == []
    week["book"](1, week["meal"], week["sites"]["ferry"], day(4))
    with django_assert_max_num_queries(6):
        assert len(meal_counts(day(4), day(4), now=SUNDAY_NOON).rows) == 1
    with django_assert_max_num_queries(6):
        assert len(meal_counts(day(0), day(4), now=SUNDAY_NOON).rows) == 6
