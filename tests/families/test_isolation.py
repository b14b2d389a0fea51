"""Family B walks every page and API route of the family file with family A's ids.

The routes are read from the URL resolver, so a route added later is walked too; a
route with a parameter this test does not know fails it until it is classified here.
"""

import io
import json
import zipfile

import pytest
from django.test import Client
from rest_framework.test import APIClient

from espace_prive.billing.models import CardCheckout, Payment
from espace_prive.bookings.models import AbsenceDeclaration, Booking, Enrolment
from espace_prive.demandes.models import ChangeRequest
from espace_prive.documents.models import Document
from espace_prive.messaging.models import Message
from tests.routes import routes_of_modules, url_of

pytestmark = pytest.mark.django_db

# Modules whose routes belong to the family file and its requests.
OUR_MODULES = (
    "espace_prive.views",
    "espace_prive.families.views",
    "espace_prive.demandes.views",
    "espace_prive.documents.views",
    "espace_prive.messaging.views",
    "espace_prive.bookings.views",
    "api.families.views",
    "api.documents.views",
    "api.messaging.views",
    "api.bookings.views",
    "api.bookings.sessions",
    "espace_prive.bookings.feed.views",
    "espace_prive.billing.document_views",
    "espace_prive.billing.family_views",
    "espace_prive.kitchen.views",
    "api.billing.views",
)
OBJECT_PARAMS = {
    "child_id",
    "guardian_id",
    "person_id",
    "request_id",
    "public_id",
    "family_id",
    "family_document_id",
    "thread_id",
    "attachment_id",
    "enrolment_id",
    "booking_id",
    "absence_id",
    "invoice_id",
}
# The staff side of the same apps (Wagtail admin): a family never enters it.
STAFF_MODULES = (
    "espace_prive.families.admin_views",
    "espace_prive.demandes.admin_views",
    "espace_prive.documents.admin_views",
    "espace_prive.messaging.admin_views",
    "espace_prive.bookings.admin_views",
    "espace_prive.kitchen.admin_views",
    "espace_prive.attendance.admin_views",
    "api.attendance.views",
)
API_METHODS = ("get", "post", "put", "patch", "delete")
# Reached without a session: the preregistration sheet; the agenda feed, whose secret
# token is the only key (tests/bookings/test_calendar_feed.py).
PUBLIC_ROUTES = {"espace_prive:families:preregistration_sheet", "calendar_feed"}


def our_routes(modules=OUR_MODULES):
    """(namespaced name, parameter names, route) of every route of our modules (read from
    the resolver by ``tests.routes``)."""
    for route in routes_of_modules(modules):
        yield route.name, route.params, route


def _url(route, secrets):
    try:
        return url_of(route, secrets["ids"])
    except LookupError as error:
        pytest.fail(str(error))


