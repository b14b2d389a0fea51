"""Form fields render valid HTML on every page of the espace famille (issue 9.8):
exactly one ``type`` per input, phone fields ``type="tel"`` with ``autocomplete="tel"``."""

from html.parser import HTMLParser

import pytest

from tests.families.test_isolation import _url, our_routes
from tests.test_head import _parameterless_routes

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(attrs)


def _inputs(response):
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser.inputs


def _check(path, response):
    inputs = _inputs(response)
    for attrs in inputs:
        names = [name for name, _value in attrs]
        assert names.count("type") <= 1, f"{path}: {attrs}"
        assert len(names) == len(set(names)), f"{path}: repeated attribute in {attrs}"
        values = dict(attrs)
        if "phone" in (values.get("name") or ""):
            assert values.get("type") == "tel", f"{path}: {attrs}"
            assert values.get("autocomplete") == "tel", f"{path}: {attrs}"
    return inputs


def test_every_form_of_the_espace_famille_renders_valid_inputs(secrets_of_a, client_a):
    pages, phones = 0, 0
    paths = [p for _n, p in _parameterless_routes() if p.startswith("/espace-famille/")]
    for name, params, route in our_routes():
        if params and not name.startswith("api"):
            paths.append(_url(route, secrets_of_a))
    for path in sorted(set(paths)):
        response = client_a.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        inputs = _check(path, response)
        pages += 1
        phones += sum("phone" in (dict(a).get("name") or "") for a in inputs)
    assert pages > 10 and phones >= 3  # guardian phones, at least


def test_the_pre_registration_phone_is_a_tel_input(client):
    response = client.get("/espace-famille/compte/pre-inscription/")
    inputs = _check("pré-inscription", response)
    assert any(dict(a).get("name") == "mobile_phone" for a in inputs)
