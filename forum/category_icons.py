"""The icons staff choose for a category (CategoryPage.icon_name), drawn inline.

Sixteen 24 x 24 stroke icons from Lucide 1.62.0 (https://lucide.dev), ISC licence: the
SVG files in forum/icons/ are copied unchanged from the `lucide-static` package, and
forum/icons/LICENSE is its licence. They draw in `currentColor`, so they take the
category's colour and the dark theme's; a category with no icon chosen keeps its emoji
(or its first letter), as before.
"""

import re
from functools import cache
from pathlib import Path

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

ICON_DIR = Path(__file__).resolve().parent / "icons"

# The admin's choice list: file name in forum/icons/ (without .svg), label.
CHOICES = [
    ("router", _("Router")),
    ("wifi", _("Wi-Fi")),
    ("credit-card", _("Card and billing")),
    ("receipt", _("Invoice")),
    ("user", _("Account")),
    ("lock", _("Security")),
    ("smartphone", _("Mobile")),
    ("app-window", _("App")),
    ("truck", _("Delivery")),
    ("settings", _("Settings")),
    ("circle-help", _("Help")),
    ("message-circle", _("Chat")),
    ("mail", _("Email")),
    ("cloud", _("Cloud")),
    ("server", _("Server")),
    ("globe", _("Domains and web")),
]
NAMES = frozenset(name for name, _label in CHOICES)

_CHILDREN = re.compile(r"<svg\b[^>]*>(.*)</svg>", re.S)


@cache
def _children(name: str) -> str:
    """The drawing inside forum/icons/<name>.svg (its <path>s, <rect>s, ...), read once."""
    source = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    return " ".join(_CHILDREN.search(source).group(1).split())


def svg(name: str, *, size: int = 24) -> SafeString:
    """The icon `name` as an inline <svg>, hidden from screen readers (the category's
    name beside it says what it is); empty for a name that is not in CHOICES."""
    if name not in NAMES:
        return mark_safe("")
    return format_html(
        '<svg class="category-svg" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false">{}</svg>',
        size,
        size,
        mark_safe(_children(name)),  # our own files, listed in CHOICES
    )
