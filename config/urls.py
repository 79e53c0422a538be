import re

from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver, include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts import urls as accounts_urls
from config import seo
from config.api import api
from core import media, page_urls
from core.language import OptionalLanguagePrefix
from forum import urls as forum_urls

# accounts: is the account's own pages plus the forum's member pages (profile, data
# download), which show posts; accounts itself imports nothing from the forum.
_accounts_pages = ([*accounts_urls.urlpatterns, *forum_urls.member_urlpatterns], "accounts")

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: kept for old forms
    path("sitemap.xml", sitemap, {"sitemaps": seo.SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("_allauth/", include("allauth.headless.urls")),
    path("search/", include("search.urls")),
    path("", include(_accounts_pages)),
    path("", include("forum.urls")),
    path("", include("kb.urls")),
    path("", include("notifications.urls")),
    path("", include("support.urls")),
    path("", include("moderation.urls")),
]

# Media, in development and production alike: avatars and Wagtail images for everyone
# (core/media.py); post attachments only through forum's view, never from here.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}"
            r"(?P<folder>avatars|images|original_images)/(?P<name>[^/]+)$",
            media.serve_public_media,
            name="media",
        )
    ]

# Wagtail serves the page tree (home, categories, the knowledge base) for anything not
# matched above: English pages at /..., Indonesian ones at /id/... (docs/i18n.md).
urlpatterns += [URLResolver(OptionalLanguagePrefix(), page_urls)]
