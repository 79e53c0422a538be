"""Promotion writes its headings in the thread's language, into that language's
knowledge base when it has one (docs/i18n.md)."""

import pytest
from django.contrib.auth.models import Group

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.demo import EDITORS_GROUP, ensure_kb_index
from tests.factories import AnswerFactory, QuestionFactory, StaffFactory
from tests.i18n.conftest import translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    ensure_kb_index()
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def _solved(language: str, django_capture_on_commit_callbacks):
    question = QuestionFactory(language=language, body="Router saya mati setelah pembaruan.")
    answer = AnswerFactory(question=question, body="Tahan tombol reset selama sepuluh detik.")
    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.accept_answer(question.author, question, answer)
    return question


def _headings(article) -> list[str]:
    return [block.value for block in article.body if block.block_type == "heading"]


def test_an_indonesian_thread_gets_indonesian_headings(
    editor, indonesian_home, django_capture_on_commit_callbacks
):
    article = promote_question(editor, _solved("id", django_capture_on_commit_callbacks))

    assert _headings(article) == ["Masalah", "Solusi"]


def test_an_english_thread_gets_english_headings_whatever_the_promoters_language(
    editor, django_capture_on_commit_callbacks
):
    from django.utils import translation

    question = _solved("en", django_capture_on_commit_callbacks)
    with translation.override("id"):
        article = promote_question(editor, question)

    assert _headings(article) == ["Problem", "Solution"]


def test_an_indonesian_thread_goes_into_the_indonesian_knowledge_base(
    editor, indonesian_home, django_capture_on_commit_callbacks
):
    from kb.models import KnowledgeBaseIndexPage

    english = KnowledgeBaseIndexPage.objects.get()
    translate(english, title="Basis pengetahuan", slug="basis-pengetahuan")
    # The editors group's page permissions are on the English tree; staff grant the
    # Indonesian tree's separately (docs/i18n.md). A superuser needs none.
    editor.is_superuser = True
    editor.save()

    article = promote_question(editor, _solved("id", django_capture_on_commit_callbacks))

    assert article.locale.language_code == "id"
    assert article.get_parent().title == "Basis pengetahuan"


def test_without_an_indonesian_knowledge_base_it_goes_into_the_english_one(
    editor, django_capture_on_commit_callbacks
):
    article = promote_question(editor, _solved("id", django_capture_on_commit_callbacks))

    assert article.locale.language_code == "en"
