"""`{% page_alternates page %}`: the hreflang links of a Wagtail page that exists in more
than one language (docs/i18n.md), on SITE_URL's host like the canonical link."""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join

from core.seo import on_site

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alternates(context, page) -> str:
    """One `<link rel="alternate" hreflang>` per live translation (the page included) and
    `x-default` for the default language's, or nothing for a page in one language. One
    query."""
    translations = getattr(page, "get_translations", None)
    if translations is None:
        return ""
    request = context.get("request")
    pages = list(translations(inclusive=True).live().select_related("locale").order_by("pk"))
    links = []
    for each in pages:
        url = each.get_url(request)
        if url:
            links.append((each.locale.language_code, on_site(url)))
    if len(links) < 2:
        return ""
    default = next((url for code, url in links if code == settings.LANGUAGE_CODE), None)
    if default is not None:
        links.append(("x-default", default))
    return format_html_join(
        "\n  ", '<link rel="alternate" hreflang="{}" href="{}">', sorted(links, key=_order)
    ) or format_html("")


def _order(link: tuple[str, str]) -> tuple[bool, str]:
    return (link[0] == "x-default", link[0])
