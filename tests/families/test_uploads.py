"""Photos and documents are checked by content, re-encoded, resized and stripped."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from espace_prive.families import uploads
from tests.factories import MINIMAL_PDF, image_bytes, uploaded


def _exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "FabricantSecret"  # Make
    exif[0x0131] = "Logiciel"  # Software
    return exif.tobytes()


def test_a_jpeg_photo_is_resized_to_800_and_loses_its_exif():
    data = image_bytes(size=(3000, 2000), exif=_exif_with_gps())
    assert b"FabricantSecret" in data
    result = uploads.process_photo(uploaded(data))
    stored = result.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert max(image.size) == 800
    assert image.size == (800, 533)
    assert not image.getexif()
    assert b"FabricantSecret" not in stored


def test_a_png_photo_with_transparency_becomes_a_jpeg():
    data = image_bytes(size=(400, 600), image_format="PNG", mode="RGBA", color=(0, 0, 0, 0))
    image = Image.open(io.BytesIO(uploads.process_photo(uploaded(data, "p.png")).read()))
    assert image.format == "JPEG"
    assert image.size == (400, 600)  # small photos are not enlarged
    assert image.getpixel((10, 10)) == (255, 255, 255)


def test_a_photo_over_5_mb_is_refused():
    big = uploaded(b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="5 Mo"):
        uploads.process_photo(big)


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"GIF89a" + b"\x00" * 50,
        image_bytes()[:200],  # a truncated JPEG
        b"\xff\xd8\xff\xe0 pas une image",
    ],
    ids=["svg", "gif", "truncated-jpeg", "junk"],
)
def test_what_is_not_a_readable_jpeg_or_png_is_refused(data):
    with pytest.raises(ValidationError) as caught:
        uploads.process_photo(uploaded(data, "photo.jpg"))
    assert "JPEG ou PNG" in caught.value.messages[0]


def _png_header_only(width, height):
    """A PNG that announces a huge size: decoding it would need gigabytes."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [9000, 30000], ids=["over-our-limit", "pillow-bomb-error"])
def test_decompression_bombs_are_refused(side):
    with pytest.raises(ValidationError) as caught:
        uploads.process_photo(uploaded(_png_header_only(side, side), "bombe.png"))
    assert caught.value.code == "decompression_bomb"
    assert "trop de pixels" in caught.value.messages[0]


def test_a_pdf_document_is_kept_as_sent():
    result = uploads.process_document(uploaded(MINIMAL_PDF, "pai.pdf", "application/pdf"))
    assert result.name == "document.pdf"
    assert result.read() == MINIMAL_PDF


def test_an_image_document_is_reencoded_without_metadata():
    data = image_bytes(size=(500, 500), image_format="PNG", exif=_exif_with_gps())
    result = uploads.process_document(uploaded(data, "scan.png", "image/png"))
    assert result.name == "document.png"
    assert b"FabricantSecret" not in result.read()


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 truncated", b"MZ\x90\x00 executable", b"<html>hello</html>"]
)
def test_a_document_that_is_neither_pdf_nor_image_is_refused(data):
    with pytest.raises(ValidationError):
        uploads.process_document(uploaded(data, "doc.pdf", "application/pdf"))
