"""Files a family sends: children's photos and supporting documents.

Everything is checked by its content, never by its name or the browser's content type.
Images are decoded and written again by Pillow from their pixels alone, which drops EXIF
(once its orientation is applied), XMP, ICC profiles, PNG text chunks and any payload
hidden around the pixels.
"""

import io
import mimetypes
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

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


def process_document(uploaded):
    """A supporting document: a PDF kept as sent, or an image re-encoded without metadata."""
    data = _read(uploaded)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(
                "Ce PDF semble incomplet ou endommagé : enregistrez-le à nouveau.",
                code="invalid_pdf",
            )
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
