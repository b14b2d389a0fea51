"""Staff read French: a constraint's message, never its name, an IntegrityError or a 500;
booleans as « Oui / Non » in the listings (issue 9.6, admin side)."""

import html

import pytest
from django.apps import apps
from django.db.models import BaseConstraint
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from espace_prive import admin_snippets
from espace_prive.catalogue import admin_forms
from espace_prive.catalogue.models import Service, Site, TariffGrid
from espace_prive.constraints import SQL_ONLY_CONSTRAINTS
from tests.catalogue.test_admin import grid_form

pytestmark = pytest.mark.django_db

OUR_APPS = ("espace_prive",)
DEFAULT_MESSAGE = str(BaseConstraint.default_violation_error_message)


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith(OUR_APPS)]


def _all_constraints():
    return [(model, c) for model in _our_models() for c in model._meta.constraints]


def test_every_constraint_of_the_private_area_has_a_french_message():
    constraints = _all_constraints()
    assert len(constraints) > 40
    for model, constraint in constraints:
        message = str(constraint.violation_error_message)
        label = f"{model.__name__}.{constraint.name}"
        assert message != DEFAULT_MESSAGE, f"{label} has no violation_error_message"
        assert constraint.name not in message and "contrainte" not in message.lower(), label
        assert any(c in message for c in "éèàêçû") or " " in message, label


def test_mapped_fields_exist_and_name_known_constraints():
    for model in _our_models():
        names = {c.name for c in model._meta.constraints}
        for name, field in getattr(model, "constraint_fields", {}).items():
            assert name in names, f"{model.__name__}: {name} is not one of its constraints"
            model._meta.get_field(field)


def test_every_snippet_of_the_private_area_uses_the_french_viewset():
    snippets = [m for m in get_snippet_models() if m.__module__.startswith(OUR_APPS)]
    assert {Site, Service, TariffGrid} <= set(snippets)
    for model in snippets:
        viewset = model.snippet_viewset
        assert isinstance(viewset, admin_snippets.SnippetViewSet), model
        assert issubclass(viewset.add_view_class, admin_snippets.ConstraintErrorsMixin)
        assert issubclass(viewset.edit_view_class, admin_snippets.ConstraintErrorsMixin)
        assert issubclass(viewset.index_view_class, admin_snippets.YesNoIndexView)


# --- The snippet forms, constraint by constraint ------------------------------------------


@pytest.fixture
def service():
    return Service.objects.create(
        name="Restauration scolaire", slug="cantine", kind="restauration", unit="repas"
    )


def _page(response):
    return html.unescape(response.content.decode())


def _assert_french_refusal(response, message, *, model_names):
    assert response.status_code == 200, response.status_code
    page = _page(response)
    assert message in page
    for name in model_names:
        assert name not in page
    assert "IntegrityError" not in page and "contrainte" not in page.lower()


def _constraint_names(*models):
    return [c.name for m in models for c in m._meta.constraints] + list(SQL_ONLY_CONSTRAINTS)


GRID_CASES = {
    "band-range-reversed": (
        {"bands": [(0, 500, "1.00"), (500, 400, "2.00")]},
        "doit être supérieure à « QF à partir de »",
    ),
    "bands-same-start": (
        {"bands": [(0, None, "1.00"), (0, None, "2.00")]},
        "",  # the formset or our check names the duplicate; asserted below as French
    ),
    "band-price-negative": (
        {"bands": [(0, None, "-1.00")]},
        "supérieure ou égale à 0",
    ),
    "grid-period-reversed": (
        {"bands": [(0, None, "1.00")], "valid_from": "2027-09-01", "valid_until": "2027-08-31"},
        "La fin de validité doit suivre le début de validité.",
    ),
    "grid-price-negative": (
        {"bands": [(0, None, "1.00")], "non_resident_price": "-2"},
        "supérieure ou égale à 0",
    ),
    "bands-overlapping": (
        {"bands": [(0, 600, "1.00"), (500, None, "3.20")]},
        "se chevauchent",
    ),
    "bands-gap": (
        {"bands": [(100, None, "1.00")]},
        "",
    ),
}


@pytest.mark.parametrize("case", GRID_CASES)
def test_a_tariff_grid_breaking_a_rule_is_refused_in_french(staff_client, service, case):
    values, message = GRID_CASES[case]
    fields = {k: v for k, v in values.items() if k != "bands"}
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, values["bands"], **fields))
    names = _constraint_names(TariffGrid, TariffGrid.bands.rel.related_model)
    _assert_french_refusal(response, message, model_names=names)
    assert not TariffGrid.objects.exists()


