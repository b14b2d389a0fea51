"""Files a family sends: children's photos and supporting documents (the family file,
and the documents and messaging apps after it: every upload goes through here).

Everything is checked by its content, never by its name or the browser's content type.
Images are decoded and written again by Pillow from their pixels alone, which drops EXIF
(once its orientation is applied), XMP, ICC profiles, PNG text chunks and any payload
hidden around the pixels. PDFs are parsed by pypdf (``check_pdf``): one that cannot be
read, is encrypted, has no page, carries active content or hides other data after its
end (a polyglot: a ZIP or an HTML page appended after ``%%EOF``) is refused.
"""

import io
import logging
import mimetypes
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 800
DOCUMENT_IMAGE_MAX_SIDE = 2400
# Far above any camera (a 50-megapixel phone photo is 50 M): more is a decompression bomb.
MAX_PIXELS = 60_000_000
IMAGE_FORMATS = ("JPEG", "PNG")

TOO_LARGE = "Le fichier dépasse 5 Mo : choisissez un fichier plus léger."
NOT_AN_IMAGE = (
    "Ce fichier n'est pas une image JPEG ou PNG lisible (les autres formats, SVG compris, "
    "ne sont pas acceptés)."
)
BOMB = "Cette image compte trop de pixels pour être traitée : envoyez une image plus petite."
NOT_A_DOCUMENT = "Le document doit être un PDF, une image JPEG ou une image PNG."
PDF_UNREADABLE = (
    "Ce PDF semble incomplet ou endommagé : enregistrez-le à nouveau (par exemple avec "
    "« Imprimer » puis « Enregistrer au format PDF ») et renvoyez-le."
)
PDF_ENCRYPTED = (
    "Ce PDF est protégé par un mot de passe ou chiffré : envoyez une version sans "
    "protection (« Imprimer » puis « Enregistrer au format PDF » la retire)."
)
PDF_NO_PAGE = "Ce PDF ne contient aucune page : vérifiez le fichier choisi."
PDF_TRAILING_DATA = (
    "Ce fichier contient d'autres données après la fin du PDF (un second fichier y est "
    "peut-être caché) : enregistrez-le à nouveau avec « Imprimer » puis « Enregistrer au "
    "format PDF », et renvoyez-le."
)
PDF_ACTIVE = (
    "Ce PDF contient des éléments actifs (JavaScript, action automatique, fichier joint "
    "ou formulaire XFA), refusés pour la sécurité de tous : enregistrez-le à nouveau avec "
    "« Imprimer » puis « Enregistrer au format PDF », ou scannez le document, et "
    "renvoyez-le."
)


def _read(uploaded):
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    uploaded.seek(0)
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    if not data:
        raise ValidationError("Le fichier est vide.", code="empty")
    return data


def open_image(data):
    """Decode JPEG or PNG bytes safely: format, pixel count, integrity (verify + reopen)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(BOMB, code="decompression_bomb")
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(BOMB, code="decompression_bomb") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error
    return image


def _reencode(image, *, max_side, force_jpeg):
    source_format = image.format
    image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF described
    keep_png = source_format == "PNG" and not force_jpeg
    if keep_png:
        transparent = "A" in image.getbands() or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    else:
        if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        else:
            image = image.convert("RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # Pillow writes back some of what it read (ICC profile, PNG transparency…): start from
    # nothing, so that no metadata of the original (ICC, XMP, EXIF, text) is written.
    image.info = {}
    output = io.BytesIO()
    if keep_png:
        image.save(output, "PNG", optimize=True)
        return output.getvalue(), ".png"
    # No exif= argument: nothing of the original metadata is written.
    image.save(output, "JPEG", quality=85, optimize=True)
    return output.getvalue(), ".jpg"


def process_photo(uploaded):
    """A child's photo, ready to store: JPEG, longest side 800 px, no metadata."""
    image = open_image(_read(uploaded))
    data, extension = _reencode(image, max_side=PHOTO_MAX_SIDE, force_jpeg=True)
    return ContentFile(data, name=f"photo{extension}")


