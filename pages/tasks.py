"""Background tasks of the public site (django.tasks)."""

import logging

from django.tasks import task
from wagtail.images import get_image_model

from .images import CARD, FIGURE, HERO

logger = logging.getLogger(__name__)


@task
def generate_renditions(image_id):
    """Create the WebP renditions the templates use, so no visitor waits for them."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return
    try:
        image.get_renditions(CARD, HERO, FIGURE)
    except Exception:  # a broken upload must not break the editor's save
        logger.exception("Could not generate the renditions of image %s", image_id)
