"""PDF editions with WeasyPrint: fiche enfant (simple or complete), blank pre-registration.

Templates live in ``templates/families/pdf/``; images are inlined as data URIs (private
files have no URL) and nothing is fetched from the network.
"""

import base64

from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst

from espace_prive.town import town_name
from espace_prive.uploads import content_type_for

from . import selectors
from .models import AllowanceBody, Child, Family, Guardian, HealthRecord
from .sections import HEALTH_SECTIONS, SECTIONS, display_current


def render_pdf(template_name, context):
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        template_name,
        {"town_name": town_name(), "now": timezone.localtime(), **context},
    )
    # Data URIs only: never the network, never the disk.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def _data_uri(name):
    if not name:
        return ""
    storage = storages["private"]
    if not storage.exists(name):
        return ""
    with storage.open(name, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{content_type_for(name)};base64,{encoded}"


def _rows(section, instance):
    return [
        (section.field_label(name), display_current(instance, name))
        for name in section.fields
        if name not in section.file_fields
    ]


def child_sheet_pdf(*, child, complete=False):
    """Fiche enfant; ``complete`` adds health data and pick-up persons."""
    family = child.family
    context = {
        "child": child,
        "family": family,
        "age": child.age_on(timezone.localdate()),
        "photo": _data_uri(child.photo.name),
        "guardians": list(selectors.guardians_for_family(family)),
        "identity": _rows(SECTIONS["child_identity"], child)
        + _rows(SECTIONS["child_schooling"], child),
        "authorisations": _rows(SECTIONS["child_authorisations"], child),
        "complementary": _rows(SECTIONS["child_complementary"], child),
        "complete": complete,
    }
    if complete:
        try:
            record = child.health_record
        except HealthRecord.DoesNotExist:
            record = HealthRecord(child=child)
        context["health"] = [(section.label, _rows(section, record)) for section in HEALTH_SECTIONS]
        context["record"] = record
        context["pickup_persons"] = list(child.pickup_persons.order_by("last_name"))
    return render_pdf("families/pdf/fiche_enfant.html", context)


CHILD_FIELDS = ["last_name", "first_name", "birth_date", "sex", "school", "class_level"]


def preregistration_pdf():
    """A blank form for a family without an account: the fields of the file, to fill in."""

    def labels(model, names):
        return [capfirst(model._meta.get_field(name).verbose_name) for name in names]

    context = {
        "family_fields": labels(Family, ["address", "address_complement", "postcode", "city"]),
        "guardian_fields": labels(
            Guardian,
            [
                "last_name",
                "first_name",
                "birth_date",
                "email",
                "mobile_phone",
                "home_phone",
                "work_phone",
                "profession",
                "employer_name",
                "employer_phone",
            ],
        ),
        "civilities": [label for value, label in Guardian.Civility.choices if value],
        "child_fields": labels(Child, CHILD_FIELDS),
        "sex_row": CHILD_FIELDS.index("sex") + 1,
        "sexes": [label for value, label in Child.Sex.choices if value],
        "situations": [label for value, label in Family.Situation.choices if value],
        "allowance_bodies": [label for value, label in AllowanceBody.choices if value],
        "authorisations": [
            (capfirst(Child._meta.get_field(name).verbose_name), field.help_text)
            for name in ("photo_rights", "may_leave_alone", "emergency_care", "transport")
            for field in [Child._meta.get_field(name)]
        ],
        "child_rows": range(3),
    }
    return render_pdf("families/pdf/fiche_preinscription.html", context)
