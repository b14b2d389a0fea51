"""Personalised news on the family home: news aimed at the children's schools first,
then general news; never news aimed only at other schools. The private area reads them
through the provider ``pages`` registers (``espace_prive.home_news``)."""

import datetime

import pytest
from django.urls import reverse

from espace_prive.families.models import Child
from tests.factories import make_site
from tests.pages.helpers import add_news, news_index
from tests.reading import text

pytestmark = pytest.mark.django_db


def test_the_home_shows_news_for_the_children_s_school_then_general_news(
    public_site, client_a, family_a
):
    school, other = make_site(name="École du Parc"), make_site(name="École du Lac")
    Child.objects.filter(family=family_a.family).update(school=school)
    index = news_index(public_site)
    for page in index.get_children():  # start from no news at all
        page.delete()
    aimed = add_news(index, "Kermesse du Parc", date=datetime.date(2026, 1, 1))
    aimed.target_sites.set([school])
    aimed.save_revision().publish()
    elsewhere = add_news(index, "Sortie du Lac", date=datetime.date(2026, 3, 1))
    elsewhere.target_sites.set([other])
    elsewhere.save_revision().publish()
    add_news(index, "Inscriptions d'été", date=datetime.date(2026, 2, 1))
    page = text(client_a.get(reverse("espace_prive:home")))
    assert "Actualités" in page
    assert page.index("Kermesse du Parc") < page.index("Inscriptions d'été")
    assert "Sortie du Lac" not in page


def test_news_aimed_at_a_service_reach_the_families_enrolled_in_it(
    public_site, client_a, client_b, family_a, family_b
):
    from espace_prive.bookings.models import Enrolment
    from tests.bookings.factories import make_calendar, make_enrolment

    canteen, leisure = make_calendar(current=True), make_calendar(current=True)
    make_enrolment(child=family_a.child, calendar=canteen)
    make_enrolment(child=family_b.child, calendar=canteen, state=Enrolment.State.PENDING)
    index = news_index(public_site)
    for page in index.get_children():
        page.delete()
    aimed = add_news(index, "Menu de Noël à la cantine", date=datetime.date(2026, 1, 1))
    aimed.target_services.set([canteen["service"]])
    aimed.save_revision().publish()
    other = add_news(index, "Stage de cirque", date=datetime.date(2026, 3, 1))
    other.target_services.set([leisure["service"]])
    other.save_revision().publish()
    add_news(index, "Inscriptions d'été", date=datetime.date(2026, 2, 1))
    page = text(client_a.get(reverse("espace_prive:home")))
    assert page.index("Menu de Noël à la cantine") < page.index("Inscriptions d'été")
    assert "Stage de cirque" not in page
    # A request not yet accepted is not an enrolment: only general news.
    page = text(client_b.get(reverse("espace_prive:home")))
    assert "Inscriptions d'été" in page
    assert "Menu de Noël à la cantine" not in page and "Stage de cirque" not in page
