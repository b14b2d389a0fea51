"""Wagtail's default workflow and task ("Moderators approval", created by Wagtail in
English) are shown to editors on every page ("Soumettre à Moderators approval"): name
them in French. A workflow an administrator has already renamed is left alone."""

from django.db import migrations

DEFAULT_NAME = "Moderators approval"
FRENCH_NAME = "Validation Communication"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=DEFAULT_NAME).update(
        name=FRENCH_NAME
    )
    apps.get_model("wagtailcore", "Task").objects.filter(name=DEFAULT_NAME).update(
        name=FRENCH_NAME
    )


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_communication_group")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
