import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from espace_prive.accounts import services
from espace_prive.accounts.family_import import example_csv, import_plan
from espace_prive.accounts.models import AuditEvent, Invitation
from espace_prive.families.models import Child, Family, Guardian
from tests.conftest import sign_in
from tests.factories import make_family, make_staff, make_user

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/comptes/import/"
HEADER = (
    "reference;adresse;code_postal;commune;r1_civilite;r1_nom;r1_prenom;r1_email;r1_telephone;"
    "r2_nom;r2_prenom;r2_email;enfant1_prenom;enfant1_nom;enfant1_naissance;"
    "enfant2_prenom;enfant2_nom;enfant2_naissance"
)
GOOD = [
    "FAM-00101;12 rue des Écoles;45000;Belval;Mme;Durand;Amélie;amelie@example.test;06 11 22 33 44;"
    "Durand;Paul;;Jules;Durand;14/03/2017;Inès;Durand;02/09/2020",
    "FAM-00102;3 allée des Peupliers;45000;Belval;M.;Nguyen;Thomas;;07 98 76 54 32;"
    ";;;Lina;Nguyen;2018-11-25;;;",
]


def _csv(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def _snapshot():
    return (
        sorted(Family.objects.values_list("reference", "address", "city")),
        sorted(Guardian.objects.values_list("family__reference", "role", "last_name", "email")),
        sorted(Child.objects.values_list("family__reference", "first_name", "birth_date")),
        sorted(Invitation.objects.values_list("guardian__last_name", "channel", "email")),
    )


def test_a_correct_file_is_planned_without_writing_anything():
    plan = import_plan(_csv(*GOOD))
    assert plan.ok
    assert [row.reference for row in plan.to_create] == ["FAM-00101", "FAM-00102"]
    first = plan.to_create[0]
    assert [g.full_name for g in first.guardians] == ["Amélie Durand", "Paul Durand"]
    assert [c.first_name for c in first.children] == ["Jules", "Inès"]
    assert not Family.objects.exists()


def test_every_bad_line_is_listed_with_its_reasons_and_nothing_is_written():
    make_user(email="deja@example.test")
    lines = [
        GOOD[0],
        ";rue;45000;Belval;Mme;Sans;Reference;;;;;;;;;;;",  # line 3: no reference
        "FAM-00103;rue;4500;Belval;Docteur;;Nom;pas-un-email;abc;;;;Léo;;32/13/2019;;;",  # 4
        "FAM-00101;rue;45000;Belval;M.;Doublon;Ref;;;;;;;;;;;",  # 5: reference used line 2
        "FAM-00104;rue;45000;Belval;M.;Pris;Email;deja@example.test;;;;;;;;;;",  # 6
        "FAM-00105;rue;45000;Belval;M.;Futur;Enfant;;;;;;Zoé;Futur;01/01/2099;;;",  # 7
        "FAM-00106;trop;de;colonnes",  # 8
        "",  # blank lines are skipped
    ]
    plan = import_plan(_csv(*lines))
    assert not plan.ok
    by_line = {error.line: error.reasons for error in plan.errors}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8]
    assert by_line[3] == ["Référence de la famille manquante."]
    reasons_4 = " | ".join(by_line[4])
    for expected in (
        "Code postal invalide",
        "Nom du responsable 1 manquant",
        "Civilité du responsable 1 non reconnue",
        "Adresse e-mail du responsable 1 invalide",
        "Téléphone du responsable 1 invalide",
        "Enfant 1 : prénom, nom et date de naissance sont obligatoires",
    ):
        assert expected in reasons_4
    assert by_line[5] == ["Référence déjà utilisée ligne 2."]
    assert by_line[6] == ["L'adresse deja@example.test est déjà celle d'un compte du portail."]
    assert by_line[7] == ["Enfant 1 : la date de naissance est dans le futur."]
    assert "4 valeurs au lieu de 18" in by_line[8][0]
    with pytest.raises(services.AccountError):
        services.families_import(actor=None, plan=plan)
    assert not Family.objects.exists() and not Invitation.objects.exists()


def test_a_bad_header_is_reported_before_the_lines():
    plan = import_plan(_csv(GOOD[0], header=HEADER.replace("r1_nom", "nom_r1")))
    assert "Colonne inconnue : « nom_r1 »." in plan.file_errors
    assert "Colonne obligatoire absente : « r1_nom »." in plan.file_errors


