"""Keep the public cache fresh and image renditions ready.

Connected in ``PagesConfig.ready``. The catalogue (services, sites, tariffs) is shown on
public pages, so its changes invalidate too; the domain itself knows nothing of it.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from . import cache
from .tasks import generate_renditions

# Models shown on public pages, outside the page tree: app_label.ModelName.
WATCHED_MODELS = {
    "catalogue.site",
    "catalogue.service",
    "catalogue.tariffgrid",
    "catalogue.tariffband",
    "pages.newscategory",
    "pages.menugroup",
    "pages.sitesettings",
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.collectionviewrestriction",
    "wagtailimages.image",
    "wagtaildocs.document",
}


def _label(model):
    return model._meta.label_lower


def _page_changed(**kwargs):
    cache.invalidate_on_commit()


def _model_saved(sender, instance, update_fields=None, **kwargs):
    if _label(sender) in WATCHED_MODELS:
        cache.invalidate_on_commit()
    elif isinstance(instance, Page) and instance.live and update_fields is None:
        # A live page saved outside a publication (a script, a seeder).
        cache.invalidate_on_commit()


def _model_deleted(sender, instance, **kwargs):
    if _label(sender) in WATCHED_MODELS or isinstance(instance, Page):
        cache.invalidate_on_commit()


def _m2m_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _label(type(instance)) in (
        WATCHED_MODELS
    ):
        cache.invalidate_on_commit()


def _image_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None:
        transaction.on_commit(lambda: generate_renditions.enqueue(instance.pk))


def connect():
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"public-cache-{signal!r}")
    post_save.connect(_model_saved, dispatch_uid="public-cache-save")
    post_delete.connect(_model_deleted, dispatch_uid="public-cache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="public-cache-m2m")
    post_save.connect(_image_saved, sender=get_image_model(), dispatch_uid="image-renditions")
