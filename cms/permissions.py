"""French names for Django's default permissions.

Django names them in English ("Can change famille") whatever the language, and Wagtail's
group editor reads these names out to screen-reader users. After each ``migrate`` they
are renamed in the site's language ("Peut modifier famille"); a name changed by hand is
left alone.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router
from django.utils import translation

VERBS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}


def name_default_permissions_in_french(
    app_config, verbosity=0, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs
):
    try:
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Permission):
        return
    # This app comes before django.contrib.auth, whose own post_migrate handler creates
    # the permissions: create them now (it adds only those missing).
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    with translation.override(settings.LANGUAGE_CODE):
        for model in app_config.get_models():
            opts = model._meta
            for action in opts.default_permissions:
                if action not in VERBS:
                    continue
                Permission.objects.using(using).filter(
                    content_type__app_label=opts.app_label,
                    content_type__model=opts.model_name,
                    codename=f"{action}_{opts.model_name}",
                    name=f"Can {action} {opts.verbose_name_raw}"[:255],
                ).update(name=f"Peut {VERBS[action]} {opts.verbose_name}"[:255])
