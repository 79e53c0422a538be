"""Template helpers for the theme: the site's colours as CSS, and localised numbers."""

from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

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


@register.filter
def number(value) -> str:
    """An integer in the reader's language: 12,345 in English, 12.345 in Indonesian."""
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)
