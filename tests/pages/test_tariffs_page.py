import pytest

from tests.reading import text

pytestmark = pytest.mark.django_db


def test_tariffs_page_shows_every_services_grid(client, public_site):
    html = text(client.get("/tarifs/"))
    for service in public_site.objects["services"].values():
        assert service.name in html
    assert "moins de 500 €" in html and "1500 € et plus" in html
    assert "Familles hors commune" in html
    assert "4,90\u00a0€" in html  # restauration, QF ≥ 1500


def test_simulator_gives_the_unit_price_of_each_service(client, public_site):
    response = client.get("/tarifs/", {"quotient": "850", "residence": "commune"})
    html = text(response)
    assert response.status_code == 200
    assert "Vos prix pour un QF de 850" in html
    assert "3,20\u00a0€ le repas" in html  # restauration: band 800–1099
    assert "1,70\u00a0€ la séance" in html  # périscolaire


def test_simulator_accepts_spaces_in_the_quotient(client, public_site):
    html = text(client.get("/tarifs/", {"quotient": "1 250", "residence": "commune"}))
    assert "Vos prix pour un QF de 1250" in html
    assert "4,10\u00a0€ le repas" in html


@pytest.mark.parametrize(
    ("typed", "shown", "price"),
    [
        ("850,5", "850,5", "3,20\u00a0€ le repas"),  # restauration: band 800–1099
        ("850.5", "850,5", "3,20\u00a0€ le repas"),
        ("1 234,50", "1234,50", "4,10\u00a0€ le repas"),  # band 1100–1499
        ("1\u202f234,50", "1234,50", "4,10\u00a0€ le repas"),
        ("1499,99", "1499,99", "4,10\u00a0€ le repas"),
        ("1500,00", "1500", "4,90\u00a0€ le repas"),
    ],
)
def test_simulator_accepts_a_quotient_with_a_french_decimal_comma(
    client, public_site, typed, shown, price
):
    response = client.get("/tarifs/", {"quotient": typed, "residence": "commune"})
    html = text(response)
    assert response.status_code == 200
    assert f"Vos prix pour un QF de {shown}" in html
    assert price in html


def test_simulator_without_quotient_uses_the_no_qf_rate(client, public_site):
    html = text(client.get("/tarifs/", {"quotient": "", "residence": "commune"}))
    assert "sans quotient familial à jour" in html
    assert "5,10\u00a0€ le repas" in html  # specific rate
    assert "2,70\u00a0€ la séance" in html  # highest band when no specific rate


def test_simulator_defaults_to_residents(client, public_site):
    html = text(client.get("/tarifs/", {"quotient": "300"}))
    assert "Vos prix pour un QF de 300" in html
    assert "1,00\u00a0€ le repas" in html


def test_simulator_for_non_residents(client, public_site):
    html = text(client.get("/tarifs/", {"quotient": "300", "residence": "exterieur"}))
    assert "hors commune" in html
    assert "6,50\u00a0€ le repas" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"quotient": "-12"}, "Le quotient familial ne peut pas être négatif."),
        ({"quotient": "huit cents"}, "Le quotient familial est un nombre, par exemple 850"),
        ({"quotient": "850,5,2"}, "Le quotient familial est un nombre, par exemple 850"),
        ({"quotient": "1.234,50"}, "Le quotient familial est un nombre, par exemple 850"),
        ({"quotient": "١٢٣"}, "Le quotient familial est un nombre, par exemple 850"),
        ({"quotient": "1000000"}, "Ce quotient familial semble trop élevé"),
        ({"quotient": "8" * 40}, "Assurez-vous que cette valeur comporte au plus 20 caractères"),
        ({"quotient": "850", "residence": "lune"}, "Indiquez si vous habitez la commune ou une"),
    ],
)
def test_simulator_bad_input_gets_a_french_error_next_to_the_field(
    client, public_site, params, message
):
    response = client.get("/tarifs/", params)
    assert response.status_code == 400
    html = text(response)
    assert message in html
    assert "Le formulaire contient 1 erreur" in html
    assert "Vos prix" not in html
