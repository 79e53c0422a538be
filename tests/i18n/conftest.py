import pytest
from wagtail.models import Locale

from forum.pages import CommunityIndexPage
from tests.factories import CategoryFactory, community_index


def translate(page, *, title: str, slug: str | None = None, **fields):
    """`page`'s Indonesian translation, published, as Wagtail's "Translate" makes it."""
    locale = Locale.objects.get(language_code="id")
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.title = title
    copy.slug = slug or copy.slug
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


@pytest.fixture
def indonesian_home(db) -> CommunityIndexPage:
    home = community_index()
    return translate(home, title="Beranda", intro="<p>Selamat datang</p>")


@pytest.fixture
def billing(db):
    return CategoryFactory(title="Billing", slug="billing", intro="Invoices and payments")


@pytest.fixture
def tagihan(indonesian_home, billing):
    return translate(billing, title="Tagihan", slug="tagihan", intro="Faktur dan pembayaran")
