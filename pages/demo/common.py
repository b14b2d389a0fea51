"""What every part of the demo site uses: rich text, files, pages, the home page."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.demo import DEMO_TOWN_NAME

from ..models import HomePage
from . import assets

HOME_INTRO = (
    "<p>Bienvenue sur le portail famille de la ville de Belval : menus des restaurants "
    "scolaires, accueils périscolaires et de loisirs, tarifs et démarches en ligne.</p>"
)


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def paragraph(*paragraphs):
    return {"type": "paragraph", "value": p(*paragraphs)}


def heading(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


# --- Files ------------------------------------------------------------------------------


def demo_image(title, *, alt, color="bleu", label="", data=None):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = data or assets.picture(label, color=color)
        slug = slugify(title)[:60]
        image = Image(
            title=title,
            description=alt,
            file=ImageFile(io.BytesIO(data), name=f"demo-{slug}.png"),
            file_size=len(data),
        )
        image.save()
    return image


def demo_document(title, lines):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        slug = slugify(title)[:60]
        data = assets.pdf(title, lines)
        document = Document(title=title, file_size=len(data))
        document.file.save(f"demo-{slug}.pdf", ContentFile(data), save=False)
        document.save()
    return document


# --- Pages ------------------------------------------------------------------------------


def child(parent, model, slug, **fields):
    """The live child ``slug`` of ``parent``, created and published when missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    dishes = fields.pop("dishes", None)
    m2m = {
        name: fields.pop(name)
        for name in ("categories", "target_services", "target_sites")
        if name in fields
    }
    page = model(slug=slug, **fields)
    if dishes is not None:
        page.dishes = dishes
    for name, values in m2m.items():
        setattr(page, name, values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def home_page(demo):
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title=DEMO_TOWN_NAME,
            slug="accueil",
            intro=HOME_INTRO,
            alert_title="Inscriptions à l'accueil de loisirs",
            alert_message="Les inscriptions pour les prochaines vacances sont ouvertes dans "
            "l'espace famille (Inscriptions et réservations) jusqu'à dix jours avant le "
            "début des vacances.",
            alert_level="info",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = "localhost"
    site.port = 80
    site.site_name = DEMO_TOWN_NAME
    site.root_page = home
    site.save()
    # Wagtail's installation creates a "Welcome" page; the demo town replaces it.
    Page.objects.filter(
        depth=2, content_type__model="page", content_type__app_label="wagtailcore"
    ).delete()
    demo.objects["home_page"] = home
    return home
