"""Wagtail's document view, answering byte ranges.

Safari on iPhone plays a video (the tutorials' self-hosted videos are Wagtail documents)
only from a server that answers ``Range`` requests with 206 Partial Content; Wagtail's
view always sends the whole file. Privacy checks stay Wagtail's: this only reshapes the
200 response it gives. One range per request; anything else gets the whole file, as
the HTTP specification allows.
"""

import re

from django.http import HttpResponse, StreamingHttpResponse
from wagtail.documents.views.serve import serve as wagtail_serve

_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_CHUNK = 64 * 1024


def _byte_range(header, size):
    """(start, end) inclusive, "unsatisfiable", or None to send the whole file."""
    match = _SINGLE_RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        return (max(size - length, 0), size - 1) if length and size else "unsatisfiable"
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    return (start, end) if start < size else "unsatisfiable"


def _read(file, start, length):
    with file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def serve(request, document_id, document_filename):
    response = wagtail_serve(request, document_id, document_filename)
    if response.get("Content-Encoding") == "None":  # Wagtail writes the guess as text
        del response["Content-Encoding"]
    file = getattr(response, "file_to_stream", None)
    if response.status_code != 200 or file is None or "Content-Length" not in response:
        return response
    response["Accept-Ranges"] = "bytes"
    header = request.headers.get("Range")
    if not header or request.method not in ("GET", "HEAD"):
        return response
    size = int(response["Content-Length"])
    byte_range = _byte_range(header, size)
    if byte_range is None:
        return response
    if byte_range == "unsatisfiable":
        response.close()
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = byte_range
    # The same open file, read from ``start``; closed once sent.
    partial = StreamingHttpResponse(_read(file, start, end - start + 1), status=206)
    for name, value in response.items():
        if name.lower() != "content-length":
            partial[name] = value
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Content-Length"] = str(end - start + 1)
    return partial
