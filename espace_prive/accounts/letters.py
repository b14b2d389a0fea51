"""Printable invitation letters (PDF, WeasyPrint) for guardians without e-mail."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from espace_prive.town import town_name

from .emails import absolute_url


def letters_pdf(issued):
    """One A4 page per ``(invitation, access code)`` pair; returns the PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(
        "accounts/letters.html",
        {
            "letters": [
                {
                    "guardian": invitation.guardian,
                    "family": invitation.guardian.family,
                    "code": code,
                    "expires_at": invitation.expires_at,
                }
                for invitation, code in issued
            ],
            "town_name": town_name(),
            "activation_url": absolute_url("espace_prive:accounts:access_code"),
            "today": timezone.localdate(),
            "validity_days": settings.INVITATION_CODE_VALIDITY_DAYS,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
