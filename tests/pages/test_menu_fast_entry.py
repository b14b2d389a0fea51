import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pages.models import MenuWeekPage
from pages.services import decode_csv, menu_csv_import, menu_csv_parse, menu_week_copy

from .helpers import menus_index, this_monday, week_form

pytestmark = pytest.mark.django_db

GOOD_CSV = """date;type;plat;labels;allergènes
01/12/2031;entrée;Carottes râpées;bio, local;moutarde
01/12/2031;Plat;Poisson pané;;poisson, gluten
2031-12-02;laitage;Yaourt nature;Bio;Lait
03/12/2031;goûter;Pain et chocolat;fait maison;gluten|lait|soja
"""

BAD_CSV = """date;type;plat;labels;allergènes
01/12/2031;entrée;Carottes râpées;bio;
31/02/2031;plat;Poisson;;
01/12/2031;soupe;Velouté;;
01/12/2031;dessert;;;
01/12/2031;dessert;Tarte;bio, industriel;ail
"""


def test_copy_creates_a_draft_of_the_next_week_with_every_dish(staff_user, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday())
    target = this_monday() + datetime.timedelta(weeks=5)
    copy = menu_week_copy(
        source=source,
        week_start=target + datetime.timedelta(days=3),
        menu_group=None,
        actor=staff_user,
    )
    copy.refresh_from_db()
    assert copy.week_start == target and not copy.live
    assert copy.get_parent().pk == source.get_parent().pk
    draft = copy.get_latest_revision_as_object()
    assert sorted(
        (d.day, d.course, d.name, d.labels, d.allergens) for d in draft.dishes.all()
    ) == sorted((d.day, d.course, d.name, d.labels, d.allergens) for d in source.dishes.all())
    assert copy.latest_revision.user == staff_user


def test_copy_to_a_week_that_exists_is_refused(staff_user, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday())
    with pytest.raises(ValidationError, match="existent déjà"):
        menu_week_copy(
            source=source,
            week_start=this_monday() + datetime.timedelta(days=7),
            menu_group=None,
            actor=staff_user,
        )


def test_csv_parse_reads_french_names_codes_and_both_date_formats():
    preview = menu_csv_parse(GOOD_CSV)
    assert not preview.errors and not preview.bad_lines
    lines = preview.valid_lines
    assert [(line.course, line.name) for line in lines] == [
        ("starter", "Carottes râpées"),
        ("main", "Poisson pané"),
        ("dairy", "Yaourt nature"),
        ("snack", "Pain et chocolat"),
    ]
    assert lines[0].labels == ["organic", "local"] and lines[0].allergens == ["mustard"]
    assert lines[1].allergens == ["fish", "gluten"]
    assert lines[3].labels == ["homemade"] and lines[3].allergens == ["gluten", "milk", "soy"]
    assert list(preview.weeks) == [datetime.date(2031, 12, 1)]


def test_csv_parse_lists_every_bad_line_with_its_reason():
    preview = menu_csv_parse(BAD_CSV)
    assert len(preview.valid_lines) == 1
    problems = {line.number: " ".join(line.errors) for line in preview.bad_lines}
    assert "Date invalide « 31/02/2031 »" in problems[3]
    assert "Type de plat inconnu « soupe »" in problems[4]
    assert "Le nom du plat est vide." in problems[5]
    assert "Label inconnu(s) : industriel." in problems[6]
    assert "Allergène inconnu(s) : ail." in problems[6]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Le fichier est vide."),
        ("jour,menu\n01/12/2031,frites\n", "La première ligne doit nommer les colonnes"),
        ("date;type;plat\n", "Le fichier ne contient aucun plat."),
    ],
)
def test_csv_parse_refuses_a_file_it_cannot_read(text, message):
    preview = menu_csv_parse(text)
    assert any(message in error for error in preview.errors)


def test_csv_with_commas_and_windows_encoding():
    data = (
        GOOD_CSV.replace(";", ",")
        .replace("bio, local", '"bio, local"')
        .replace("poisson, gluten", '"poisson, gluten"')
        .encode("cp1252")
    )
    preview = menu_csv_parse(decode_csv(data))
    assert not preview.bad_lines, [line.errors for line in preview.bad_lines]
    assert preview.valid_lines[0].name == "Carottes râpées"


def test_csv_import_creates_a_draft_per_week_and_updates_an_existing_week(staff_user, public_site):
    index = menus_index(public_site)
    text = GOOD_CSV + "08/12/2031;plat;Lasagnes;végétarien;gluten\n"
    results = menu_csv_import(
        preview=menu_csv_parse(text), index=index, menu_group=None, actor=staff_user
    )
    assert [(page.week_start, created) for page, created in results] == [
        (datetime.date(2031, 12, 1), True),
        (datetime.date(2031, 12, 8), True),
    ]
    first = MenuWeekPage.objects.get(week_start=datetime.date(2031, 12, 1))
    assert not first.live
    assert len(first.get_latest_revision_as_object().dishes.all()) == 4

    existing = MenuWeekPage.objects.get(week_start=this_monday())
    live_dishes = existing.dishes.count()
    day = this_monday().strftime("%d/%m/%Y")
    results = menu_csv_import(
        preview=menu_csv_parse(f"date;type;plat\n{day};plat;Nouveau plat\n"),
        index=index,
        menu_group=None,
        actor=staff_user,
    )
    assert results == [(existing, False)]
    existing.refresh_from_db()
    assert existing.live and existing.has_unpublished_changes
    assert existing.dishes.count() == live_dishes  # the public keeps the published menu
    assert [d.name for d in existing.get_latest_revision_as_object().dishes.all()] == [
        "Nouveau plat"
    ]


