import pytest

from themes.colours import (
    DARK_BACKGROUNDS,
    LIGHT_BACKGROUNDS,
    accent_problem,
    contrast_ratio,
    dark_palette,
    light_palette,
    mix,
    primary_problem,
)

# Colours a brand might pick that pass validation: dark enough for white text.
BRAND_PRIMARIES = ["#2456d6", "#b91c1c", "#000000", "#0b6e4f", "#6d28d9", "#9a3412", "#334155"]
BRAND_ACCENTS = ["#0f766e", "#f59e0b", "#ffffff", "#111111", "#ec4899", "#84cc16"]


def test_black_on_white_is_21_to_1():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_a_colour_against_itself_is_1_to_1():
    assert contrast_ratio("#2456d6", "#2456d6") == pytest.approx(1)


def test_mixing_halfway_lands_between_the_two_colours():
    assert mix("#000000", "#ffffff", 0.5) == "#808080"


def test_a_light_primary_is_refused_with_its_ratio():
    problem = primary_problem("#60a5fa")

    assert problem is not None
    assert "2.3:1" in problem


def test_a_ratio_just_under_the_limit_is_not_rounded_up_to_a_pass():
    # #777777 is 4.48:1 on white: the message must not claim 4.5.
    assert "4.4:1" in accent_problem("#777777")


@pytest.mark.parametrize("primary", BRAND_PRIMARIES)
def test_accepted_primaries_pass(primary):
    assert primary_problem(primary) is None


@pytest.mark.parametrize("primary", BRAND_PRIMARIES)
@pytest.mark.parametrize("accent", BRAND_ACCENTS)
def test_every_text_pair_of_the_light_palette_reaches_aa(primary, accent):
    palette = light_palette(primary, accent)

    assert contrast_ratio(palette.primary, palette.on_primary) >= 4.5
    assert contrast_ratio(palette.primary, palette.primary_soft) >= 4.5
    assert contrast_ratio(palette.accent, palette.on_accent) >= 4.5
    for background in LIGHT_BACKGROUNDS:
        assert contrast_ratio(palette.primary, background) >= 4.5


@pytest.mark.parametrize("primary", BRAND_PRIMARIES)
@pytest.mark.parametrize("accent", BRAND_ACCENTS)
def test_every_text_pair_of_the_dark_palette_reaches_aa(primary, accent):
    palette = dark_palette(primary, accent)

    assert contrast_ratio(palette.primary, palette.on_primary) >= 4.5
    assert contrast_ratio(palette.primary, palette.primary_soft) >= 4.5
    assert contrast_ratio(palette.accent, palette.on_accent) >= 4.5
    for background in DARK_BACKGROUNDS:
        assert contrast_ratio(palette.primary, background) >= 4.5


def test_declarations_are_only_custom_properties_with_hex_values():
    css = light_palette("#2456d6", "#0f766e").declarations()

    assert css.startswith("--color-primary:#2456d6;")
    assert all(part.split(":")[1].startswith("#") for part in css.split(";"))
