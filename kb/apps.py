from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeBaseConfig(AppConfig):
    name = "kb"
    verbose_name = _("Knowledge base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Wagtail's publish and Django's delete signals are the only way to hear about
        # pages published or deleted by Wagtail's own views, workflows and commands.
        from kb import receivers  # noqa: F401