# --- PDF --------------------------------------------------------------------------------

# Keys whose mere presence makes a document act on its own: scripts, actions run on an
# event (opening a page, a field, the document), embedded files, XFA forms, rich media.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/XFA",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/RichMedia",
    "/RichMediaContent",
}
# Action types that run code, open or fetch other files, or send data. Links (/URI) and
# moves inside the document (/GoTo) are what a readable attestation may contain.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/RichMediaExecute",
}
ACTIVE_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"}
# A 5 MB file holds far fewer objects; more is a document built to exhaust the parser.
MAX_PDF_OBJECTS = 200_000


def _is_active(dictionary):
    def value(key):  # pypdf resolves an indirect reference on indexing, not in get()
        item = dictionary.get(key)
        return item.get_object() if item is not None else None

    if ACTIVE_KEYS.intersection(dictionary.keys()):
        return True
    if value("/S") in ACTIVE_ACTIONS or value("/Subtype") in ACTIVE_ANNOTATIONS:
        return True
    # /OpenAction may be a destination (open at page 1: harmless, and what word
    # processors write) or an action dictionary (run on opening): the latter is refused.
    return isinstance(value("/OpenAction"), DictionaryObject)


def _objects(reader):
    """Every object of the file: those reachable from the trailer, then any other listed
    in the cross-reference table (a reader may find those too)."""
    yield reader.trailer
    for generation, numbers in reader.xref.items():
        for number in numbers:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _has_active_content(reader):
    seen = set()
    stack = list(_objects(reader))
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValidationError(PDF_UNREADABLE, code="invalid_pdf")
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary, not data
            if _is_active(item):
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


# What may follow the last %%EOF marker: the line ends and padding writers leave.
PDF_END_PADDING = b" \t\r\n\x00\x0c"


def _check_end(data):
    """A PDF ends with ``%%EOF``; bytes other than padding after the last one make the
    file something else too (a polyglot: a ZIP or an HTML page is read from its end)."""
    end = data.rfind(b"%%EOF")
    if end == -1:
        raise ValidationError(PDF_UNREADABLE, code="invalid_pdf")
    if data[end + len(b"%%EOF") :].strip(PDF_END_PADDING):
        raise ValidationError(PDF_TRAILING_DATA, code="pdf_trailing_data")


def check_pdf(data):
    """Refuse a PDF that cannot be parsed, is encrypted, has no page, has active
    content (``ACTIVE_KEYS``, ``ACTIVE_ACTIONS``, ``ACTIVE_ANNOTATIONS``, an /OpenAction
    action) or has data after its end (``_check_end``). The file itself is kept
    as sent when it passes."""
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.ERROR)  # malformed input is expected; not our log
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(PDF_ENCRYPTED, code="encrypted_pdf")
        page_count = len(reader.pages)
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on a broken file
        raise ValidationError(PDF_UNREADABLE, code="invalid_pdf") from error
    finally:
        pypdf_logger.setLevel(level)
    _check_end(data)
    if page_count == 0:
        raise ValidationError(PDF_NO_PAGE, code="empty_pdf")
    if active:
        raise ValidationError(PDF_ACTIVE, code="active_pdf")


def process_document(uploaded):
    """A supporting document: a PDF kept as sent once ``check_pdf`` passes, or an image
    re-encoded without metadata."""
    data = _read(uploaded)
    if data.startswith(b"%PDF-"):
        check_pdf(data)
        return ContentFile(data, name="document.pdf")
    try:
        image = open_image(data)
    except ValidationError as error:
        if error.code == "decompression_bomb":
            raise
        raise ValidationError(NOT_A_DOCUMENT, code="invalid_document") from error
    data, extension = _reencode(image, max_side=DOCUMENT_IMAGE_MAX_SIDE, force_jpeg=False)
    return ContentFile(data, name=f"document{extension}")


def content_type_for(name):
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
