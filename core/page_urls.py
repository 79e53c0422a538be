"""Wagtail's page tree URLs (wagtail.urls), served through core.language.serve, which
routes each language's addresses in its own tree (docs/i18n.md). config/urls.py mounts
this module behind `core.language.OptionalLanguagePrefix`, last."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views

from core import language

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path(
        "_util/login/",
        auth_views.LoginView.as_view(
            template_name=getattr(
                settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", "wagtailcore/login.html"
            )
        ),
        name="wagtailcore_login",
    ),
    re_path(wagtail_urls.serve_pattern, language.serve, name="wagtail_serve"),
]
