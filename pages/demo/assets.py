"""Deterministic demo files: simple pictures (Pillow) and one-page PDFs, no download."""

import io
import unicodedata

from PIL import Image, ImageDraw, ImageFont

PALETTE = {
    "bleu": ((29, 79, 145), (231, 240, 251)),
    "vert": ((30, 91, 49), (227, 244, 232)),
    "orange": ((156, 74, 0), (255, 244, 214)),
    "rouge": ((163, 33, 26), (253, 236, 234)),
    "violet": ((90, 46, 140), (240, 233, 250)),
}


def _ascii(text):
    # Pillow's bundled font has no accents: keep the caption plain ASCII.
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def picture(label="", *, color="bleu", size=(1200, 675), shapes=3):
    """A PNG: a light background, a few circles and an optional caption (same bytes
    every time)."""
    dark, light = PALETTE[color]
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    for index in range(shapes):
        radius = height // (3 + index)
        x = width * (index + 1) // (shapes + 1)
        y = height // 2 + (index % 2) * radius // 2 - radius // 4
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=dark, width=12)
    if label:
        font = ImageFont.load_default(size=max(24, height // 12))
        draw.rectangle((0, height - height // 5, width, height), fill=dark)
        draw.text(
            (width // 20, height - height // 6), _ascii(label), fill=(255, 255, 255), font=font
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def logo():
    """The town's logo: a blue shield with a golden chevron (the name is written beside it)."""
    image = Image.new("RGBA", (192, 192), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon([(16, 12), (176, 12), (176, 110), (96, 182), (16, 110)], fill=(29, 79, 145))
    draw.polygon([(52, 56), (140, 56), (140, 102), (96, 142), (52, 102)], fill=(255, 191, 71))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _pdf_text(text):
    encoded = text.encode("cp1252", errors="replace")
    return encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf(title, lines):
    """A valid one-page A4 PDF with a title and lines of text (Helvetica, WinAnsi)."""
    content = [b"BT /F1 18 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET"]
    y = 740
    for line in lines:
        content.append(b"BT /F1 11 Tf 56 %d Td (" % y + _pdf_text(line) + b") Tj ET")
        y -= 18
    stream = b"\n".join(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return output.getvalue()
