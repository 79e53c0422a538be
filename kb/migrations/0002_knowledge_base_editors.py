"""Create the "Knowledge base editors" group: it may promote solved questions and enter the
Wagtail admin. Page permissions on the knowledge base itself are granted on its index
page (kb.demo.ensure_kb_index does it for the demo; staff do it in Settings > Groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Knowledge base editors"
PERMISSIONS = [("kb", "promote_question"), ("wagtailadmin", "access_admin")]


def create_group(apps, schema_editor):
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