def test_importing_the_same_file_twice_changes_nothing(django_capture_on_commit_callbacks):
    staff = make_staff()
    with django_capture_on_commit_callbacks(execute=True):
        summary = services.families_import(actor=staff, plan=import_plan(_csv(*GOOD)))
    assert summary == {"families": 2, "guardians": 3, "children": 3, "emails": 1, "letters": 2}
    first = _snapshot()
    sent = len(mail.outbox)
    plan = import_plan(_csv(*GOOD))
    assert plan.ok and plan.to_create == []
    assert [reference for _line, reference in plan.unchanged] == ["FAM-00101", "FAM-00102"]
    with django_capture_on_commit_callbacks(execute=True):
        services.families_import(actor=staff, plan=plan)
    assert _snapshot() == first
    assert len(mail.outbox) == sent


def test_an_existing_family_is_left_untouched_whatever_the_case_of_its_reference():
    family = make_family(reference="FAM-00101", address="ancienne adresse")
    plan = import_plan(_csv(GOOD[0].replace("FAM-00101", "fam-00101")))
    assert plan.to_create == [] and plan.unchanged == [(2, "fam-00101")]
    family.refresh_from_db()
    assert family.address == "ancienne adresse"


def test_import_invites_by_email_or_prepares_a_letter(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.families_import(actor=make_staff(), plan=import_plan(_csv(*GOOD)))
    durand = Guardian.objects.get(email="amelie@example.test")
    assert durand.family.reference == "FAM-00101"
    assert mail.outbox[0].to == ["amelie@example.test"]
    assert "/espace-famille/compte/invitation/" in mail.outbox[0].body
    letters = Invitation.objects.filter(channel=Invitation.Channel.LETTER)
    assert sorted(letters.values_list("guardian__first_name", flat=True)) == ["Paul", "Thomas"]
    assert not letters.exclude(secret_hash=None).exists()  # a code exists only once printed
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.INVITATION_SENT).count() == 1


def test_example_file_is_a_valid_import():
    plan = import_plan(example_csv().encode("utf-8"))
    assert plan.ok and len(plan.to_create) == 2


def test_windows_1252_files_with_commas_are_read():
    content = _csv(GOOD[0]).decode().replace(";", ",").encode("cp1252")
    plan = import_plan(content)
    assert plan.ok, plan.errors
    assert plan.to_create[0].guardians[0].first_name == "Amélie"


def _comma(text):
    """The same file with ',' as French Excel writes it in English locales; an address
    with a comma is quoted."""
    return text.replace(";", ",").replace("12 rue des Écoles", '"12, rue des Écoles"')


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("utf-8"), id="utf-8"),
        pytest.param(lambda text: "\ufeff".encode() + text.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda text: text.encode("cp1252"), id="windows-1252"),
        pytest.param(lambda text: text.encode("latin-1"), id="latin-1"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16-bom"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("cp1252"), id="crlf"),
    ],
)
@pytest.mark.parametrize("separator", [";", ","])
def test_excel_encodings_and_separators_are_read(encode, separator):
    text = _csv(*GOOD).decode()
    if separator == ",":
        text = _comma(text)
    plan = import_plan(encode(text))
    assert plan.ok, (plan.file_errors, plan.errors)
    first, second = plan.to_create
    assert first.guardians[0].first_name == "Amélie"
    assert first.address == ("12, rue des Écoles" if separator == "," else "12 rue des Écoles")
    assert [c.first_name for c in first.children] == ["Jules", "Inès"]
    assert second.address == "3 allée des Peupliers"


def test_a_header_with_only_required_columns_and_commas_is_read():
    plan = import_plan("reference,r1_nom,r1_prenom\nFAM-1,Dupré,Zoé\n".encode("cp1252"))
    assert plan.ok, (plan.file_errors, plan.errors)
    assert plan.to_create[0].guardians[0].last_name == "Dupré"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(HEADER.encode() + b"\nFAM-1;\x81\x8d\x90;x\n", id="undefined-cp1252"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="binary"),
        pytest.param(b"\xff\xfe" + b"\x00\xd8", id="broken-utf-16"),
    ],
)
def test_a_file_in_an_unknown_encoding_gets_a_clear_french_error(content):
    plan = import_plan(content)
    assert not plan.ok and not plan.to_create
    assert any(
        "encodage" in error.lower() or "pas un fichier CSV" in error for error in plan.file_errors
    )


# --- The admin view ------------------------------------------------------------------


