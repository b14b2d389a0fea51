"""The Communication group edits and publishes the public site, and nothing else."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, WorkflowPage

from pages.models import HomePage, MenuWeekPage, NewsIndexPage, NewsPage
from tests.admin_access import PRIVATE_AREA_ADMIN_URLS, admin_url, assert_admin_denied
from tests.pages.helpers import week_form

pytestmark = pytest.mark.django_db


def test_communication_group_exists_with_page_image_and_document_permissions(db):
    group = Group.objects.get(name="Communication")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    assert {"change_sitesettings", "add_newscategory", "change_menugroup"} <= codenames
    assert not {"change_tariffgrid", "add_service", "change_site", "add_user"} & codenames
    root = Page.get_first_root_node()
    page_permissions = set(
        group.page_permissions.filter(page=root).values_list("permission__codename", flat=True)
    )
    assert {"add_page", "change_page", "publish_page"} <= page_permissions
    collection_permissions = set(
        group.collection_permissions.values_list("permission__codename", flat=True)
    )
    assert {
        "add_image",
        "choose_image",
        "add_document",
        "choose_document",
    } <= collection_permissions


def test_communication_moderates_submissions(db):
    workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
    tasks = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow)
    assert tasks.filter(groups__name="Communication").exists()


def test_the_moderation_workflow_is_named_in_french(communication_client, public_site):
    """Editors read « Soumettre à Validation Communication », not Wagtail's English name."""
    workflow = WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow
    assert workflow.name == "Validation Communication"
    assert [task.name for task in workflow.tasks] == ["Validation Communication"]
    news = NewsPage.objects.live().first()
    html = communication_client.get(reverse("wagtailadmin_pages:edit", args=[news.pk])).content
    assert "Moderators approval" not in html.decode()


@pytest.mark.parametrize(("name", "args"), PRIVATE_AREA_ADMIN_URLS)
def test_communication_is_denied_the_private_area_admin(communication_client, name, args):
    assert_admin_denied(communication_client, admin_url(name, args))


def test_the_denial_check_would_catch_an_allowed_view(staff_client):
    """Control: a superuser passes, so assert_admin_denied fails on these URLs."""
    name, args = PRIVATE_AREA_ADMIN_URLS[0]
    with pytest.raises(AssertionError):
        assert_admin_denied(staff_client, admin_url(name, args))


def test_communication_does_not_see_the_private_area_in_the_admin_menu(communication_client):
    html = communication_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Grilles tarifaires" not in html
    assert reverse("wagtailusers_users:index") not in html


def test_communication_edits_and_publishes_a_news(communication_client, public_site):
    index = NewsIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=("pages", "newspage", index.pk))
    assert communication_client.get(url).status_code == 200
    data = {
        "title": "Fête de l'école",
        "slug": "fete-de-l-ecole",
        "date": "2026-12-12",
        "intro": "Rendez-vous le 12 décembre.",
        "body-count": "0",
        "action-publish": "publish",
    }
    response = communication_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    page = NewsPage.objects.get(slug="fete-de-l-ecole")
    assert page.live and page.owner.email == "communication@example.test"


def test_communication_opens_the_editor_of_a_menu_week_and_a_service(
    communication_client, public_site
):
    from pages.models import ServicePage

    for page in (MenuWeekPage.objects.first(), ServicePage.objects.first()):
        response = communication_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200


def test_communication_edits_site_settings(communication_client, public_site):
    from wagtail.models import Site

    url = reverse("wagtailsettings:edit", args=("pages", "sitesettings", Site.objects.get().pk))
    assert communication_client.get(url).status_code == 200


def test_preview_renders_a_draft(staff_client, public_site):
    page = NewsPage.objects.get(slug="cantine-produits-locaux")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    data = {
        "title": "Titre en aperçu",
        "slug": page.slug,
        "date": "2026-11-16",
        "intro": page.intro,
        "body-count": "0",
    }
    assert staff_client.post(url, data).json()["is_valid"]
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Titre en aperçu" in response.content.decode()
    assert NewsPage.objects.get(pk=page.pk).title != "Titre en aperçu"


def test_scheduled_publication_goes_live_and_invalidates_the_cache(
    client, public_site, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command

    index = NewsIndexPage.objects.get()
    page = NewsPage(
        title="Annonce programmée", date=datetime.date(2026, 12, 1), intro="Bientôt", live=False
    )
    index.add_child(instance=page)
    go_live = timezone.now() + datetime.timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(approved_go_live_at=go_live).publish()
    page.refresh_from_db()
    assert not page.live
    assert "Annonce programmée" not in client.get("/actualites/").content.decode()

    later = go_live + datetime.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert "Annonce programmée" in client.get("/actualites/").content.decode()


def test_submitting_for_moderation_starts_the_workflow(public_site):
    from tests.factories import make_staff

    editor = make_staff(email="redacteur@example.test")
    page = HomePage.objects.get()
    workflow = page.get_workflow()
    assert workflow is not None
    workflow_state = workflow.start(page, editor)
    task = workflow_state.current_task_state.task.specific
    assert task.groups.filter(name="Communication").exists()


def test_preview_of_a_new_menu_week(staff_client, public_site):
    from pages.models import MenusIndexPage

    index = MenusIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:preview_on_add", args=("pages", "menuweekpage", index.pk))
    data = week_form("2032-03-03", (3, "main", "Couscous de légumes", ["vegetarian"], ["gluten"]))
    assert staff_client.post(url, data).json()["is_valid"]
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Couscous de légumes" in html and "Végétarien" in html
    assert not MenuWeekPage.objects.filter(week_start=datetime.date(2032, 3, 1)).exists()


def test_a_private_area_role_opens_the_gate(db):
    """Control for the 403: a non-superuser holding a private-area permission gets in."""
    from django.test import Client

    from tests.conftest import sign_in
    from tests.factories import make_staff_with_perms

    agent = make_staff_with_perms(
        "demandes.view_changerequest", email="agent.demandes@example.test"
    )
    response = sign_in(Client(), agent).get(admin_url("demandes_admin:index"))
    assert response.status_code == 200


def test_the_denial_page_is_in_french_inside_the_admin(communication_client):
    response = communication_client.get(admin_url("families_admin:index"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>Accès refusé" in html or "Accès refusé" in html.split("</title>")[0]
    assert reverse("wagtailadmin_home") in html


def test_editors_keep_viewing_services_and_sites_but_cannot_add_them(communication_client):
    """Services and sites are picked on public pages; adding one is Wagtail's refusal."""
    assert (
        communication_client.get(admin_url("wagtailsnippets_catalogue_service:list")).status_code
        == 200
    )
    response = communication_client.get(admin_url("wagtailsnippets_catalogue_site:add"))
    assert response.status_code == 302