def _readable(response):
    """Everything a response says, zip members and streamed files included."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if response.get("Content-Type") == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def test_every_route_is_walked(secrets_of_a):
    names = {name for name, _params, _callback in our_routes()}
    # A sample of what must be there: if the walk found nothing, the test would be empty.
    assert {
        "espace_prive:home",
        "espace_prive:families:child",
        "espace_prive:families:child_photo",
        "espace_prive:families:child_sheet_complete",
        "espace_prive:demandes:detail",
        "espace_prive:demandes:file",
        "api:child-detail",
        "api:child-health-record",
        "api:request-detail",
        "api:request-cancel",
        "espace_prive:documents:file",
        "espace_prive:documents:delete",
        "espace_prive:messaging:thread",
        "espace_prive:messaging:attachment",
        "api:document-detail",
        "api:document-file",
        "api:document-replace",
        "api:thread-messages",
        "api:thread-read",
        "api:attachment-detail",
        "api:enrolment-detail",
        "api:enrolment-withdraw",
        "api:child-agenda",
        "api:child-sessions",
        "api:booking-session",
        "api:booking-detail",
        "api:booking-cancel",
        "api:absence-detail",
        "api:absence-certificate",
        "espace_prive:bookings:agenda",
        "espace_prive:bookings:book",
        "espace_prive:bookings:cancel",
        "espace_prive:bookings:pattern",
        "espace_prive:bookings:session_book",
        "espace_prive:bookings:enrolment_withdraw",
        "espace_prive:bookings:absence_certificate",
        "espace_prive:billing:invoice_pdf",
        "espace_prive:billing:statement",
        "espace_prive:billing:invoice",
        "espace_prive:billing:pay_invoice",
        "espace_prive:billing:pay_balance",
        "espace_prive:kitchen:menus",
        "espace_prive:kitchen:child_menus",
        "espace_prive:billing:tax_certificates",
        "espace_prive:billing:tax_certificate_pdf",
        "api:invoice-list",
        "api:invoice-detail",
        "api:statement",
        "api:payment-list",
        "api:payment-checkout",
        "api:invoice-pdf",
        "api:credit-note-list",
        "api:tax-certificate-list",
        "api:tax-certificate-detail",
        "api:tax-certificate-pdf",
    } <= names
    assert len(names) >= 30


def test_family_b_gets_404_and_nothing_of_family_a_on_every_route(secrets_of_a, family_b, family_a):
    page_client = Client()
    page_client.force_login(family_b.user)
    api_client = APIClient()
    api_client.force_authenticate(family_b.user)
    before = ChangeRequest.objects.count()
    documents_before, messages_before = Document.objects.count(), Message.objects.count()
    bookings_before = list(Booking.objects.values_list("pk", "state"))
    enrolments_before = list(Enrolment.objects.values_list("pk", "state"))
    absences_before = AbsenceDeclaration.objects.count()
    payments_before, checkouts_before = Payment.objects.count(), CardCheckout.objects.count()
    walked = 0
    for name, params, route in our_routes():
        if name in PUBLIC_ROUTES:
            continue
        client = api_client if name.startswith("api:") else page_client
        url = _url(route, secrets_of_a)
        for method in API_METHODS if name.startswith("api:") else ("get", "post"):
            response = getattr(client, method)(url, {"mobile_phone": "07 00 00 00 00"})
            walked += 1
            content = _readable(response)
            for word in secrets_of_a["words"]:
                assert word not in content, f"{method.upper()} {url} shows {word!r}"
            if set(params) & OBJECT_PARAMS:
                # An object of family A in the path: as if it did not exist.
                assert response.status_code in (404, 405), (method, url, response.status_code)
                if name.startswith("api:") and response.status_code == 404:
                    assert json.loads(content)["error"]["code"] == "not_found"
    assert walked >= 100
    assert ChangeRequest.objects.count() == before  # nothing was created for anybody
    assert Document.objects.count() == documents_before
    assert Message.objects.count() == messages_before
    assert list(Booking.objects.values_list("pk", "state")) == bookings_before
    assert list(Enrolment.objects.values_list("pk", "state")) == enrolments_before
    assert AbsenceDeclaration.objects.count() == absences_before
    assert (Payment.objects.count(), CardCheckout.objects.count()) == (
        payments_before,
        checkouts_before,
    )
    family_a.family.refresh_from_db()
    assert family_a.family.reference == "SECRET-A-0001"


def test_family_a_itself_reaches_those_routes(secrets_of_a, client_a, family_a):
    """The control: the same ids work for their owner, so the 404s above mean isolation."""
    api_client = APIClient()
    api_client.force_authenticate(family_a.user)
    for name, params, route in our_routes():
        if not set(params) & OBJECT_PARAMS:
            continue
        client = api_client if name.startswith("api:") else client_a
        url = _url(route, secrets_of_a)
        response = client.get(url)
        post_only = {
            "api:request-cancel",
            "api:document-replace",
            "api:thread-read",
            "api:enrolment-withdraw",
            "api:booking-cancel",
            "espace_prive:bookings:book",
            "espace_prive:bookings:cancel",
            "espace_prive:bookings:session_book",
            "espace_prive:billing:pay_invoice",
        }
        expected = (405,) if name in post_only else (200,)
        assert response.status_code in expected, (url, response.status_code)


def test_the_staff_routes_of_the_same_apps_are_walked_too(secrets_of_a):
    names = {name for name, _params, _callback in our_routes(modules=STAFF_MODULES)}
    assert {
        "families_admin:family",
        "families_admin:anonymise",
        "families_admin:health",
        "demandes_admin:detail",
        "demandes_admin:file",
        "attendance_admin:tablet",
        "attendance_admin:reopen",
        "attendance_admin:photo",
        "kitchen_admin:meals",
        "kitchen_admin:occupancy_csv",
        "api:staff-day-register",
        "api:staff-day-register-close",
    } <= names


def test_family_b_never_enters_the_staff_routes(secrets_of_a, family_b, family_a):
    """As a family (not staff), every admin route of the family file and of the requests
    sends to the login, with none of family A's data, and changes nothing."""
    client = Client()
    client.force_login(family_b.user)
    before = ChangeRequest.objects.count()
    walked = 0
    for _name, _params, route in our_routes(modules=STAFF_MODULES):
        url = _url(route, secrets_of_a)
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"confirm": "SECRET-A-0001", "action": "accepter", "reason": "x"}
            )
            walked += 1
            assert response.status_code in (302, 403), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (url, response["Location"])
            content = _readable(response)
            for word in secrets_of_a["words"]:
                assert word not in content, f"{method.upper()} {url} shows {word!r}"
    assert walked >= 20
    assert ChangeRequest.objects.count() == before
    family_a.family.refresh_from_db()
    assert family_a.family.anonymised_at is None


