"""A page at the top of the tree lives at /<slug>/: its slug may not be one the site's own
URLs take, or the page could never be reached."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum.models import CategoryPage, CommunityIndexPage
from forum.pages import site_url_prefixes
from kb.models import KnowledgeBaseIndexPage
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_taken_prefixes_are_read_from_the_url_configuration():
    taken = site_url_prefixes()

    assert {"search", "questions", "tags", "api", "admin", "accounts", "members"} <= taken
    assert {"static", "media"} <= taken
    assert "" not in taken


@pytest.mark.parametrize("slug", ["search", "questions", "api", "static"])
def test_a_category_cannot_take_a_site_address(slug):
    index = CommunityIndexPage.objects.get()

    with pytest.raises(ValidationError) as refused:
        index.add_child(instance=CategoryPage(title="Search", slug=slug))

    assert list(refused.value.message_dict) == ["slug"]


def test_the_knowledge_base_cannot_take_one_either():
    index = CommunityIndexPage.objects.get()

    with pytest.raises(ValidationError) as refused:
        index.add_child(instance=KnowledgeBaseIndexPage(title="KB", slug="kb"))

    assert list(refused.value.message_dict) == ["slug"]


def test_the_wagtail_editor_shows_the_refusal_on_the_slug(client):
    client.force_login(StaffFactory(is_superuser=True))
    index = CommunityIndexPage.objects.get()

    response = client.post(
        reverse("wagtailadmin_pages:add", args=["forum", "categorypage", index.pk]),
        {"title": "Search help", "slug": "search", "intro": "", "icon": "", "colour": "#2563eb"},
    )

    assert response.status_code == 200
    assert "taken by one of the site" in response.content.decode()
    assert not CategoryPage.objects.filter(slug="search").exists()


def test_an_ordinary_slug_is_fine():
    index = CommunityIndexPage.objects.get()

    index.add_child(instance=CategoryPage(title="Routers", slug="routers"))

    assert CategoryPage.objects.filter(slug="routers").exists()
