"""PDFs made with pypdf for the upload tests: one valid, and one of each kind refused."""

import io

from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)


def _name(value):
    return NameObject(value)


def _action(kind, **entries):
    return DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind), **entries})


def _written(writer):
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _one_page():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def _link(writer, action):
    """A link annotation on the first page that runs ``action`` when clicked."""
    rect = ArrayObject([FloatObject(v) for v in (50, 50, 200, 80)])
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name("/Link"),
            _name("/Rect"): rect,
            _name("/A"): action,
        }
    )
    writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return writer


def valid_pdf():
    return _written(_one_page())


def valid_pdf_with_a_link_and_an_open_destination():
    """What word processors write: open at page 1 (a destination), a web link."""
    writer = _link(
        _one_page(), _action("/URI", **{_name("/URI"): TextStringObject("https://caf.fr")})
    )
    writer.open_destination = writer.pages[0]
    return _written(writer)


def _javascript():
    writer = _one_page()
    writer.add_open_action(JavaScript("app.alert('bonjour');"))
    return _written(writer)


def _embedded_file():
    writer = _one_page()
    writer.add_attachment("facture.exe", b"MZ\x90\x00 not really")
    return _written(writer)


def _encrypted():
    writer = _one_page()
    writer.encrypt("secret")
    return _written(writer)


def _open_action():
    writer = _one_page()
    writer.root_object[_name("/OpenAction")] = _action(
        "/Launch", **{_name("/F"): TextStringObject("calc.exe")}
    )
    return _written(writer)


def _page_additional_action():
    writer = _one_page()
    writer.pages[0][_name("/AA")] = DictionaryObject(
        {_name("/O"): _action("/URI", **{_name("/URI"): TextStringObject("https://x.test")})}
    )
    return _written(writer)


def _javascript_link():
    return _written(
        _link(
            _one_page(), _action("/JavaScript", **{_name("/JS"): TextStringObject("app.alert(1)")})
        )
    )


def _xfa_form():
    writer = _one_page()
    writer.root_object[_name("/AcroForm")] = DictionaryObject(
        {
            _name("/Fields"): ArrayObject(),
            _name("/XFA"): TextStringObject("<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>"),
        }
    )
    return _written(writer)


def _no_page():
    return _written(PdfWriter())


def _unparsable():
    return valid_pdf()[:400]


def _zip_after_eof():
    """A polyglot: a valid PDF, then a ZIP archive (read from its end by unzip)."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("facture.exe", b"MZ\x90\x00 not really")
    return valid_pdf() + archive.getvalue()


def _html_after_eof():
    """A polyglot: a valid PDF, then an HTML page that a browser sniffing it would run."""
    return valid_pdf() + b"\n<html><body><script>alert(document.cookie)</script></body></html>\n"


HOSTILE_PDFS = {
    "javascript": (_javascript, "éléments actifs"),
    "embedded-file": (_embedded_file, "éléments actifs"),
    "encrypted": (_encrypted, "mot de passe ou chiffré"),
    "open-action": (_open_action, "éléments actifs"),
    "page-additional-action": (_page_additional_action, "éléments actifs"),
    "javascript-link": (_javascript_link, "éléments actifs"),
    "xfa-form": (_xfa_form, "éléments actifs"),
    "no-page": (_no_page, "aucune page"),
    "unparsable": (_unparsable, "endommagé"),
    "zip-after-eof": (_zip_after_eof, "après la fin du PDF"),
    "html-after-eof": (_html_after_eof, "après la fin du PDF"),
}
