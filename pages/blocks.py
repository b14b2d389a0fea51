"""StreamField blocks shared by the public pages."""

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .images import FIGURE

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


def image_api_representation(image):
    """An image in the API: a WebP rendition's URL and size, and its alternative text."""
    if image is None:
        return None
    rendition = image.get_rendition(FIGURE)
    if getattr(image, "decorative", False):
        alt = ""
    else:
        alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text
    return {
        "id": image.pk,
        "url": rendition.url,
        "width": rendition.width,
        "height": rendition.height,
        "alt": alt,
    }


def document_api_representation(document):
    if document is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": document.url,
        "file_extension": document.file_extension,
        "file_size": document.file_size,
    }


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="titre", max_length=150)
    level = blocks.ChoiceBlock(
        label="niveau",
        choices=[("h2", "Titre de section (h2)"), ("h3", "Sous-titre (h3)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "pages/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label="image")
    caption = blocks.CharBlock(label="légende", required=False, max_length=255)

    class Meta:
        icon = "image"
        label = "Image"
        template = "pages/blocks/figure.html"

    def get_api_representation(self, value, context=None):
        return {"image": image_api_representation(value["image"]), "caption": value["caption"]}


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre", max_length=150)
    text = blocks.RichTextBlock(label="texte", features=RICH_TEXT_FEATURES)
    kind = blocks.ChoiceBlock(
        label="type",
        choices=[("info", "Information"), ("warning", "Important")],
        default="info",
    )

    class Meta:
        icon = "warning"
        label = "Encadré"
        template = "pages/blocks/callout.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="document")
    title = blocks.CharBlock(
        label="intitulé", required=False, help_text="Par défaut, le titre du document."
    )
    description = blocks.CharBlock(label="description", required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = "Document"
        template = "pages/blocks/document_link.html"

    def get_api_representation(self, value, context=None):
        return {
            "document": document_api_representation(value["document"]),
            "title": value["title"] or getattr(value["document"], "title", ""),
            "description": value["description"],
        }


class LinkStructValue(blocks.StructValue):
    @property
    def href(self):
        page = self.get("page")
        if page is not None:
            return page.url
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page of the site or to an address."""

    label = blocks.CharBlock(label="libellé", max_length=80)
    page = blocks.PageChooserBlock(label="page du site", required=False)
    url = blocks.CharBlock(
        label="ou adresse",
        required=False,
        max_length=255,
        help_text="Adresse complète (https://…) ou chemin (/espace-famille/).",
    )

    class Meta:
        icon = "link"
        label = "Lien"
        value_class = LinkStructValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choisissez une page du site ou saisissez une adresse (l'un ou l'autre)."
            raise StructBlockValidationError(
                block_errors={"page": ErrorList([ValidationError(message)])}
            )
        return value


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="service ou personne", max_length=150)
    role = blocks.CharBlock(label="fonction", required=False, max_length=150)
    phone = blocks.CharBlock(label="téléphone", required=False, max_length=30)
    email = blocks.EmailBlock(label="e-mail", required=False)
    hours = blocks.CharBlock(label="horaires d'accueil", required=False, max_length=255)

    class Meta:
        icon = "user"
        label = "Contact"
        template = "pages/blocks/contact.html"


class BodyBlock(blocks.StreamBlock):
    """The body of articles and content pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe", features=RICH_TEXT_FEATURES, template="pages/blocks/paragraph.html"
    )
    figure = FigureBlock()
    callout = CalloutBlock()
    document = DocumentLinkBlock()
    contact = ContactBlock()
    table = TableBlock(
        label="Tableau",
        template="pages/blocks/table.html",
        table_options={"renderer": "text", "autoColumnSize": False},
    )


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="titre de l'étape", max_length=150)
    text = blocks.RichTextBlock(label="explication", features=RICH_TEXT_FEATURES)
    image = ImageBlock(label="capture d'écran", required=False)

    class Meta:
        icon = "list-ol"
        label = "Étape"

    def get_api_representation(self, value, context=None):
        return {
            "title": value["title"],
            "text": self.child_blocks["text"].get_api_representation(value["text"], context),
            "image": image_api_representation(value["image"]),
        }


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="question", max_length=255)
    answer = blocks.RichTextBlock(label="réponse", features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question"


class FaqSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="thème", max_length=150)
    questions = blocks.ListBlock(QuestionBlock(), label="questions")

    class Meta:
        icon = "help"
        label = "Thème de questions"


class DocumentSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="catégorie", max_length=150)
    intro = blocks.TextBlock(label="introduction", required=False)
    documents = blocks.ListBlock(DocumentLinkBlock(), label="documents")

    class Meta:
        icon = "folder-open-inverse"
        label = "Catégorie de documents"
