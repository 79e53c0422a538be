"""The sitemap lists the pages of both languages, all on SITE_URL's host."""

import re

import pytest
from django.test import override_settings
from wagtail.models import Site

pytestmark = pytest.mark.django_db

SITE = "https://forum.example.com"


def test_the_sitemap_lists_both_languages_on_one_host(client, billing, tagihan):
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)

    with override_settings(WAGTAILADMIN_BASE_URL=SITE):
        response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")

    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    for path in ("/", "/billing/", "/id/", "/id/tagihan/"):
        assert SITE + path in locations
    assert all(location.startswith(SITE + "/") for location in locations), locations
    assert len(locations) == len(set(locations))
