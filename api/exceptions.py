"""One JSON shape for every API error: {"error": {"code", "message", "fields"}}."""

from rest_framework.exceptions import ParseError
from rest_framework.views import exception_handler as drf_exception_handler

# DRF's parsers put Python's own (English) parse error in the message.
PARSE_ERROR_MESSAGE = "Le corps de la requête n'est pas lisible : envoyez un JSON valide."


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [
            str(item) if not isinstance(item, (dict, list)) else _flatten(item) for item in detail
        ]
    return str(detail)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        message = PARSE_ERROR_MESSAGE if isinstance(exc, ParseError) else str(detail["detail"])
        fields = {}
        code = codes.get("detail") if isinstance(codes, dict) else codes
    else:
        message = "Certaines données sont invalides."
        fields = (
            _flatten(detail) if isinstance(detail, dict) else {"non_field_errors": _flatten(detail)}
        )
        code = "invalid"
    response.data = {"error": {"code": str(code or "error"), "message": message, "fields": fields}}
    return response
