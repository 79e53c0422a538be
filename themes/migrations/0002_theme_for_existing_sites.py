"""Give every existing Site its theme row, so a page's first visit reads it instead of
creating it (ThemeSettings.for_request would otherwise get_or_create on a GET)."""

from django.db import migrations


def create_themes(apps, schema_editor):
    Site = apps.get_model("wagtailcore.Site")
    ThemeSettings = apps.get_model("themes.ThemeSettings")
    for site in Site.objects.filter(themesettings__isnull=True):
        ThemeSettings.objects.create(site=site)


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0001_theme_settings"),
        # After the forum makes the default site, so a new database gets its row too.
        ("forum", "0002_community_and_moderators"),
    ]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
