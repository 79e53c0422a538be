from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app names its event verbs in verbs.py, its reactions in subscribers.py and
        # what it adds to other apps' pages in panels.py (docs/ARCHITECTURE.md), and its
        # periodic jobs in jobs.py (core.periodic); importing them registers them.
        autodiscover_modules("verbs")
        autodiscover_modules("subscribers")
        autodiscover_modules("panels")
        autodiscover_modules("jobs")  # periodic jobs (core.periodic)
        # Wagtail's own page actions record no event of ours: they empty the page cache.
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core import pagecache

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(pagecache.invalidate_everything_after_commit, dispatch_uid="pagecache")
