"""The content languages' Wagtail locales (docs/i18n.md): English (Wagtail's first
migration made it) and Indonesian. Pages in each are translations of each other."""

from django.db import migrations

LANGUAGES = ["en", "id"]


def add_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def remove_indonesian(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    if not Page.objects.filter(locale__language_code="id").exists():
        Locale.objects.filter(language_code="id").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0009_attachments"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_locales, remove_indonesian)]
