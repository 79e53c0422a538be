from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from core.seo import on_site
from themes.models import ThemeSettings

THEME_COOKIE = "theme"
THEME_CHOICES = ("light", "dark")


def _theme(request: HttpRequest) -> ThemeSettings:
    """The site's theme settings: one query, cached on the request by Wagtail, and only
    when a template reads them. A request no Site answers gets the defaults."""
    try:
        return ThemeSettings.for_request(request)
    except (ThemeSettings.DoesNotExist, Site.DoesNotExist):
        return ThemeSettings()


def site_chrome(request: HttpRequest) -> dict:
    """What every page's header and footer need (no queries until THEME is read)."""
    choice = request.COOKIES.get(THEME_COOKIE)
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "COMMENT_REPUTATION": settings.TANYA_PRIVILEGES["COMMENT"],
        "THEME": SimpleLazyObject(lambda: _theme(request)),
        # The visitor's own light/dark choice, remembered by themes/tanya.js in a cookie
        # so the server renders the right theme and nothing flashes on load.
        "THEME_CHOICE": choice if choice in THEME_CHOICES else "",
        # This page's address on SITE_URL's host, without the query (docs/seo.md).
        "CANONICAL_URL": SimpleLazyObject(lambda: on_site(request.path)),
    }