# The routes of one site's registers (admin pages and API): their site is in the URL.
SITE_MODULES = ("espace_prive.attendance.admin_views", "api.attendance.views")


def test_an_animator_of_another_site_gets_404_on_every_register_route(secrets_of_a):
    """An « Animateur » (health right included, and the reopening right so that no
    permission check answers first) assigned to another site walks every register route
    of family A's site and child: 404 for each GET and POST, none of A's data, nothing
    written; an animator of A's site reaches the same pages."""
    from django.contrib.auth.models import Group, Permission

    from espace_prive.attendance.models import Mark, Register, SiteAssignment
    from espace_prive.catalogue.models import Site
    from tests.conftest import sign_in
    from tests.factories import make_site, make_staff

    def animator(site, email):
        user = make_staff(email=email)
        user.groups.add(Group.objects.get(name="Animateurs habilités santé"))
        SiteAssignment.objects.create(user=user, site=site)
        return user

    other = animator(make_site(), "animateur-b@example.test")
    other.user_permissions.add(Permission.objects.get(codename="reopen_register"))
    stranger = sign_in(APIClient(), type(other).objects.get(pk=other.pk))
    walked = 0
    for _name, params, route in our_routes(modules=SITE_MODULES):
        url = _url(route, secrets_of_a)
        for method in ("get", "post"):
            response = getattr(stranger, method)(
                url, {"action": "present", "child": str(secrets_of_a["ids"]["child_id"])}
            )
            walked += 1
            expected = (200, 405) if not params else (404, 405)
            assert response.status_code in expected, (method, url, response.status_code)
            content = _readable(response)
            for word in secrets_of_a["words"]:
                assert word not in content, f"{method.upper()} {url} shows {word!r}"
    assert walked >= 20
    assert not Register.objects.exists() and not Mark.objects.exists()
    site = Site.objects.get(public_id=secrets_of_a["ids"]["site_id"])
    own = sign_in(APIClient(), animator(site, "animateur-a@example.test"))
    for name in ("list", "tablet", "pdf"):
        route = next(r for r in routes_of_modules(SITE_MODULES) if r.short_name == name)
        assert own.get(_url(route, secrets_of_a)).status_code == 200, name
    route = next(r for r in routes_of_modules(SITE_MODULES) if r.name == "api:staff-day-register")
    assert "Zéphyrine" in own.get(_url(route, secrets_of_a)).content.decode()
