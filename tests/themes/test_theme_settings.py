import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from tests.factories import StaffFactory
from themes.models import DEFAULT_PRIMARY, ThemeSettings

pytestmark = pytest.mark.django_db


def _theme(**fields) -> ThemeSettings:
    theme = ThemeSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in fields.items():
        setattr(theme, name, value)
    return theme


def _style(html: str) -> str:
    return re.search(r"<style[^>]*>(.*?)</style>", html, re.S).group(1)


def test_the_default_colours_are_valid():
    _theme().full_clean()


def test_a_primary_colour_too_light_for_white_text_is_refused():
    theme = _theme(primary_colour="#7dd3fc")

    with pytest.raises(ValidationError) as refused:
        theme.full_clean()

    assert "primary_colour" in refused.value.message_dict
    assert "4.5:1" in refused.value.message_dict["primary_colour"][0]


def test_an_accent_colour_no_text_can_sit_on_is_refused():
    theme = _theme(accent_colour="#777777")

    with pytest.raises(ValidationError) as refused:
        theme.full_clean()

    assert list(refused.value.message_dict) == ["accent_colour"]


def test_a_malformed_colour_gets_only_the_format_error():
    theme = _theme(primary_colour="red;}")

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            theme.full_clean()
        errors = [str(message) for message in refused.value.message_dict["primary_colour"]]

    assert errors == ["Enter a colour as #rrggbb, for example #2456d6."]


def test_pages_carry_the_site_colours_in_both_themes(client):
    _theme(primary_colour="#b91c1c", accent_colour="#f59e0b").save()

    style = _style(client.get("/").content.decode())

    assert ":root{--color-primary:#b91c1c;" in style
    assert '[data-theme="dark"]{--color-primary:#' in style
    assert "--color-on-accent:#161a21" in style


def test_a_colour_saved_around_validation_never_reaches_the_page(client):
    # update() skips full_clean (seven characters: the column's length on PostgreSQL).
    ThemeSettings.objects.update(primary_colour="#f}a{b:")

    html = client.get("/").content.decode()

    assert "#f}a{b:" not in html
    assert f"--color-primary:{DEFAULT_PRIMARY}" in _style(html)


def test_the_brand_name_replaces_the_site_name_in_header_and_title(client):
    _theme(brand_name="Nusantara Help").save()

    html = client.get(reverse("forum:questions")).content.decode()

    assert "<title>All questions · Nusantara Help</title>" in html
    assert '<span class="brand__name">Nusantara Help</span>' in html


def test_the_logo_is_drawn_with_empty_alt_beside_the_brand_name(client):
    logo = Image.objects.create(title="Logo", file=get_test_image_file())
    _theme(logo=logo).save()

    html = client.get(reverse("forum:questions")).content.decode()

    assert re.search(r'<img class="brand__logo" src="[^"]+" width="\d+" height="\d+" alt="">', html)
    assert "brand__mark" not in html


def test_without_a_favicon_the_tab_shows_the_brand_mark_in_the_accent_colour(client):
    _theme(accent_colour="#f59e0b").save()

    html = client.get(reverse("forum:questions")).content.decode()

    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,' in html
    assert "fill%3D%22%23f59e0b%22" in html


def test_the_favicon_is_linked(client):
    _theme(favicon=Image.objects.create(title="Icon", file=get_test_image_file())).save()

    html = client.get(reverse("forum:questions")).content.decode()

    assert '<link rel="icon" type="image/png" sizes="64x64"' in html


@pytest.mark.parametrize(
    ("default_mode", "cookie", "expected"),
    [
        ("auto", None, "auto"),
        ("dark", None, "dark"),
        ("auto", "dark", "dark"),
        ("dark", "light", "light"),
        ("light", "purple", "light"),
    ],
)
def test_the_visitor_choice_wins_over_the_site_default(client, default_mode, cookie, expected):
    _theme(default_mode=default_mode).save()
    if cookie:
        client.cookies["theme"] = cookie

    html = client.get(reverse("forum:questions")).content.decode()

    assert f'data-theme="{expected}"' in html


def test_staff_see_the_contrast_error_in_the_wagtail_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["themes", "themesettings", site.pk])

    response = client.post(
        url,
        {
            "brand_name": "",
            "primary_colour": "#fde047",
            "accent_colour": "#0f766e",
            "default_mode": "auto",
        },
    )

    assert response.status_code == 200
    assert "WCAG AA needs at least 4.5:1" in response.content.decode()
    assert ThemeSettings.objects.get(site=site).primary_colour == DEFAULT_PRIMARY


def test_staff_can_save_a_readable_colour_in_the_wagtail_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["themes", "themesettings", site.pk])

    response = client.post(
        url,
        {
            "brand_name": "Acme",
            "primary_colour": "#0b6e4f",
            "accent_colour": "#f59e0b",
            "default_mode": "dark",
        },
    )

    assert response.status_code == 302
    saved = ThemeSettings.objects.get(site=site)
    assert (saved.brand_name, saved.primary_colour, saved.default_mode) == (
        "Acme",
        "#0b6e4f",
        "dark",
    )
