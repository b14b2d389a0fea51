"""Writes of the public site: fast entry of the canteen menus.

Both paths end with a *draft* week page: editors review it, preview it and publish it
(or submit it to moderation) as any other page.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .enums import Allergen, Course, DishLabel
from .models import MenuDish, MenuWeekPage
from .weeks import format_day, iso_week_code, menu_week_error, monday_of, week_label

CSV_MAX_BYTES = 512 * 1024
CSV_MAX_LINES = 2000
CSV_COLUMNS = ("date", "type", "plat", "labels", "allergenes")
# Other names editors give the columns (normalized), e.g. the admin's field labels.
CSV_COLUMN_ALIASES = {
    "jour": "date",
    "type de plat": "type",
    "nom du plat": "plat",
    "label": "labels",
    "allergene": "allergenes",
}


def _week_title(monday, group):
    title = f"Menus de la {week_label(monday)}"
    return f"{title} — {group.name}" if group is not None else title


def _week_slug(monday, group):
    slug = iso_week_code(monday).lower()
    return f"{slug}-{group.slug}" if group is not None else slug


def _check_week_free(index, monday, group, *, exclude_pk=None):
    if message := menu_week_error(monday, today=timezone.localdate()):
        raise ValidationError(message)
    existing = MenuWeekPage.objects.filter(week_start=monday, menu_group=group)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    if existing.exists():
        whose = f" pour « {group.name} »" if group is not None else ""
        raise ValidationError(f"Les menus de la {week_label(monday)} existent déjà{whose}.")
    if index.get_children().filter(slug=_week_slug(monday, group)).exists():
        raise ValidationError(
            f"Une page « {_week_slug(monday, group)} » existe déjà dans les menus."
        )


def _new_week_page(index, monday, group, *, note, dishes, actor):
    page = MenuWeekPage(
        title=_week_title(monday, group),
        slug=_week_slug(monday, group),
        week_start=monday,
        menu_group=group,
        note=note,
        live=False,
        owner=actor,
    )
    page.dishes = dishes
    index.add_child(instance=page)
    page.save_revision(user=actor)
    log(instance=page, action="wagtail.create", user=actor)
    return page


@transaction.atomic
def menu_week_copy(*, source, week_start, menu_group, actor):
    """A draft week page for ``week_start`` with the dishes of ``source`` (latest draft)."""
    monday = monday_of(week_start)
    index = source.get_parent().specific
    _check_week_free(index, monday, menu_group)
    latest = source.get_latest_revision_as_object()
    dishes = [
        MenuDish(
            day=dish.day,
            course=dish.course,
            name=dish.name,
            labels=list(dish.labels),
            allergens=list(dish.allergens),
            sort_order=dish.sort_order,
        )
        for dish in latest.dishes.all()
    ]
    return _new_week_page(index, monday, menu_group, note=latest.note, dishes=dishes, actor=actor)


# --- CSV import ---------------------------------------------------------------------------


def _normalize(text):
    text = unicodedata.normalize("NFKD", str(text).replace("œ", "oe").replace("Œ", "OE"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


def _lookup(choices_class, extra=()):
    table = {}
    for code, label in choices_class.choices:
        for name in (code, label):
            key = _normalize(name)
            table[key] = code
            table[key.rstrip("s")] = code
    for name, code in extra:
        table[_normalize(name)] = code
    return table


COURSES = _lookup(
    Course,
    [
        ("entrée", Course.STARTER),
        ("plat principal", Course.MAIN),
        ("garniture", Course.SIDE),
        ("fromage", Course.DAIRY),
        ("produit laitier", Course.DAIRY),
        ("gouter", Course.SNACK),
    ],
)
LABELS = _lookup(
    DishLabel,
    [
        ("maison", DishLabel.HOMEMADE),
        ("vege", DishLabel.VEGETARIAN),
        ("agriculture biologique", DishLabel.ORGANIC),
    ],
)
ALLERGENS = _lookup(
    Allergen,
    [
        ("oeuf", Allergen.EGGS),
        ("arachide", Allergen.PEANUTS),
        ("fruit a coque", Allergen.NUTS),
        ("noix", Allergen.NUTS),
        ("anhydride sulfureux", Allergen.SULPHITES),
        ("poissons", Allergen.FISH),
        ("crustace", Allergen.CRUSTACEANS),
        ("mollusque", Allergen.MOLLUSCS),
        ("lactose", Allergen.MILK),
    ],
)


def _split_list(text):
    for separator in "|/;":
        text = text.replace(separator, ",")
    return [item for item in (part.strip() for part in text.split(",")) if item]


def _parse_codes(text, table, what):
    codes, unknown = [], []
    for item in _split_list(text):
        key = _normalize(item)
        code = table.get(key) or table.get(key.rstrip("s"))
        if code is None:
            unknown.append(item)
        elif code not in codes:
            codes.append(code)
    error = f"{what} inconnu(s) : {', '.join(unknown)}." if unknown else None
    return codes, error


def _parse_date(text):
    text = text.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass
class CsvLine:
    number: int
    cells: list
    errors: list = field(default_factory=list)
    date: datetime.date | None = None
    course: str = ""
    name: str = ""
    labels: list = field(default_factory=list)
    allergens: list = field(default_factory=list)

    @property
    def day_label(self):
        return format_day(self.date) if self.date else ""

    @property
    def course_label(self):
        return Course(self.course).label if self.course else ""

    @property
    def label_names(self):
        return ", ".join(DishLabel(code).label for code in self.labels)

    @property
    def allergen_names(self):
        return ", ".join(Allergen(code).label for code in self.allergens)


@dataclass
class MenuCsvPreview:
    lines: list = field(default_factory=list)  # every data line, with its errors
    errors: list = field(default_factory=list)  # errors about the whole file

    @property
    def valid_lines(self):
        return [line for line in self.lines if not line.errors]

    @property
    def bad_lines(self):
        return [line for line in self.lines if line.errors]

    @property
    def weeks(self):
        """{monday: [valid lines]} in date order."""
        weeks = {}
        for line in sorted(self.valid_lines, key=lambda line: line.date):
            weeks.setdefault(monday_of(line.date), []).append(line)
        return weeks

    @property
    def week_labels(self):
        return [week_label(monday) for monday in self.weeks]


def decode_csv(data):
    """Text of an uploaded CSV: UTF-8 (with or without BOM), else Windows-1252 (Excel)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def menu_csv_parse(text):
    """Check every line of a menus CSV; nothing is written.

    Columns (header line required, any order): date;type;plat;labels;allergènes.
    Labels and allergens are lists separated by commas. Separator ``;`` or ``,``.
    """
    preview = MenuCsvPreview()
    today = timezone.localdate()
    if len(text.encode("utf-8")) > CSV_MAX_BYTES:
        preview.errors.append("Le fichier est trop gros (512 Ko au plus).")
        return preview
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [
        (number, row) for number, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    if not rows:
        preview.errors.append("Le fichier est vide.")
        return preview
    _header_number, header = rows[0]
    columns = {}
    for position, name in enumerate(header):
        key = _normalize(name)
        columns.setdefault(CSV_COLUMN_ALIASES.get(key, key), position)
    missing = [name for name in CSV_COLUMNS[:3] if name not in columns]
    if missing:
        preview.errors.append(
            "La première ligne doit nommer les colonnes date;type;plat;labels;allergènes "
            f"(manquante(s) : {', '.join(missing)})."
        )
        return preview
    if len(rows) - 1 > CSV_MAX_LINES:
        preview.errors.append(f"Le fichier a trop de lignes ({CSV_MAX_LINES} au plus).")
        return preview

    def cell(row, name):
        position = columns.get(name)
        return row[position].strip() if position is not None and position < len(row) else ""

    for number, row in rows[1:]:
        line = CsvLine(number=number, cells=row)
        raw_date = cell(row, "date")
        line.date = _parse_date(raw_date)
        if line.date is None:
            line.errors.append(f"Date invalide « {raw_date} » (attendu : 24/11/2026).")
        elif message := menu_week_error(line.date, today=today):
            line.errors.append(message)
        raw_course = cell(row, "type")
        line.course = COURSES.get(_normalize(raw_course)) or COURSES.get(
            _normalize(raw_course).rstrip("s"), ""
        )
        if not line.course:
            line.errors.append(
                f"Type de plat inconnu « {raw_course} » (entrée, plat, accompagnement, "
                "laitage, dessert ou goûter)."
            )
        line.name = cell(row, "plat")
        if not line.name:
            line.errors.append("Le nom du plat est vide.")
        elif len(line.name) > 150:
            line.errors.append("Le nom du plat est trop long (150 caractères au plus).")
        line.labels, error = _parse_codes(cell(row, "labels"), LABELS, "Label")
        if error:
            line.errors.append(error)
        line.allergens, error = _parse_codes(cell(row, "allergenes"), ALLERGENS, "Allergène")
        if error:
            line.errors.append(error)
        preview.lines.append(line)
    if not preview.lines:
        preview.errors.append("Le fichier ne contient aucun plat.")
    return preview


@transaction.atomic
def menu_csv_import(*, preview, index, menu_group, actor):
    """Write the valid lines of ``preview`` as one draft per week; returns [(page, created)].

    An existing week (same kitchen) gets a new draft whose dishes are those of the file.
    """
    if preview.errors or not preview.valid_lines:
        raise ValidationError("Aucune ligne valide à importer.")
    results = []
    for monday, lines in preview.weeks.items():
        dishes = [
            MenuDish(
                day=line.date.isoweekday(),
                course=line.course,
                name=line.name,
                labels=line.labels,
                allergens=line.allergens,
                sort_order=position,
            )
            for position, line in enumerate(lines)
        ]
        existing = MenuWeekPage.objects.filter(week_start=monday, menu_group=menu_group).first()
        if existing is None:
            _check_week_free(index, monday, menu_group)
            page = _new_week_page(
                index,
                monday,
                menu_group,
                note=MenuWeekPage._meta.get_field("note").default,
                dishes=dishes,
                actor=actor,
            )
            results.append((page, True))
        else:
            if not existing.permissions_for_user(actor).can_edit():
                raise ValidationError(f"Vous ne pouvez pas modifier « {existing.title} ».")
            draft = existing.get_latest_revision_as_object()
            draft.dishes = dishes
            draft.save_revision(user=actor, log_action=True)
            results.append((existing, False))
    return results
