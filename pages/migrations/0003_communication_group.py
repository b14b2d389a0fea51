"""The "Communication" group: edits and publishes the public site (pages, menus, news,
images, documents, site settings), moderates submissions, and sees nothing of the
private area. Created here so that it exists on every database."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Communication"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "delete_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "delete_document", "choose_document"],
}
MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "pages": [
        "add_newscategory",
        "change_newscategory",
        "delete_newscategory",
        "view_newscategory",
        "add_menugroup",
        "change_menugroup",
        "view_menugroup",
        "change_sitesettings",
        "view_sitesettings",
    ],
    # Reference data of the private area: chosen on pages (service pages, news
    # targeting), never edited by Communication.
    "catalogue": ["view_service", "view_site"],
}


def _ensure_permissions(apps):
    # Django creates permissions after migrating; this migration needs them now.
    # (wagtailadmin's access_admin permission is created by its own migration.)
    for label in ("wagtailcore", "wagtailimages", "wagtaildocs", "pages", "catalogue"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_group(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, codenames in MODEL_PERMISSIONS.items():
        for codename in codenames:
            group.permissions.add(_permission(apps, app_label, codename))

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", codename)
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, codename),
                )
    if root_page is not None:
        _moderate_with(apps, group, root_page)


def _moderate_with(apps, group, root_page):
    """Communication approves what is submitted for moderation on the whole tree."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    link = WorkflowPage.objects.filter(page=root_page).select_related("workflow").first()
    if link is not None and link.workflow.active:
        task_ids = WorkflowTask.objects.filter(workflow=link.workflow).values_list("task_id")
        tasks = list(GroupApprovalTask.objects.filter(pk__in=task_ids, active=True))
        if tasks:
            for task in tasks:
                task.groups.add(group)
            return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Validation Communication", content_type=content_type, active=True
    )
    task.groups.add(group)
    workflow = Workflow.objects.create(name="Validation Communication", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_public_site"),
        ("catalogue", "0003_tariff_exclusion_constraints"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
