"""The daily list as a PDF (WeasyPrint), for sites without a tablet: the same sheet as
the page, with a column to tick by hand. Photos are inlined (private files have no URL)."""

import base64

from django.core.files.storage import storages

from espace_prive.families.editions import render_pdf
from espace_prive.uploads import content_type_for


def _photo(name):
    storage = storages["private"]
    if not name or not storage.exists(name):
        return ""
    with storage.open(name, "rb") as handle:
        encoded = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{content_type_for(name)};base64,{encoded}"


def day_list_pdf(sheet):
    for row in sheet.rows:
        row.photo_data = _photo(row.child.photo.name)
    return render_pdf("attendance/pdf/day_list.html", {"sheet": sheet})
