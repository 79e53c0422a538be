from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        # Theme settings are saved by Wagtail's settings editor (no action of ours, no
        # event): a saved theme empties the anonymous page cache (core/pagecache.py).
        from django.db.models.signals import post_save

        from core import pagecache
        from themes.models import ThemeSettings

        post_save.connect(
            pagecache.invalidate_everything_after_commit,
            sender=ThemeSettings,
            dispatch_uid="themes.pagecache",
        )
