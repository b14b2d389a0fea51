"""Image renditions used by the templates and the API.

Renditions are generated when an image is saved (see ``pages.signals``) and by the
demo seeder, so that no visitor pays for the first WebP conversion. Templates spell
the same filters with spaces: ``{% image page.image fill-640x360 format-webp %}``.
"""

CARD = "fill-640x360|format-webp"
HERO = "fill-1200x630|format-webp"
FIGURE = "max-960x720|format-webp"
LOGO = "max-240x96|format-webp"

ALL = (CARD, HERO, FIGURE, LOGO)
