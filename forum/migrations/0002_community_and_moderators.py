"""Make the site's root a Community index page and create the Moderators group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("forum", "moderate_forum"),
    ("forum", "view_question"),
    ("forum", "change_question"),
    ("forum", "view_answer"),
    ("forum", "change_answer"),
    ("wagtailadmin", "access_admin"),
]


def create_community(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    CommunityIndexPage = apps.get_model("forum.CommunityIndexPage")

    if CommunityIndexPage.objects.exists():
        return
    # The placeholder "Welcome to Wagtail" page from wagtailcore's initial data.
    generic = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=generic, slug="home", depth=2).delete()
    if Page.objects.filter(depth=2).exists():
        return  # someone already built a tree; leave it alone
    content_type, _ = ContentType.objects.get_or_create(
        model="communityindexpage", app_label="forum"
    )
    locale = Locale.objects.order_by("pk").first()
    home = CommunityIndexPage.objects.create(
        title="Community",
        draft_title="Community",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=locale,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Tanya"},
    )


def create_moderators(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_community, migrations.RunPython.noop),
        migrations.RunPython(create_moderators, migrations.RunPython.noop),
    ]
