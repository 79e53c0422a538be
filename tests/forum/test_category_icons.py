"""Category icons: an inline SVG chosen in the admin, the emoji when none is chosen."""

import pytest

from forum import category_icons
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_every_choice_has_its_svg_file_and_draws_hidden_from_screen_readers():
    assert 12 <= len(category_icons.CHOICES) <= 16
    for name, _label in category_icons.CHOICES:
        svg = str(category_icons.svg(name))
        assert svg.startswith('<svg class="category-svg"')
        assert 'aria-hidden="true"' in svg and 'stroke="currentColor"' in svg
        assert "<path" in svg or "<rect" in svg or "<circle" in svg
        assert "<script" not in svg and "@license" not in svg


def test_an_unknown_name_draws_nothing():
    assert category_icons.svg("../settings") == ""


def test_the_home_page_draws_the_chosen_icon_and_falls_back_to_the_emoji(client):
    CategoryFactory(title="Routers", icon="📶", icon_name="router")
    CategoryFactory(title="Billing", icon="💳", icon_name="")

    html = client.get("/").content.decode()

    assert html.count('<svg class="category-svg"') == 1
    assert '<span class="category-icon" aria-hidden="true">💳</span>' in html
