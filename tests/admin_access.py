"""Admin views of the private area that a member of the Communication group (who edits
the public site) must never reach.

Other features add their admin URLs to ``PRIVATE_AREA_ADMIN_URLS`` (URL names resolved
lazily, with their arguments); ``tests/pages/test_permissions.py`` checks each of them
with ``assert_admin_denied``.
"""

import html

from django.urls import reverse
from django.utils.translation import gettext

# (URL name, args): the catalogue's reference data (services, tariffs, sites), the users.
PRIVATE_AREA_ADMIN_URLS = [
    ("wagtailsnippets_catalogue_tariffgrid:list", ()),
    ("wagtailsnippets_catalogue_tariffgrid:add", ()),
    ("wagtailsnippets_catalogue_service:add", ()),
    ("wagtailsnippets_catalogue_site:add", ()),
    ("wagtailusers_users:index", ()),
    ("wagtailusers_users:add", ()),
    ("wagtailusers_groups:index", ()),
    # Accounts: import, invitations, pré-inscriptions.
    ("accounts_admin:import", ()),
    ("accounts_admin:invitations", ()),
    ("accounts_admin:partner_invite", ()),
    ("accounts_admin:registrations", ()),
    # A pré-inscription's review page (listed in the requests queue); denied before lookup.
    ("accounts_admin:registration", ("00000000-0000-4000-8000-000000000000",)),
    # The family file and the requests queue.
    ("families_admin:index", ()),
    ("demandes_admin:index", ()),
]


def admin_url(name, args=()):
    return reverse(name, args=args)


def assert_admin_denied(client, url):
    """The Wagtail admin refuses ``url``: 403 for scripts, and for a browser a redirect
    to the dashboard with Wagtail's "no permission" message, the page itself unseen.

    (Wagtail turns a PermissionDenied raised in an admin view into that redirect.)
    """
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403, f"{url} answered {response.status_code} to a script"
    response = client.get(url)
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    assert response["Location"] == reverse("wagtailadmin_home"), response["Location"]
    home = client.get(response["Location"])
    expected = gettext("Sorry, you do not have permission to access this area.")
    messages = [html.unescape(str(message)).strip() for message in home.context["messages"]]
    assert expected in messages, messages
