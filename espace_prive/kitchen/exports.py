"""The meal counts as a spreadsheet (CSV) and as a printable sheet (PDF).

CSV as the town's software reads it (``billing.exports``): « ; » between fields, dates
JJ/MM/AAAA, UTF-8 with a BOM, one line per site and day.
"""

import csv
import io

from espace_prive.families.editions import render_pdf

from .meals import ALLERGENS, CATEGORIES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value):
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def meal_counts_header():
    return [
        "Jour",
        "Cuisine",
        "Site",
        "Statut",
        "Total repas",
        *[label for _key, label in CATEGORIES],
        *[f"Allergie : {label}" for _code, label in ALLERGENS],
        "Absences déclarées",
    ]


def meal_counts_csv(counts):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(meal_counts_header())
    for row in counts.rows:
        writer.writerow(
            [
                row.day.strftime("%d/%m/%Y"),
                _text(row.kitchen.name if row.kitchen else ""),
                _text(row.site.name),
                "définitif" if row.is_final else "provisoire",
                row.total,
                *row.category_values,
                *row.allergen_values,
                row.absent,
            ]
        )
    return out.getvalue().encode("utf-8")


def meal_counts_pdf(counts):
    return render_pdf("kitchen/pdf/meal_counts.html", {"counts": counts})
