"""Colour arithmetic for site themes: WCAG contrast, and the palette a brand colour implies.

A site picks two colours. Everything else the stylesheet needs from them (hover shades,
soft tints, the dark theme's lighter variant, the text colour that sits on each) is
derived here, and every derived pair of text and background is nudged until it reaches
WCAG AA (4.5:1) so a brand colour that passes validation can't produce unreadable text
in either theme.
"""

import colorsys
import math
import re
from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
colour_validator = RegexValidator(
    HEX_RE.pattern, _("Enter a colour as #rrggbb, for example #2456d6.")
)

AA_TEXT = 4.5
# Links in the dark theme get some headroom above AA: at exactly 4.5:1 they look dim.
DARK_LINK_TARGET = 5.5

WHITE = "#ffffff"
# The stylesheet's own neutrals (themes/static/themes/tanya.css); derived colours are
# checked against them.
LIGHT_TEXT_ON = "#161a21"  # --color-text, light theme
LIGHT_BACKGROUNDS = ("#ffffff", "#f6f7f9")  # --color-surface, --color-bg
DARK_BACKGROUNDS = ("#0f1217", "#171b22", "#1f242d")  # --color-bg, -surface, -surface-2
DARK_TEXT_ON = "#0b1020"  # text on a primary-coloured button in the dark theme


def is_hex_colour(value: object) -> bool:
    return isinstance(value, str) and bool(HEX_RE.match(value))


def _rgb(colour: str) -> tuple[int, int, int]:
    if not is_hex_colour(colour):
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(255, max(0, c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0 to 1) of the way towards `other`, in sRGB."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def _nudge(colour: str, towards: str, against: tuple[str, ...], start: float = 0.0) -> str:
    """Move `colour` towards `towards` in small steps until it reaches AA against every
    colour in `against` (at worst it becomes `towards` itself)."""
    amount = start
    while amount < 1:
        candidate = mix(colour, towards, amount)
        if all(contrast_ratio(candidate, other) >= AA_TEXT for other in against):
            return candidate
        amount += 0.04
    return towards


def _lighten(colour: str, against: tuple[str, ...], target: float = AA_TEXT) -> str:
    """`colour` with its HSL lightness raised until it reaches `target` against every
    colour in `against`. Lightness, not a mix with white, so the hue keeps its saturation."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*(c / 255 for c in _rgb(colour)))
    while lightness < 1:
        candidate = _hex(tuple(c * 255 for c in colorsys.hls_to_rgb(hue, lightness, saturation)))
        if all(contrast_ratio(candidate, other) >= target for other in against):
            return candidate
        lightness += 0.02
    return WHITE


def _shown(ratio: float) -> float:
    """A ratio rounded down for messages, so 4.48 never reads as a passing "4.5"."""
    return math.floor(ratio * 10) / 10


def best_text_on(background: str) -> str:
    """White or the theme's near-black text, whichever reads better on `background`."""
    on_white = contrast_ratio(background, WHITE)
    on_dark = contrast_ratio(background, LIGHT_TEXT_ON)
    return WHITE if on_white >= on_dark else LIGHT_TEXT_ON


def primary_problem(colour: str) -> str | None:
    """Why `colour` can't be the primary colour, or None if it can.

    The primary colour is the light theme's link colour on white and on the page
    background, and the background of buttons with white text.
    """
    worst = min(contrast_ratio(colour, background) for background in LIGHT_BACKGROUNDS)
    if worst >= AA_TEXT:
        return None
    return str(
        _(
            "With white text and on the page background this colour has a contrast of "
            "%(ratio).1f:1; WCAG AA needs at least 4.5:1. Choose a darker colour."
        )
        % {"ratio": _shown(worst)}
    )


def accent_problem(colour: str) -> str | None:
    """Why `colour` can't be the accent colour, or None if it can.

    The accent colour is a background (the brand mark, highlights) with white or dark
    text on it, whichever reads better.
    """
    ratio = contrast_ratio(colour, best_text_on(colour))
    if ratio >= AA_TEXT:
        return None
    return str(
        _(
            "Neither white nor dark text reaches 4.5:1 on this colour (the best is "
            "%(ratio).1f:1). Choose a lighter or a darker colour."
        )
        % {"ratio": _shown(ratio)}
    )


@dataclass(frozen=True)
class Palette:
    """Custom properties for one theme (light or dark), all #rrggbb."""

    primary: str
    primary_hover: str
    on_primary: str
    primary_soft: str
    accent: str
    on_accent: str
    accent_soft: str

    def declarations(self) -> str:
        pairs = {
            "--color-primary": self.primary,
            "--color-primary-hover": self.primary_hover,
            "--color-on-primary": self.on_primary,
            "--color-primary-soft": self.primary_soft,
            "--color-accent": self.accent,
            "--color-on-accent": self.on_accent,
            "--color-accent-soft": self.accent_soft,
        }
        # Everything was built by mix() from validated colours; check again anyway,
        # because these strings go into a <style> element unescaped.
        if not all(is_hex_colour(value) for value in pairs.values()):
            raise ValueError("A theme colour is not #rrggbb.")
        return ";".join(f"{name}:{value}" for name, value in pairs.items())


def light_palette(primary: str, accent: str) -> Palette:
    # The soft tint sits behind primary-coloured text (tags, the current nav item).
    soft = mix(primary, WHITE, 0.88)
    if contrast_ratio(primary, soft) < AA_TEXT:
        soft = _nudge(primary, WHITE, (primary,), start=0.88)
    return Palette(
        primary=primary,
        primary_hover=mix(primary, "#000000", 0.15),
        on_primary=WHITE,
        primary_soft=soft,
        accent=accent,
        on_accent=best_text_on(accent),
        accent_soft=mix(accent, WHITE, 0.9),
    )


def dark_palette(primary: str, accent: str) -> Palette:
    # A light theme's primary is dark enough for white text, so on a dark page it's too
    # dark to read: lighten it until it reaches AA on every dark surface.
    bright = _lighten(primary, DARK_BACKGROUNDS, DARK_LINK_TARGET)
    soft = mix(primary, DARK_BACKGROUNDS[1], 0.72)
    if contrast_ratio(bright, soft) < AA_TEXT:
        soft = _nudge(soft, DARK_BACKGROUNDS[0], (bright,))
    return Palette(
        primary=bright,
        primary_hover=mix(bright, WHITE, 0.2),
        on_primary=DARK_TEXT_ON,
        primary_soft=soft,
        accent=accent,
        on_accent=best_text_on(accent),
        accent_soft=mix(accent, DARK_BACKGROUNDS[1], 0.8),
    )
