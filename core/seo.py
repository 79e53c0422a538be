"""The site's one public address, for everything that must print absolute URLs to the
outside world: canonical links, Open Graph tags, robots.txt and the sitemap.

The source of truth is SITE_URL (settings.WAGTAILADMIN_BASE_URL), the same address the
emails use; neither the request's Host header nor the Wagtail Site record decide it, so
the sitemap's Wagtail pages and its questions always agree (docs/seo.md).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def site_origin() -> tuple[str, str]:
    """(scheme, host[:port]) of SITE_URL."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.scheme or "https", parts.netloc


def on_site(path_or_url: str) -> str:
    """`path_or_url` (a path, or a URL on any host) as an absolute URL on SITE_URL's host."""
    parts = urlsplit(path_or_url or "/")
    scheme, host = site_origin()
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))
