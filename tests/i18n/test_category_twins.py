"""An Indonesian category lists its English twin's questions, with the same counts."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from forum import queries
from forum.actions.validation import clean_category
from forum.models import CategoryCounts
from forum.pages import CategoryPage
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_indonesian_category_lists_the_same_questions(client, billing, tagihan):
    shown = QuestionFactory(category=billing, title="Why was I charged twice this month?")

    html = client.get(tagihan.url).content.decode()

    assert shown.title in html


def test_the_indonesian_home_shows_the_translated_category_with_the_source_counts(
    client, billing, tagihan, indonesian_home, django_capture_on_commit_callbacks
):
    from forum.actions import accept_answer

    QuestionFactory(category=billing)
    answer = AnswerFactory(question=QuestionFactory(category=billing))
    with django_capture_on_commit_callbacks(execute=True):
        accept_answer(answer.question.author, answer.question, answer)

    categories = queries.categories_with_stats(indonesian_home)

    assert [(c.pk, c.title, c.question_count, c.solved_count) for c in categories] == [
        (tagihan.pk, "Tagihan", 2, 1)
    ]
    counts = CategoryCounts.objects.get()
    assert (counts.category_id, counts.question_count) == (billing.pk, 2)


def test_the_indonesian_home_falls_back_to_an_untranslated_category(indonesian_home, billing):
    categories = queries.categories_with_stats(indonesian_home)

    assert [c.title for c in categories] == ["Billing"]


def test_the_indonesian_home_costs_two_more_queries_than_the_english(
    indonesian_home, billing, tagihan, django_assert_num_queries
):
    home = type(indonesian_home).objects.get(pk=indonesian_home.pk)
    with django_assert_num_queries(4):  # its locale, its English twin, categories, translations
        queries.categories_with_stats(home)


def test_a_question_asked_in_the_translation_is_filed_in_the_source(billing, tagihan):
    assert clean_category(tagihan).pk == billing.pk


def test_the_ask_form_offers_the_source_categories_only(billing, tagihan):
    assert list(queries.live_categories()) == [CategoryPage.objects.get(pk=billing.pk)]


def test_a_new_category_must_start_in_english(indonesian_home):
    page = CategoryPage(title="Baru", slug="baru", locale=Locale.objects.get(language_code="id"))

    with pytest.raises(ValidationError):
        page.clean()
