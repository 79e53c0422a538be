"""Per-site branding, edited in the Wagtail admin under Settings → Theme.

One row per Wagtail Site, so one instance can run several branded communities. Pages
read it through Wagtail's `settings` context processor, which fetches it once per
request and only when a template asks (htmx fragments never do).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes.colours import (
    Palette,
    accent_problem,
    colour_validator,
    dark_palette,
    is_hex_colour,
    light_palette,
    primary_problem,
)

DEFAULT_PRIMARY = "#2456d6"
DEFAULT_ACCENT = "#0f766e"


class ColourMode(models.TextChoices):
    AUTO = "auto", _("Follow the visitor's device (auto)")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


@register_setting(icon="desktop")
class ThemeSettings(BaseSiteSetting):
    brand_name = models.CharField(
        _("brand name"),
        max_length=60,
        blank=True,
        help_text=_("Shown in the header and in page titles. Empty: the site's name."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header at 40 pixels high, before the brand name."),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("favicon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A square image; browsers show it in tabs and bookmarks."),
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_PRIMARY,
        validators=[colour_validator],
        help_text=_(
            "Links and main buttons, as #rrggbb. It must be dark enough for white text; "
            "the dark theme uses a lighter shade of it, worked out for you."
        ),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[colour_validator],
        help_text=_("The brand mark and highlights, as #rrggbb."),
    )
    default_mode = models.CharField(
        _("default theme"),
        max_length=5,
        choices=ColourMode.choices,
        default=ColourMode.AUTO,
        help_text=_("What visitors see until they pick light or dark themselves."),
    )

    # Fetch the images in the settings' own query.
    select_related = ["logo", "favicon"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("brand_name"), FieldPanel("logo"), FieldPanel("favicon")],
            heading=_("Brand"),
        ),
        MultiFieldPanel(
            [
                # The browser's colour picker; it always sends #rrggbb.
                FieldPanel("primary_colour", widget=forms.TextInput(attrs={"type": "color"})),
                FieldPanel("accent_colour", widget=forms.TextInput(attrs={"type": "color"})),
                FieldPanel("default_mode"),
            ],
            heading=_("Colours"),
        ),
    ]

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def clean(self) -> None:
        """Refuse colours that would make text unreadable (WCAG AA, 4.5:1)."""
        super().clean()
        errors = {}
        checks = {"primary_colour": primary_problem, "accent_colour": accent_problem}
        for field, problem_with in checks.items():
            value = getattr(self, field) or ""
            # A malformed value already has the field validator's error; skip the maths.
            if is_hex_colour(value) and (problem := problem_with(value)):
                errors[field] = problem
        if errors:
            raise ValidationError(errors)

    def _colours(self) -> tuple[str, str]:
        """The saved colours, or the defaults if a row was written around clean()."""
        primary, accent = self.primary_colour, self.accent_colour
        if not is_hex_colour(primary) or primary_problem(primary):
            primary = DEFAULT_PRIMARY
        if not is_hex_colour(accent) or accent_problem(accent):
            accent = DEFAULT_ACCENT
        return primary, accent

    @cached_property
    def light(self) -> Palette:
        return light_palette(*self._colours())

    @cached_property
    def dark(self) -> Palette:
        return dark_palette(*self._colours())
