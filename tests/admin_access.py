"""Admin views of the private area that a member of the Communication group (who edits
the public site) must never reach.

Other features add their admin URLs to ``PRIVATE_AREA_ADMIN_URLS`` (URL names resolved
lazily, with their arguments); ``tests/pages/test_permissions.py`` checks each of them
with ``assert_admin_denied``. The 403 comes from ``espace_prive.admin_gate``.
"""

from django.urls import reverse

# (URL name, args): the tariff grids (editors may view services and sites, to pick them
# on pages, not add or change them: Wagtail's own permission check), the users.
PRIVATE_AREA_ADMIN_URLS = [
    ("wagtailsnippets_catalogue_tariffgrid:list", ()),
    ("wagtailsnippets_catalogue_tariffgrid:add", ()),
    ("wagtailsnippets_catalogue_tariffgrid:edit", (1,)),
    ("wagtailusers_users:index", ()),
    ("wagtailusers_users:add", ()),
    ("wagtailusers_groups:index", ()),
    # Accounts: import, invitations, pré-inscriptions.
    ("accounts_admin:import", ()),
    ("accounts_admin:invitations", ()),
    ("accounts_admin:partner_invite", ()),
    ("accounts_admin:registrations", ()),
    ("journal_securite:index", ()),
    # A pré-inscription's review page (listed in the requests queue); denied before lookup.
    ("accounts_admin:registration", ("00000000-0000-4000-8000-000000000000",)),
    # The family file and the requests queue.
    ("families_admin:index", ()),
    ("demandes_admin:index", ()),
    # Documents and messages of the families, and their reference data.
    ("documents_admin:index", ()),
    ("documents_admin:detail", ("00000000-0000-4000-8000-000000000000",)),
    ("messaging_admin:index", ()),
    ("messaging_admin:broadcast", ()),
    ("messaging_admin:thread", ("00000000-0000-4000-8000-000000000000",)),
    ("wagtailsnippets_documents_documenttype:list", ()),
    ("wagtailsnippets_documents_requireddocument:list", ()),
    ("wagtailsnippets_messaging_replytemplate:list", ()),
    ("wagtailsnippets_messaging_topicroute:list", ()),
    # Bookings: day lists, occupancy, an enrolment, a child's history, reference data.
    ("bookings_admin:day", ()),
    ("bookings_admin:occupancy", ()),
    ("bookings_admin:enrolment", ("00000000-0000-4000-8000-000000000000",)),
    ("bookings_admin:history", ("00000000-0000-4000-8000-000000000000",)),
    ("wagtailsnippets_bookings_activityunit:list", ()),
    ("wagtailsnippets_bookings_absencereason:list", ()),
    # Billing: runs, invoices, payments, journal de caisse, exports, reviews, journal.
    ("billing_admin:runs", ()),
    ("billing_admin:run", ("00000000-0000-4000-8000-000000000000",)),
    ("billing_admin:invoices", ()),
    ("billing_admin:payment_add", ()),
    ("billing_admin:cash_journal", ()),
    ("billing_admin:exports", ()),
    ("billing_admin:audit", ()),
    ("billing_admin:sepa_batches", ()),
    ("wagtailsnippets_billing_regie:list", ()),
    # Attendance: daily lists, tablet register, a child's photo, the agents' sites.
    ("attendance_admin:index", ()),
    (
        "attendance_admin:tablet",
        (
            "00000000-0000-4000-8000-000000000000",
            "2026-01-05",
            "00000000-0000-4000-8000-000000000000",
        ),
    ),
    ("attendance_admin:photo", ("00000000-0000-4000-8000-000000000000",)),
    ("wagtailsnippets_attendance_siteassignment:list", ()),
    # Kitchen: meal counts (page, CSV, PDF), occupancy dashboard, kitchens.
    ("kitchen_admin:meals", ()),
    ("kitchen_admin:meals_csv", ()),
    ("kitchen_admin:occupancy", ()),
    ("wagtailsnippets_kitchen_kitchen:list", ()),
]


def admin_url(name, args=()):
    return reverse(name, args=args)


def assert_admin_denied(client, url):
    """The admin answers 403 "Accès refusé" on ``url``, to a browser and to a script, and
    the response carries none of the section's content."""
    for headers in ({}, {"x-requested-with": "XMLHttpRequest"}):
        response = client.get(url, headers=headers)
        assert response.status_code == 403, f"{url} answered {response.status_code}"
        assert "Accès refusé" in response.content.decode()
