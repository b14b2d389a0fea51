"""« Pièces à fournir » on the family home: for the services the children are enrolled in
or asking for (never the others), what is missing, refused, expired or awaiting review,
each linked to the page that sends it; the same number of queries for 1 or 5 children."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from espace_prive.bookings.models import Enrolment
from espace_prive.documents.models import RequiredDocument, ReviewState
from tests.bookings.factories import current_school_year_bounds, make_calendar, make_enrolment
from tests.factories import document_type, make_child, make_document
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db

# The home reads the real clock: the school year holding today, whatever the date.
YEAR = current_school_year_bounds()[0]


def plain(markup):
    return " ".join(strip_tags(markup).split())


def require(service, *codes):
    for code in codes:
        RequiredDocument.objects.create(
            service=service, document_type=document_type(code), school_year_start=YEAR
        )


def pieces(page):
    start = page.index('id="titre-pieces"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def canteen():
    calendar = make_calendar(current=True)
    require(
        calendar["service"], "attestation_assurance", "justificatif_domicile", "avis_imposition"
    )
    return calendar


def test_pieces_list_the_enrolled_services_with_their_state_and_a_link(client_a, family_a, canteen):
    family, user = family_a
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen)
    not_enrolled = make_calendar(current=True)
    require(not_enrolled["service"], "jugement_garde")
    today = timezone.localdate()
    expired = make_document(
        family=family, actor=user, code="attestation_assurance", child=child,
        expires_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    pending = make_document(family=family, actor=user, code="justificatif_domicile")
    page = pieces(text(client_a.get(reverse("espace_prive:home"))))
    assert canteen["service"].name in page and f"{YEAR.year}-{YEAR.year + 1}" in page
    assert not_enrolled["service"].name not in page and "Jugement de garde" not in page
    assert "Attestation d'assurance — " + child.first_name + " : Expiré" in plain(page)
    assert reverse("espace_prive:documents:replace", args=[expired.public_id]) in page
    assert "Justificatif de domicile : Envoyé, en attente de vérification" in plain(page)
    assert reverse("espace_prive:documents:replace", args=[pending.public_id]) in page
    assert "Avis d'imposition : À fournir" in plain(page)
    assert reverse("espace_prive:documents:upload") + "?type=avis_imposition" in page


def test_a_pending_enrolment_counts_a_refused_or_ended_one_does_not(client_a, family_a, canteen):
    family = family_a.family
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen, state=Enrolment.State.REFUSED)
    assert 'id="titre-pieces"' not in text(client_a.get(reverse("espace_prive:home")))
    make_enrolment(child=child, calendar=canteen, state=Enrolment.State.PENDING)
    page = text(client_a.get(reverse("espace_prive:home")))
    assert "Avis d'imposition : À fournir" in plain(page)


def test_accepted_documents_leave_the_list(client_a, family_a, canteen):
    family, user = family_a
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen)
    for code, kid in (
        ("attestation_assurance", child),
        ("justificatif_domicile", None),
        ("avis_imposition", None),
    ):
        make_document(
            family=family, actor=user, code=code, child=kid, state=ReviewState.ACCEPTED,
            reviewed_at=timezone.now(),
        )  # fmt: skip
    assert 'id="titre-pieces"' not in text(client_a.get(reverse("espace_prive:home")))


def test_a_per_child_document_is_asked_for_the_enrolled_children_only(client_a, family_a, canteen):
    family = family_a.family
    enrolled = family.children.get()
    other = make_child(family=family, first_name="Zoé")
    make_enrolment(child=enrolled, calendar=canteen)
    page = pieces(text(client_a.get(reverse("espace_prive:home"))))
    assert f"Attestation d'assurance — {enrolled.first_name}" in page
    assert "Zoé" not in page
    link = f"?type=attestation_assurance&enfant={enrolled.public_id}"
    assert link in page
    assert str(other.public_id) not in page


def test_the_upload_page_opens_with_the_type_and_the_child_chosen(client_a, family_a, family_b):
    child = family_a.child
    page = client_a.get(
        reverse("espace_prive:documents:upload"),
        {"type": "attestation_assurance", "enfant": str(child.public_id)},
    ).content.decode()
    chosen = document_type("attestation_assurance").pk
    assert f'<option value="{chosen}" selected>' in page
    assert f'<option value="{child.pk}" selected>' in page
    foreign = family_b.child
    page = client_a.get(
        reverse("espace_prive:documents:upload"),
        {"type": "passeport", "enfant": str(foreign.public_id)},
    ).content.decode()
    assert "selected>" not in page.replace('value="" selected>', "")
    assert (
        client_a.get(
            reverse("espace_prive:documents:upload"), {"enfant": "pas-un-uuid"}
        ).status_code
        == 200
    )


def test_the_home_costs_the_same_for_one_child_or_five_in_two_services(client_a, family_a, canteen):
    family, user = family_a
    make_enrolment(child=family.children.get(), calendar=canteen)
    count_get(client_a, reverse("espace_prive:home"))  # warm caches
    one = count_get(client_a, reverse("espace_prive:home"))
    leisure = make_calendar(current=True)
    require(leisure["service"], "certificat_medical")
    for n in range(4):
        kid = make_child(family=family, first_name=f"Enfant{n}")
        make_enrolment(child=kid, calendar=canteen)
        make_enrolment(child=kid, calendar=leisure, state=Enrolment.State.PENDING)
        make_document(family=family, actor=user, code="attestation_assurance", child=kid)
    page = pieces(text(client_a.get(reverse("espace_prive:home"))))
    assert leisure["service"].name in page and "Enfant3" in page
    assert count_get(client_a, reverse("espace_prive:home")) == one
