"""Every file the portal hands out goes through here: private files (photos, supporting
documents), PDFs (fiches, letters), zips (RGPD export), CSV (import sample).

Each download is an attachment with a meaningful name and its extension, never stored
by a browser or a proxy, never sniffed into another type:

* ``Content-Disposition: attachment; filename="fiche-enfant-lea-martin.pdf";
  filename*=UTF-8''fiche-enfant-l%C3%A9a-martin.pdf`` (RFC 6266): the ASCII fallback
  (accents folded) for old clients, the UTF-8 name for the others; both always.
  ``attachment`` does not stop an ``<img>`` from showing a photo: browsers ignore the
  header for images embedded in a page.
* ``X-Content-Type-Options: nosniff`` and ``Cache-Control: private, no-store``.

Django's ``FileResponse`` writes ``filename*`` alone for a non-ASCII name and
``filename`` alone otherwise: the header is written here instead.
"""

import mimetypes
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.text import slugify

PRIVATE_CACHE_CONTROL = "private, no-store"
FALLBACK_STEM = "fichier"
# Letters NFKD does not split into a base letter and an accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def download_filename(*words, extension):
    """A file name from French words: ``("fiche enfant", "Léa Martin"), "pdf"`` gives
    ``fiche-enfant-léa-martin.pdf`` (accents kept; the header adds an ASCII fallback)."""
    slugs = [slugify(str(word), allow_unicode=True) for word in words if word not in (None, "")]
    stem = "-".join(slug for slug in slugs if slug) or FALLBACK_STEM
    return f"{stem}.{extension.lstrip('.').lower()}"


def ascii_filename(filename):
    """``fiche-enfant-léa-martin.pdf`` → ``fiche-enfant-lea-martin.pdf``."""
    path = PurePosixPath(filename)
    folded = unicodedata.normalize("NFKD", path.stem.translate(_LIGATURES))
    stem = slugify(folded.encode("ascii", "ignore").decode("ascii")) or FALLBACK_STEM
    suffix = path.suffix.encode("ascii", "ignore").decode("ascii")
    return f"{stem}{suffix}"


def content_disposition(filename):
    """The RFC 6266 header of an attachment named ``filename``, both parts always."""
    return (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def _as_download(response, filename):
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def content_type_for(filename):
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def content_download(content, filename, *, content_type=None):
    """Bytes made for this request (a PDF, a zip, a CSV), as a download."""
    response = HttpResponse(content, content_type=content_type or content_type_for(filename))
    return _as_download(response, filename)


def private_file_download(name, *words):
    """A file of the private storage, named from ``words`` with its stored extension;
    404 when there is no such file."""
    storage = storages["private"]
    if not name or not storage.exists(name):
        raise Http404("Fichier introuvable.")
    extension = PurePosixPath(name).suffix or ".bin"
    filename = download_filename(*words, extension=extension)
    response = FileResponse(storage.open(name, "rb"), content_type=content_type_for(name))
    return _as_download(response, filename)
