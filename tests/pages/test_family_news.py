"""Personalised news on the family home: news aimed at the children's schools first,
then general news; never news aimed only at other schools. The private area reads them
through the provider ``pages`` registers (``espace_prive.home_news``)."""

import datetime

import pytest
from django.urls import reverse

from espace_prive.families.models import Child
from tests.factories import make_site
from tests.pages.helpers import add_news, html_of, news_index

pytestmark = pytest.mark.django_db


def test_the_home_shows_news_for_the_children_s_school_then_general_news(
    public_site, client_a, family_a
):
    school, other = make_site(name="École du Parc"), make_site(name="École du Lac")
    Child.objects.filter(family=family_a[0]).update(school=school)
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
    page = html_of(client_a.get(reverse("espace_prive:home")))
    assert "Actualités" in page
    assert page.index("Kermesse du Parc") < page.index("Inscriptions d'été")
    assert "Sortie du Lac" not in page
