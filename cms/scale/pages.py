"""The private pages a family of the town loads and the staff pages of the rentrée, as
URLs: read by the benchmark (``bench/private.py``) and the query-count tests, so both
measure the same pages."""

from django.urls import NoReverseMatch, reverse

# Names tried for the account statement (Relevé de compte), which the billing family
# pages add: the first that exists is measured, none is a printed note.
STATEMENT_NAMES = ("espace_prive:billing:statement", "espace_prive:billing:releve")


def statement_url():
    for name in STATEMENT_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def family_pages(family):
    """``[(label, url)]`` of one family's pages and API lists (its first child's agenda)."""
    child = family.children.order_by("birth_date", "pk").first()
    pages = [
        ("family home", reverse("espace_prive:home")),
        ("Mes enfants", reverse("espace_prive:families:children")),
        ("a child's agenda", reverse("espace_prive:bookings:agenda", args=[child.public_id])),
        ("Mes demandes", reverse("espace_prive:demandes:list")),
        ("documents", reverse("espace_prive:documents:list")),
        ("inbox", reverse("espace_prive:messaging:inbox")),
    ]
    statement = statement_url()
    if statement:
        pages.append(("Relevé de compte", statement))
    pages += [
        ("API children", reverse("api:child-list")),
        ("API requests", reverse("api:request-list")),
        ("API documents", reverse("api:document-list")),
        ("API threads", reverse("api:thread-list")),
        ("API enrolments", reverse("api:enrolment-list")),
        ("API bookings", reverse("api:booking-list")),
        ("API child agenda", reverse("api:child-agenda", args=[child.public_id])),
    ]
    return pages


def staff_pages(*, run=None, search="Martin"):
    """``[(label, url)]`` of the staff pages of the rentrée (the billing draft when a run
    is given)."""
    pages = [
        ("staff: request queue", reverse("demandes_admin:index")),
        ("staff: families search", reverse("families_admin:index") + f"?q={search}"),
        ("staff: daily register", reverse("bookings_admin:day")),
    ]
    if run is not None:
        pages.append(("staff: billing draft", reverse("billing_admin:run", args=[run.public_id])))
    return pages
