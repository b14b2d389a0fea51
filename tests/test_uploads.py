"""Photos and documents are checked by content, re-encoded, resized and stripped."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from espace_prive import uploads
from tests.factories import MINIMAL_PDF, image_bytes, uploaded
from tests.pdfs import HOSTILE_PDFS, valid_pdf, valid_pdf_with_a_link_and_an_open_destination


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


# --- Every kind of metadata, every colour mode ----------------------------------------------

_XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b"<rdf:Description>AuteurSecret</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _icc_profile():
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif_with_gps_and_orientation():
    exif = Image.Exif()
    exif[0x010F] = "FabricantSecret"
    exif[0x0112] = 6  # rotated: the camera was held upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (48.0, 51.0, 24.0)
    return exif.tobytes()


def _saved(image, image_format, **options):
    output = io.BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def _png_text():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "AuteurSecret")
    info.add_itxt("XML:com.adobe.xmp", _XMP.decode())
    return info


def _assert_no_metadata(stored):
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert "icc_profile" not in image.info and "xmp" not in image.info
    assert not getattr(image, "text", {})
    for secret in (b"FabricantSecret", b"AuteurSecret", b"xmpmeta", b"lcms"):
        assert secret not in stored
    return image


@pytest.mark.parametrize("process", [uploads.process_photo, uploads.process_document])
@pytest.mark.parametrize(
    ("image_format", "options"),
    [
        ("JPEG", {"exif": "gps"}),
        ("JPEG", {"xmp": _XMP}),
        ("JPEG", {"icc_profile": "icc"}),
        ("PNG", {"pnginfo": "text"}),
        ("PNG", {"icc_profile": "icc"}),
        ("PNG", {"exif": "gps"}),
    ],
    ids=["jpeg-exif-gps", "jpeg-xmp", "jpeg-icc", "png-text", "png-icc", "png-exif"],
)
def test_no_metadata_survives(process, image_format, options):
    made = {"gps": _exif_with_gps_and_orientation(), "icc": _icc_profile(), "text": _png_text()}
    options = {name: made.get(value, value) for name, value in options.items()}
    data = _saved(Image.new("RGB", (1000, 500), "teal"), image_format, **options)
    _assert_no_metadata(process(uploaded(data)).read())


def test_the_exif_orientation_is_applied_before_it_is_stripped():
    data = _saved(
        Image.new("RGB", (1000, 500), "teal"), "JPEG", exif=_exif_with_gps_and_orientation()
    )
    image = _assert_no_metadata(uploads.process_photo(uploaded(data)).read())
    assert image.size == (400, 800)


@pytest.mark.parametrize(
    ("mode", "image_format", "options"),
    [
        ("CMYK", "JPEG", {}),
        ("L", "JPEG", {}),
        ("P", "PNG", {}),
        ("P", "PNG", {"transparency": 0}),
        ("LA", "PNG", {}),
        ("RGBA", "PNG", {}),
        ("I;16", "PNG", {}),
        ("1", "PNG", {}),
    ],
)
@pytest.mark.parametrize("process", [uploads.process_photo, uploads.process_document])
def test_every_colour_mode_is_reencoded(process, mode, image_format, options):
    data = _saved(Image.new(mode, (300, 200)), image_format, **options)
    image = Image.open(io.BytesIO(process(uploaded(data)).read()))
    assert image.mode in ("RGB", "RGBA") and image.size == (300, 200)


# --- PDFs: parsed by pypdf, active content refused wherever a PDF is accepted -------------


@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_a_hostile_pdf_is_refused_with_a_french_message(name):
    make, message = HOSTILE_PDFS[name]
    with pytest.raises(ValidationError) as caught:
        uploads.process_document(uploaded(make(), "attestation.pdf", "application/pdf"))
    assert message in caught.value.messages[0]


@pytest.mark.parametrize(
    "data", [valid_pdf(), valid_pdf_with_a_link_and_an_open_destination()], ids=["plain", "link"]
)
def test_a_valid_pdf_is_kept_as_sent(data):
    result = uploads.process_document(uploaded(data, "attestation.pdf", "application/pdf"))
    assert result.name == "document.pdf" and result.read() == data


def test_a_script_only_listed_in_the_cross_reference_table_is_found():
    """An object no page refers to, appended by an incremental update: still refused."""
    data = valid_pdf()
    offset = len(data)
    orphan = b"99 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    start_xref = data.rindex(b"startxref")
    previous = int(data[start_xref:].split()[1])
    xref = offset + len(orphan)
    size = 100
    update = (
        orphan
        + b"xref\n99 1\n"
        + f"{offset:010d} 00000 n \n".encode()
        + f"trailer\n<< /Size {size} /Root 1 0 R /Prev {previous} >>\n".encode()
        + f"startxref\n{xref}\n%%EOF\n".encode()
    )
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(data)).trailer.raw_get("/Root").idnum
    update = update.replace(b"/Root 1 0 R", f"/Root {root} 0 R".encode())
    with pytest.raises(ValidationError) as caught:
        uploads.check_pdf(data + update)
    assert caught.value.code == "active_pdf"
