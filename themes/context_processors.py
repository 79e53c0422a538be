from django.conf import settings
from django.http import HttpRequest


def site_chrome(request: HttpRequest) -> dict:
    """What every page's header and footer need (no queries)."""
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "COMMENT_REPUTATION": settings.TANYA_PRIVILEGES["COMMENT"],
    }