def test_a_band_error_is_shown_under_its_field(staff_client, service):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, [(0, 500, "1.00"), (500, 400, "2.00")]))
    band_form = response.context["form"].formsets["bands"].forms[1]
    assert "supérieure à « QF à partir de »" in " ".join(band_form.errors["qf_max"])


def test_duplicate_names_and_codes_are_refused_in_french(staff_client, service):
    Site.objects.create(name="École Jules Ferry", kind="ecole_elementaire")
    response = staff_client.post(
        reverse("wagtailsnippets_catalogue_site:add"),
        {"name": "École Jules Ferry", "kind": "ecole_elementaire"},
    )
    _assert_french_refusal(response, "existe déjà", model_names=_constraint_names(Site))
    response = staff_client.post(
        reverse("wagtailsnippets_catalogue_service:add"),
        {"name": "Autre cantine", "slug": "cantine", "kind": "restauration", "unit": "repas"},
    )
    _assert_french_refusal(response, "existe déjà", model_names=_constraint_names(Service))
    assert Service.objects.count() == 1


@pytest.mark.postgres
def test_a_constraint_broken_in_the_database_is_a_french_error_not_a_500(
    staff_client, service, settings, monkeypatch
):
    """The form's own checks bypassed (as in a race between two agents): the exclusion
    constraint of PostgreSQL answers, and staff read its French message."""
    if not settings.DATABASE_IS_POSTGRES:
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    monkeypatch.setattr(admin_forms, "tariff_bands_validate", lambda ranges: None)
    monkeypatch.setattr(admin_forms, "tariff_grid_period_validate", lambda **kwargs: None)
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, [(0, 600, "1.00"), (500, None, "3")]))
    message = SQL_ONLY_CONSTRAINTS["catalogue_band_no_overlap"]
    _assert_french_refusal(response, message, model_names=_constraint_names(TariffGrid))
    assert not TariffGrid.objects.exists()
    assert staff_client.post(url, grid_form(service, [(0, None, "1.00")])).status_code == 302
    response = staff_client.post(url, grid_form(service, [(0, None, "2.00")]))
    message = SQL_ONLY_CONSTRAINTS["catalogue_tariffgrid_no_overlap"]
    _assert_french_refusal(response, message, model_names=_constraint_names(TariffGrid))
    assert TariffGrid.objects.count() == 1


# --- Booleans -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        (
            "wagtailsnippets_catalogue_site:list",
            lambda: Site.objects.create(name="Gymnase", kind="equipement_sportif", is_active=False),
        ),
        (
            "wagtailsnippets_catalogue_service:list",
            lambda: Service.objects.create(
                name="Cantine", slug="c", kind="restauration", unit="repas"
            ),
        ),
    ],
)
def test_listings_show_booleans_as_oui_non(staff_client, url_name, make):
    make()
    page = _page(staff_client.get(reverse(url_name)))
    assert "True" not in page.replace('aria-hidden="true"', "") and ">\n    False" not in page
    assert "Oui" in page or "Non" in page


def _admin_model_viewsets():
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.base import ViewSetGroup
    from wagtail.admin.viewsets.model import ModelViewSet

    found = []
    for viewset in viewsets.viewsets:
        members = viewset.viewsets if isinstance(viewset, ViewSetGroup) else [viewset]
        found += [v for v in members if isinstance(v, ModelViewSet)]
    return found


def test_every_model_listing_and_inspect_view_of_ours_reads_booleans_in_french():
    """Snippets and other model viewsets alike (Wagtail's own users and groups apart)."""
    ours = [
        v
        for v in _admin_model_viewsets()
        if v.model.__module__.startswith(OUR_APPS) and not type(v).__module__.startswith("wagtail")
    ]
    ours += [m.snippet_viewset for m in get_snippet_models() if m.__module__.startswith("pages")]
    assert len(ours) >= 5
    for viewset in ours:
        assert issubclass(viewset.index_view_class, admin_snippets.YesNoColumnsMixin), viewset
        assert issubclass(viewset.inspect_view_class, admin_snippets.YesNoInspectMixin), viewset


def test_an_inspect_view_shows_a_boolean_as_oui_non():
    from espace_prive.admin_snippets import SnippetInspectView

    site = Site.objects.create(name="Gymnase", kind="equipement_sportif", is_active=False)
    view = SnippetInspectView()
    view.object = site
    assert view.get_field_display_value("is_active", Site._meta.get_field("is_active")) == "Non"
