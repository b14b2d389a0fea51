"""The billing journey (issue 13): staff issue the month in the admin (create, draft,
issue), the family sees the invoice with its previous balance, pays by card on the
stand-in Checkout page, the signed webhook arrives, the statement shows the payment
and a zero balance. axe on every family page, at phone and desktop width."""

import re

import pytest
from django.test import Client
from django.utils.formats import number_format
from playwright.sync_api import expect

from espace_prive.billing import services
from espace_prive.billing.models import CardCheckout, Payment
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.billing.fake_stripe import FakeStripe, signed_event
from tests.billing.family_helpers import MONTHS, issue_month, with_login
from tests.factories import make_staff

from .conftest import live_db
from .test_famille_demandes import _staff_page

SECRET = "whsec_browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def euros(amount):
    return f"{number_format(amount, 2)} €"


@pytest.fixture
def stripe_pages(monkeypatch, settings):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_browser")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    with FakeStripe(serve_pages=True) as fake:
        settings.STRIPE_API_BASE = fake.url
        settings.STRIPE_CHECKOUT_ORIGIN = fake.url
        yield fake


@live_db
def test_staff_issue_the_month_the_family_pays_by_card_and_the_balance_is_zero(
    live_server, page, browser, login_as, assert_accessible, stripe_pages
):
    def check(page):
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            assert_accessible(page)

    setup = make_billing_setup()
    family = make_billed_family(calendar=setup)
    user = with_login(family)
    november = issue_month(setup, family, MONTHS[2])  # unpaid: December's previous balance
    assert MONTHS[3] == DECEMBER
    for day in school_days(DECEMBER, count=3):
        book(family.children.get(), setup, day)

    # Staff: a new run for December, its draft, then issue.
    staff = make_staff(email="agent-facturation@example.test", superuser=True)
    admin = _staff_page(browser, live_server, staff)
    admin.goto(live_server.url + "/admin/facturation/")
    admin.locator("#id_regie").select_option(label=setup["regie"].name)
    admin.locator("#id_month").fill("2026-12")
    admin.get_by_role("checkbox", name=str(setup["service"])).check()
    admin.get_by_role("button", name="Créer la facturation").click()
    admin.get_by_role("button", name="Calculer le brouillon").click()
    admin.get_by_role("button", name="Émettre les factures").click()
    expect(admin.get_by_text("Émise le", exact=False).first).to_be_visible()
    december = family.invoices.get(month=DECEMBER)
    assert december.number and december.previous_balance == november.total
    due = november.total + december.total

    # The family: its invoices, the December one with the previous balance.
    login_as(user)
    page.goto(live_server.url + "/espace-famille/")
    expect(page.get_by_text(f"Solde : {euros(due)}")).to_be_visible()
    page.get_by_role("navigation", name="Espace famille").get_by_role(
        "link", name="Mes factures"
    ).click()
    expect(page.get_by_role("heading", name="Mes factures", level=1)).to_be_visible()
    check(page)
    page.get_by_role("link", name=december.number).first.click()
    expect(page.get_by_text("Solde antérieur", exact=True)).to_be_visible()
    expect(page.get_by_text(euros(november.total)).first).to_be_visible()
    check(page)

    # « Payer » the balance: the stand-in Checkout page, then back to the portal.
    page.get_by_role("link", name="Mes factures").first.click()
    page.get_by_role("button", name=re.compile(r"^Payer .* par carte")).click()
    expect(page.get_by_role("heading", name=f"Paiement de {euros(due)}")).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_text("Paiement en cours de confirmation")).to_be_visible()
    check(page)
    assert not Payment.objects.exists()

    # Stripe's signed webhook arrives: the payment is recorded.
    checkout = CardCheckout.objects.get(family=family)
    payload, signature = signed_event(stripe_pages.sessions[checkout.session_id], SECRET)
    response = Client().post(
        f"/espace-famille/paiement/stripe/webhook/{setup['regie'].public_id}/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.status_code == 200
    assert services.family_balance(regie=setup["regie"], family=family) == 0

    page.reload()
    expect(page.get_by_text(f"Paiement de {euros(due)} enregistré")).to_be_visible()
    page.get_by_role("link", name="Voir mes factures et mon relevé de compte").click()
    expect(page.get_by_role("heading", name=f"Solde : {euros(0)}")).to_be_visible()
    expect(page.get_by_text("Paiement (Carte bancaire (en ligne))")).to_be_visible()
    check(page)
