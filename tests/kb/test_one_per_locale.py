"""The knowledge-base index and the FAQ page: one per language, not one in all (a plain
`max_count = 1` counted both locales, so Wagtail's "Translate" could refuse the
Indonesian one; forum.pages.OnePerLocaleMixin). The community home too."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from kb.demo import ensure_kb_index
from kb.models import FAQPage, KnowledgeBaseIndexPage
from tests.factories import community_index

pytestmark = pytest.mark.django_db


def _translate(page, **fields):
    copy = page.copy_for_translation(Locale.objects.get(language_code="id"), copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


def test_an_indonesian_translation_of_each_can_be_created_but_no_second_english_one():
    english_home = community_index()
    index = ensure_kb_index()
    faq = FAQPage.objects.child_of(index).get()
    indonesian_home = _translate(english_home, title="Beranda")

    # Before: the Indonesian home may have a knowledge base; the English one has its own.
    assert KnowledgeBaseIndexPage.can_create_at(indonesian_home)
    assert not KnowledgeBaseIndexPage.can_create_at(english_home)
    assert not FAQPage.can_create_at(index)

    indonesian_index = _translate(index, title="Basis pengetahuan", slug="basis-pengetahuan")
    assert FAQPage.can_create_at(indonesian_index)
    indonesian_faq = _translate(faq, title="Pertanyaan umum", slug="pertanyaan-umum")

    assert indonesian_index.locale.language_code == "id"
    assert indonesian_faq.get_parent().specific == indonesian_index
    assert KnowledgeBaseIndexPage.objects.count() == FAQPage.objects.count() == 2
    # Now each locale has its own: none more in either.
    assert not KnowledgeBaseIndexPage.can_create_at(indonesian_home)
    assert not FAQPage.can_create_at(indonesian_index)
    assert not FAQPage.can_create_at(index)


@pytest.mark.parametrize("model", [KnowledgeBaseIndexPage, FAQPage])
def test_saving_a_second_english_one_is_refused(model):
    community_index()
    index = ensure_kb_index()
    parent = index.get_parent() if model is KnowledgeBaseIndexPage else index
    second = model(title="Second", slug="second-one")

    with pytest.raises(ValidationError, match="already"):
        parent.add_child(instance=second)
    assert model.objects.count() == 1


def test_the_community_home_is_one_per_language_too():
    from forum.pages import CommunityIndexPage

    english_home = community_index()
    indonesian_home = _translate(english_home, title="Beranda")

    assert indonesian_home.locale.language_code == "id"
    with pytest.raises(ValidationError, match="already"):
        english_home.get_parent().add_child(
            instance=CommunityIndexPage(title="Second home", slug="second-home")
        )
    assert CommunityIndexPage.objects.count() == 2
