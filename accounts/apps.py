from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Signals only to hook into third-party code (STYLE.md §2): Django's log-in.
        from django.contrib.auth.signals import user_logged_in

        from accounts.language import apply_on_login

        user_logged_in.connect(apply_on_login, dispatch_uid="accounts.language.apply_on_login")
