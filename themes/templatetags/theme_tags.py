"""Template helpers for the theme: the site's colours as CSS, and localised numbers."""

from urllib.parse import quote

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from core.seo import on_site as _on_site
from themes.models import ThemeSettings

register = template.Library()


@register.simple_tag
def theme_style(theme: ThemeSettings) -> str:
    """The site's palette as custom properties, for a <style> element in <head>.

    Same selectors as the stylesheet's own light and dark tokens (tanya.css), so coming
    later in the page is enough to win. Palette.declarations() checks that every value is
    #rrggbb before anything reaches the page unescaped.
    """
    light, dark = theme.light.declarations(), theme.dark.declarations()
    return mark_safe(
        f":root{{{light}}}"
        f':root[data-theme="dark"]{{{dark}}}'
        f'@media (prefers-color-scheme: dark){{:root:not([data-theme="light"]){{{dark}}}}}'
    )


@register.simple_tag
def theme_mark_icon(theme: ThemeSettings) -> str:
    """The brand mark (a "?" on the accent colour) as an SVG data: URL, for the tab icon
    of a site that hasn't uploaded a favicon. Inline, so it costs no request and follows
    the site's colours."""
    palette = theme.light
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="14" fill="{palette.accent}"/>'
        '<text x="32" y="47" font-family="system-ui,sans-serif" font-size="42" '
        f'font-weight="900" text-anchor="middle" fill="{palette.on_accent}">?</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


@register.filter
def number(value) -> str:
    """An integer in the reader's language: 12,345 in English, 12.345 in Indonesian."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def on_site(path: str) -> str:
    """``{{ page.url|on_site }}``: the absolute URL on SITE_URL's host (core/seo.py)."""
    return _on_site(str(path or "/"))