def _staff_with(permission=None):
    staff = make_staff(email=f"agent-{permission or 'aucun'}@example.test")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if permission:
        staff.user_permissions.add(Permission.objects.get(codename=permission))
    return sign_in(Client(), staff)


def _upload(client, content, name="familles.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_the_import_page_needs_the_permission():
    client = _staff_with(None)
    assert client.get(IMPORT_URL).status_code == 403  # no private-area role: the admin gate
    assert _upload(client, _csv(*GOOD)).status_code == 403
    other_role = _staff_with("view_family")
    response = other_role.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _upload(other_role, _csv(*GOOD)).status_code == 302
    assert not Family.objects.exists()


def test_upload_preview_then_confirm(django_capture_on_commit_callbacks):
    client = _staff_with("manage_invitations")
    page = client.get(IMPORT_URL)
    assert page.status_code == 200 and "r1_prenom" in page.content.decode()
    preview = _upload(client, _csv(*GOOD))
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Le fichier est correct" in text and "FAM-00102" in text
    assert not Family.objects.exists()
    payload = preview.context["confirm_form"]["payload"].value()
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(IMPORT_URL, {"payload": payload})
    assert result.status_code == 200
    assert "2 familles, 3 responsables et 3 enfants créés" in result.content.decode()
    assert Family.objects.count() == 2
    # Confirming the same preview again changes nothing.
    before = _snapshot()
    client.post(IMPORT_URL, {"payload": payload})
    assert _snapshot() == before


def test_preview_of_a_bad_file_lists_the_lines_and_offers_no_import():
    client = _staff_with("manage_invitations")
    preview = _upload(client, _csv(GOOD[0], ";sans;référence;;;;;;;;;;;;;;;"))
    text = preview.content.decode()
    assert "rien n&#x27;a été enregistré" in text or "rien n'a été enregistré" in text
    assert "Référence de la famille manquante." in text
    assert preview.context["confirm_form"] is None
    assert not Family.objects.exists()


def test_upload_of_a_bad_encoding_shows_the_error_and_writes_nothing():
    client = _staff_with("manage_invitations")
    before = _snapshot()
    preview = _upload(client, HEADER.encode() + b"\nFAM-1;\x81\x9d;x\n")
    assert preview.status_code == 200
    assert "encodage du fichier n&#x27;est pas reconnu" in preview.content.decode().lower()
    assert preview.context["confirm_form"] is None
    assert _snapshot() == before


def test_upload_of_a_windows_file_then_confirm_imports_it(django_capture_on_commit_callbacks):
    client = _staff_with("manage_invitations")
    preview = _upload(client, _comma(_csv(*GOOD).decode()).encode("cp1252"))
    assert preview.context["plan"].ok
    payload = preview.context["confirm_form"].initial["payload"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT_URL, {"payload": payload})
    assert Family.objects.get(reference="FAM-00101").address == "12, rue des Écoles"
    assert Guardian.objects.filter(first_name="Amélie").exists()


def test_a_tampered_preview_is_refused():
    client = _staff_with("manage_invitations")
    response = client.post(IMPORT_URL, {"payload": "pas-signé"})
    assert response.status_code == 302
    assert not Family.objects.exists()


def test_example_download():
    client = _staff_with("manage_invitations")
    response = client.get(IMPORT_URL + "exemple.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert b"reference;adresse" in response.content


def test_an_email_longer_than_accounts_allow_is_listed_in_the_preview():
    """Django's validator accepts up to 320 characters; accounts keep 254. Such a line
    used to pass the preview, then stop the import at confirmation."""
    too_long = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".fr"
    assert 254 < len(too_long) <= 320
    line = f"FAM-00107;rue;45000;Belval;Mme;Long;Courriel;{too_long};;;;;;;;;;"
    plan = import_plan(_csv(line))
    assert not plan.ok
    assert [error.line for error in plan.errors] == [2]
    assert "Adresse e-mail du responsable 1 trop longue" in " ".join(plan.errors[0].reasons)


def test_a_value_beyond_the_csv_field_limit_gets_a_french_error():
    plan = import_plan(_csv("FAM-00108;" + "x" * 200_000 + ";45000;Belval;Mme;A;B;;;;;;;;;;;"))
    assert plan.file_errors == [
        "Fichier CSV illisible : une valeur est trop longue, ou un guillemet n'est pas "
        "refermé. Vérifiez le fichier dans votre tableur."
    ]
