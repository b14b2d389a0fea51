"""System checks for settings that a deployment could get dangerously wrong."""

from pathlib import Path

from django.conf import settings
from django.core import checks


def _inside(path, parent):
    path, parent = Path(path).resolve(), Path(parent).resolve()
    return path == parent or parent in path.parents


@checks.register(checks.Tags.security, deploy=False)
def private_media_is_not_public(app_configs, **kwargs):
    """Private files must never be reachable through the media or static URLs."""
    private = settings.PRIVATE_MEDIA_ROOT
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name)
        if _inside(private, public) or _inside(public, private):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) overlaps {name} ({public}).",
                    hint="Point PRIVATE_MEDIA_ROOT at a directory no URL serves.",
                    id="portail.E001",
                )
            )
    for directory in settings.STATICFILES_DIRS:
        if _inside(private, directory):
            errors.append(
                checks.Error(
                    f"PRIVATE_MEDIA_ROOT ({private}) is inside STATICFILES_DIRS.",
                    id="portail.E002",
                )
            )
    return errors
