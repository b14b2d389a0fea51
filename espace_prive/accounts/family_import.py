"""Reading a CSV of existing families before anything is written.

``import_plan(content)`` checks every line and returns an ``ImportPlan``: the families
to create, the references already present (left untouched: importing the same file
again changes nothing) and every bad line with its reasons. Writing is
``services.families_import``, only for a plan without errors.
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive.families.models import Family, Guardian

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
MAX_CHILDREN = 10
GUARDIAN_PREFIXES = ("r1", "r2")

# (column, required, description): shown in the admin page and in the README.
COLUMNS = [
    ("reference", True, "Référence du dossier famille (ex. FAM-00042). Clé de l'import."),
    ("adresse", False, "Numéro et rue."),
    ("complement_adresse", False, "Bâtiment, appartement…"),
    ("code_postal", False, "5 chiffres."),
    ("commune", False, ""),
    ("r1_civilite", False, "Responsable 1 : Mme ou M."),
    ("r1_nom", True, "Responsable 1 : nom."),
    ("r1_prenom", True, "Responsable 1 : prénom."),
    ("r1_email", False, "Responsable 1 : e-mail. Vide : une lettre avec un code d'accès."),
    ("r1_telephone", False, "Responsable 1 : téléphone."),
    ("r2_civilite", False, "Second responsable (facultatif) : Mme ou M."),
    ("r2_nom", False, "Second responsable : nom (avec le prénom)."),
    ("r2_prenom", False, "Second responsable : prénom (avec le nom)."),
    ("r2_email", False, "Second responsable : e-mail."),
    ("r2_telephone", False, "Second responsable : téléphone."),
    ("enfant1_prenom", False, "Enfant 1 : prénom (enfant2_…, enfant3_… jusqu'à 10)."),
    ("enfant1_nom", False, "Enfant 1 : nom."),
    ("enfant1_naissance", False, "Enfant 1 : date de naissance JJ/MM/AAAA."),
]
FAMILY_COLUMNS = {"reference", "adresse", "complement_adresse", "code_postal", "commune"}
GUARDIAN_FIELDS = ("civilite", "nom", "prenom", "email", "telephone")
CHILD_COLUMN = re.compile(r"^enfant(\d+)_(prenom|nom|naissance)$")
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,29}$")
PHONE_PATTERN = re.compile(r"^[0-9 +().-]{6,30}$")
POSTCODE_PATTERN = re.compile(r"^\d{5}$")
CIVILITIES = {
    "": "",
    "mme": Guardian.Civility.MADAME,
    "madame": Guardian.Civility.MADAME,
    "m": Guardian.Civility.MONSIEUR,
    "m.": Guardian.Civility.MONSIEUR,
    "mr": Guardian.Civility.MONSIEUR,
    "monsieur": Guardian.Civility.MONSIEUR,
}
EMAIL_MAX_LENGTH = 254  # accounts.User.email and families.Guardian.email
LENGTHS = {"nom": 150, "prenom": 150, "adresse": 255, "complement_adresse": 255, "commune": 100}


@dataclass
class GuardianRow:
    role: str
    civility: str
    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


@dataclass
class ChildRow:
    first_name: str
    last_name: str
    birth_date: datetime.date


@dataclass
class FamilyRow:
    line: int
    reference: str
    address: str = ""
    address_complement: str = ""
    postcode: str = ""
    city: str = ""
    guardians: list = field(default_factory=list)
    children: list = field(default_factory=list)


@dataclass
class LineError:
    line: int
    reference: str
    reasons: list


@dataclass
class ImportPlan:
    to_create: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)  # (line, reference)
    errors: list = field(default_factory=list)  # LineError
    file_errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and not self.file_errors

    @property
    def error_count(self):
        return len(self.errors) + len(self.file_errors)


def _normalize_header(name):
    name = unicodedata.normalize("NFKD", (name or "").strip().lstrip("\ufeff").lower())
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return re.sub(r"[\s-]+", "_", name)


ENCODING_ERROR = (
    "L'encodage du fichier n'est pas reconnu. Dans Excel, enregistrez-le au format "
    "« CSV UTF-8 (délimité par des virgules) » ou « CSV (séparateur : point-virgule) », "
    "puis importez-le de nouveau."
)
DELIMITERS = (";", ",", "\t")


class EncodingNotRecognized(ValueError):
    pass


def decode(content):
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's « texte Unicode »), else
    Windows-1252 as exported by a French Excel (it covers Latin-1's letters).

    Raises ``EncodingNotRecognized`` for bytes that are none of these (a binary file,
    another encoding).
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise EncodingNotRecognized from None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        raise EncodingNotRecognized from None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text):
        raise EncodingNotRecognized
    return text


def _delimiter(text):
    """The separator of the header line: the one that splits it into known columns
    (French Excel writes ';', others ','). Header names contain none of them."""
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""

    def known_columns(delimiter):
        try:
            cells = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return (0, 0)
        names = {_normalize_header(cell) for cell in cells}
        return len(names & {"reference", "r1_nom", "r1_prenom"}), len(cells)

    return max(DELIMITERS, key=known_columns)


def _parse_date(value):
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _check_header(columns):
    errors = []
    known = FAMILY_COLUMNS | {f"{p}_{f}" for p in GUARDIAN_PREFIXES for f in GUARDIAN_FIELDS}
    for column in columns:
        match = CHILD_COLUMN.match(column)
        if column in known:
            continue
        if match and 1 <= int(match.group(1)) <= MAX_CHILDREN:
            continue
        errors.append(f"Colonne inconnue : « {column} ».")
    for required in ("reference", "r1_nom", "r1_prenom"):
        if required not in columns:
            errors.append(f"Colonne obligatoire absente : « {required} ».")
    duplicates = {c for c in columns if columns.count(c) > 1}
    errors.extend(f"Colonne en double : « {c} »." for c in sorted(duplicates))
    return errors


def _guardian(values, prefix, role, reasons):
    get = lambda name: values.get(f"{prefix}_{name}", "")  # noqa: E731
    label = "responsable 1" if prefix == "r1" else "second responsable"
    if prefix == "r2" and not any(get(name) for name in GUARDIAN_FIELDS):
        return None
    last_name, first_name = get("nom"), get("prenom")
    if not last_name:
        reasons.append(f"Nom du {label} manquant.")
    if not first_name:
        reasons.append(f"Prénom du {label} manquant.")
    for name, value in (("nom", last_name), ("prenom", first_name)):
        if len(value) > LENGTHS[name]:
            reasons.append(f"{name.capitalize()} du {label} trop long.")
    civility = CIVILITIES.get(get("civilite").lower())
    if civility is None:
        reasons.append(f"Civilité du {label} non reconnue (« Mme » ou « M. »).")
        civility = ""
    email = get("email").lower()
    if len(email) > EMAIL_MAX_LENGTH:
        reasons.append(
            f"Adresse e-mail du {label} trop longue ({EMAIL_MAX_LENGTH} caractères au plus)."
        )
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"Adresse e-mail du {label} invalide : « {email} ».")
    phone = get("telephone")
    if phone and not PHONE_PATTERN.match(phone):
        reasons.append(f"Téléphone du {label} invalide : « {phone} ».")
    return GuardianRow(role, civility, first_name, last_name, email, phone)


def _children(values, reasons):
    numbers = sorted({int(m.group(1)) for column in values if (m := CHILD_COLUMN.match(column))})
    children, seen = [], set()
    today = timezone.localdate()
    for n in numbers:
        first_name = values.get(f"enfant{n}_prenom", "")
        last_name = values.get(f"enfant{n}_nom", "")
        birth = values.get(f"enfant{n}_naissance", "")
        if not (first_name or last_name or birth):
            continue
        if not (first_name and last_name and birth):
            reasons.append(f"Enfant {n} : prénom, nom et date de naissance sont obligatoires.")
            continue
        birth_date = _parse_date(birth)
        if birth_date is None:
            reasons.append(f"Enfant {n} : date de naissance illisible « {birth} » (JJ/MM/AAAA).")
            continue
        if birth_date > today:
            reasons.append(f"Enfant {n} : la date de naissance est dans le futur.")
            continue
        if birth_date < datetime.date(1990, 1, 1):
            reasons.append(f"Enfant {n} : date de naissance invraisemblable ({birth}).")
            continue
        if len(first_name) > 150 or len(last_name) > 150:
            reasons.append(f"Enfant {n} : nom ou prénom trop long.")
            continue
        key = (first_name.lower(), birth_date)
        if key in seen:
            reasons.append(f"Enfant {n} : en double sur la ligne.")
            continue
        seen.add(key)
        children.append(ChildRow(first_name, last_name, birth_date))
    return children


def _family_row(line, values, reasons):
    reference = values.get("reference", "")
    if not reference:
        reasons.append("Référence de la famille manquante.")
    elif not REFERENCE_PATTERN.match(reference):
        reasons.append(
            f"Référence « {reference} » invalide "
            "(lettres, chiffres, . _ / -, 30 caractères au plus)."
        )
    postcode = values.get("code_postal", "")
    if postcode and not POSTCODE_PATTERN.match(postcode):
        reasons.append(f"Code postal invalide : « {postcode} » (5 chiffres).")
    for name in ("adresse", "complement_adresse", "commune"):
        if len(values.get(name, "")) > LENGTHS[name]:
            reasons.append(f"Champ « {name} » trop long.")
    row = FamilyRow(
        line=line,
        reference=reference,
        address=values.get("adresse", ""),
        address_complement=values.get("complement_adresse", ""),
        postcode=postcode,
        city=values.get("commune", ""),
    )
    for prefix, role in zip(GUARDIAN_PREFIXES, Guardian.Role.values, strict=True):
        guardian = _guardian(values, prefix, role, reasons)
        if guardian is not None:
            row.guardians.append(guardian)
    emails = [g.email for g in row.guardians if g.email]
    if len(emails) != len(set(emails)):
        reasons.append("Les deux responsables ont la même adresse e-mail.")
    row.children = _children(values, reasons)
    return row


def import_plan(content):
    """Check the whole file (bytes) and say what an import would do. Writes nothing."""
    plan = ImportPlan()
    if not content:
        plan.file_errors.append("Le fichier est vide.")
        return plan
    if len(content) > MAX_FILE_BYTES:
        plan.file_errors.append("Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.")
        return plan
    try:
        text = decode(content)
    except EncodingNotRecognized:
        plan.file_errors.append(ENCODING_ERROR)
        return plan
    if "\x00" in text:
        plan.file_errors.append("Ce fichier n'est pas un fichier CSV (texte).")
        return plan
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = list(reader)
    except csv.Error:
        plan.file_errors.append(
            "Fichier CSV illisible : une valeur est trop longue, ou un guillemet n'est pas "
            "refermé. Vérifiez le fichier dans votre tableur."
        )
        return plan
    if not rows:
        plan.file_errors.append("Le fichier est vide.")
        return plan
    columns = [_normalize_header(name) for name in rows[0]]
    plan.file_errors.extend(_check_header(columns))
    if plan.file_errors:
        return plan
    if len(rows) - 1 > MAX_LINES:
        plan.file_errors.append(f"Plus de {MAX_LINES} lignes : découpez le fichier.")
        return plan

    candidates, seen_references, seen_emails = [], {}, {}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        reasons = []
        if len(raw) != len(columns):
            reasons.append(
                f"{len(raw)} valeurs au lieu de {len(columns)} : vérifiez les séparateurs "
                "et les guillemets."
            )
            plan.errors.append(LineError(line, raw[0].strip() if raw else "", reasons))
            continue
        values = {column: cell.strip() for column, cell in zip(columns, raw, strict=True)}
        row = _family_row(line, values, reasons)
        if row.reference:
            first = seen_references.setdefault(row.reference.lower(), line)
            if first != line:
                reasons.append(f"Référence déjà utilisée ligne {first}.")
        for guardian in row.guardians:
            if guardian.email:
                first = seen_emails.setdefault(guardian.email, line)
                if first != line:
                    reasons.append(f"Adresse e-mail {guardian.email} déjà utilisée ligne {first}.")
        if reasons:
            plan.errors.append(LineError(line, row.reference, reasons))
        else:
            candidates.append(row)

    existing = set(
        Family.objects.annotate(key=Lower("reference"))
        .filter(key__in=[row.reference.lower() for row in candidates])
        .values_list("key", flat=True)
    )
    new_rows = [row for row in candidates if row.reference.lower() not in existing]
    plan.unchanged = [
        (row.line, row.reference) for row in candidates if row.reference.lower() in existing
    ]
    emails = {g.email for row in new_rows for g in row.guardians if g.email}
    taken = set(
        get_user_model()
        .objects.annotate(key=Lower("email"))
        .filter(key__in=emails)
        .values_list("key", flat=True)
    )
    for row in new_rows:
        clashes = [g.email for g in row.guardians if g.email in taken]
        if clashes:
            plan.errors.append(
                LineError(
                    row.line,
                    row.reference,
                    [
                        f"L'adresse {email} est déjà celle d'un compte du portail."
                        for email in clashes
                    ],
                )
            )
        else:
            plan.to_create.append(row)
    plan.errors.sort(key=lambda error: error.line)
    return plan


def example_csv():
    """A two-family example with every documented column, to start from."""
    header = [name for name, _required, _help in COLUMNS] + [
        "enfant2_prenom",
        "enfant2_nom",
        "enfant2_naissance",
    ]
    rows = [
        [
            "FAM-00101", "12 rue des Écoles", "", "45000", "Belval",
            "Mme", "Durand", "Amélie", "amelie.durand@example.fr", "06 11 22 33 44",
            "M.", "Durand", "Paul", "", "",
            "Jules", "Durand", "14/03/2017", "Inès", "Durand", "02/09/2020",
        ],
        [
            "FAM-00102", "3 allée des Peupliers", "Bât. B", "45000", "Belval",
            "M.", "Nguyen", "Thomas", "", "07 98 76 54 32",
            "", "", "", "", "",
            "Lina", "Nguyen", "25/11/2018", "", "", "",
        ],
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()