# --- Admin views --------------------------------------------------------------------------


def test_copy_view_prefills_the_next_week_and_creates_the_draft(staff_client, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday() + datetime.timedelta(days=7))
    url = reverse("pages_menus_copy")
    response = staff_client.get(url, {"source": source.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["week"] == source.week_start + datetime.timedelta(days=7)
    response = staff_client.post(url, {"source": source.pk, "week": str(form.initial["week"])})
    copy = MenuWeekPage.objects.get(week_start=form.initial["week"])
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=(copy.pk,))


def test_copy_view_shows_the_error_when_the_week_exists(staff_client, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday())
    response = staff_client.post(
        reverse("pages_menus_copy"),
        {"source": source.pk, "week": str(this_monday() - datetime.timedelta(days=7))},
    )
    assert response.status_code == 200
    assert "existent déjà" in response.content.decode()


def test_import_view_previews_bad_lines_then_imports_the_good_ones(
    communication_client, public_site
):
    url = reverse("pages_menus_import")
    upload = SimpleUploadedFile("menus.csv", BAD_CSV.encode(), content_type="text/csv")
    response = communication_client.post(
        url, {"index": menus_index(public_site).pk, "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lignes en erreur" in html and "Type de plat inconnu « soupe »" in html
    assert "Importer 1 plat(s) en brouillon" in html
    assert not MenuWeekPage.objects.filter(week_start=datetime.date(2031, 12, 1)).exists()

    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() for name in confirm.fields}
    data["csv_text"] = BAD_CSV
    response = communication_client.post(url, {**data, "menu_group": ""})
    assert response.status_code == 302
    page = MenuWeekPage.objects.get(week_start=datetime.date(2031, 12, 1))
    assert [d.name for d in page.get_latest_revision_as_object().dishes.all()] == [
        "Carottes râpées"
    ]


def test_fast_entry_is_refused_to_staff_without_page_permissions(public_site):
    from django.contrib.auth.models import Permission
    from django.test import Client

    from tests.conftest import sign_in
    from tests.factories import make_staff

    agent = make_staff(email="agent.regie@example.test")
    agent.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = sign_in(Client(), agent)
    for name in ("pages_menus_copy", "pages_menus_import"):
        response = client.get(reverse(name), headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 403


def test_wagtail_copy_of_a_week_goes_through_the_fast_entry(staff_client, public_site):
    page = MenuWeekPage.objects.first()
    response = staff_client.get(reverse("wagtailadmin_pages:copy", args=(page.pk,)))
    assert response.status_code == 302
    assert response["Location"] == reverse("pages_menus_copy") + f"?source={page.pk}"


def test_editing_a_week_in_the_admin_fills_title_and_slug(staff_client, public_site):
    index = menus_index(public_site)
    url = reverse("wagtailadmin_pages:add", args=("pages", "menuweekpage", index.pk))
    data = week_form(
        "2032-03-03",
        (3, "main", "Couscous de légumes", ["vegetarian", "homemade"], ["gluten", "celery"]),
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    page = MenuWeekPage.objects.get(week_start=datetime.date(2032, 3, 1))
    assert page.title == "Menus de la semaine du 1er au 7 mars 2032"
    assert page.slug == "2032-w10"
    dish = page.get_latest_revision_as_object().dishes.all()[0]
    assert dish.labels == ["vegetarian", "homemade"] and dish.allergens == ["gluten", "celery"]

    # The same week again: refused with a French message on the field.
    response = staff_client.post(url, {**data, "week_start": "2032-03-01", "slug": "autre"})
    assert response.status_code == 200
    assert "existent déjà" in response.content.decode()


def test_import_preview_shows_labels_and_allergens_in_french(communication_client, public_site):
    upload = SimpleUploadedFile("menus.csv", GOOD_CSV.encode(), content_type="text/csv")
    response = communication_client.post(
        reverse("pages_menus_import"), {"index": menus_index(public_site).pk, "file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<td>Bio, Local</td><td>Moutarde</td>" in html
    assert "<td>Fait maison</td><td>Gluten, Lait, Soja</td>" in html
    assert "organic" not in html and "homemade" not in html and "mustard" not in html


def test_import_preview_warns_that_an_existing_week_gets_its_dishes_replaced(
    communication_client, public_site
):
    day = this_monday().strftime("%d/%m/%Y")
    text = f"date;type;plat\n{day};plat;Nouveau plat\n01/12/2031;plat;Gratin\n"
    upload = SimpleUploadedFile("menus.csv", text.encode(), content_type="text/csv")
    response = communication_client.post(
        reverse("pages_menus_import"), {"index": menus_index(public_site).pk, "file": upload}
    )
    html = response.content.decode()
    existing = MenuWeekPage.objects.get(week_start=this_monday())
    assert f"« {existing.title} » existe déjà" in html
    assert "remplacés" in html
    assert html.count("existe déjà") == 1  # the week of 2031 is new


def test_csv_header_may_use_the_admin_s_column_names():
    preview = menu_csv_parse(
        "Jour;Type de plat;Plat;Label;Allergène\n01/12/2031;plat;Gratin;bio;lait\n"
    )
    assert preview.errors == []
    [line] = preview.valid_lines
    assert (line.course, line.name, line.labels, line.allergens) == (
        "main",
        "Gratin",
        ["organic"],
        ["milk"],
    )
