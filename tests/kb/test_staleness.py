"""Staleness: forum.actions will call note_source_changed after commit; these tests make
each real change through forum.actions and then call it the same way."""

import pytest

from forum import actions as forum_actions
from forum.errors import NotAllowed
from kb.actions import mark_reviewed, note_source_changed, promote_question
from kb.models import ArticlePage, ArticleReview, SourceChange
from kb.queries import attach_source_diffs, stale_articles
from tests.factories import AnswerFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor, solved_question):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


def _review(article) -> ArticleReview:
    return ArticleReview.objects.get(article_id=article.pk)


def test_editing_the_accepted_answer_marks_the_article_stale(article, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="Unplug it for thirty seconds instead.")

    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)

    review = _review(article)
    assert review.stale is True
    assert review.stale_changes == ["answer_edited"]
    assert review.stale_reason == "The accepted answer was edited."
    assert review.stale_since is not None


def test_accepting_a_different_answer_marks_the_article_stale(article, solved_question):
    other = AnswerFactory(question=solved_question, body="Call your provider, it is an outage.")
    forum_actions.accept_answer(solved_question.author, solved_question, other)

    note_source_changed(solved_question.pk, SourceChange.ANSWER_CHANGED)

    assert _review(article).stale_changes == ["accepted_answer_changed"]


def test_withdrawing_the_acceptance_marks_the_article_stale(article, solved_question):
    forum_actions.unaccept_answer(solved_question.author, solved_question)

    note_source_changed(solved_question.pk, SourceChange.ANSWER_CHANGED)

    assert _review(article).stale is True


def test_closing_the_question_marks_the_article_stale(article, solved_question):
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")

    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    assert _review(article).stale_changes == ["question_closed"]


def test_deleting_the_question_marks_the_article_stale(article, solved_question):
    forum_actions.delete_question(solved_question.author, solved_question)

    note_source_changed(solved_question.pk, SourceChange.QUESTION_DELETED)

    assert _review(article).stale_changes == ["question_deleted"]


def test_an_unpublished_draft_is_flagged_too(editor, solved_question):
    article = promote_question(editor, solved_question)
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")

    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    assert _review(article).stale is True


def test_editing_another_answer_does_not_mark_the_article_stale(article, solved_question):
    other = AnswerFactory(question=solved_question, body="Have you tried turning it off?")
    forum_actions.edit_answer(other.author, other, body="Have you tried turning it off and on?")

    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)

    assert _review(article).stale is False


def test_a_thread_without_an_article_is_ignored(solved_question):
    assert note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED) is None


def test_an_unknown_change_is_a_programming_error(article, solved_question):
    with pytest.raises(ValueError):
        note_source_changed(solved_question.pk, "answer_exploded")


def test_each_kind_of_change_is_listed_once(article, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="First new wording of the answer.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)
    forum_actions.edit_answer(answer.author, answer, body="Second new wording of the answer.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")
    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    assert _review(article).stale_changes == ["answer_edited", "question_closed"]


def test_the_report_diffs_the_reviewed_source_against_the_current_one(article, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="Unplug it for <b>thirty</b> seconds.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)

    [review] = attach_source_diffs(list(stale_articles()))

    added = [line.text for line in review.diff if line.kind == "added"]
    removed = [line.text for line in review.diff if line.kind == "removed"]
    assert added == ["Unplug it for <b>thirty</b> seconds."]
    assert "sudo systemctl restart router" in removed


def test_saving_a_draft_of_an_unpublished_article_keeps_the_flag(editor, solved_question):
    # Wagtail writes every page field from the revision when a never-published page's
    # draft is saved; the flag lives outside the page, so the save can't clear it.
    article = promote_question(editor, solved_question)
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")
    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    draft.summary = "Edited by an editor."
    draft.save()
    draft.save_revision(user=editor)

    assert _review(article).stale is True


def test_marking_reviewed_clears_the_flag_and_stamps_the_review(article, editor, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="Unplug it for thirty seconds instead.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)
    before = _review(article).last_reviewed_at

    mark_reviewed(editor, article)

    review = _review(article)
    assert (review.stale, review.stale_changes, review.stale_since) == (False, [], None)
    assert review.last_reviewed_at > before
    assert review.last_reviewed_by == editor
    assert review.snapshot["answer"] == "Unplug it for thirty seconds instead."


def test_after_a_review_the_same_source_no_longer_flags(article, editor, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="Unplug it for thirty seconds instead.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)
    mark_reviewed(editor, article)

    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)

    assert _review(article).stale is False


def test_republishing_clears_the_flag(article, editor, solved_question):
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")
    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    article.save_revision(user=editor).publish(user=editor)

    review = _review(article)
    assert review.stale is False
    assert review.snapshot["state"] == "closed"


def test_a_member_cannot_mark_an_article_reviewed(article, solved_question):
    forum_actions.set_question_state(StaffFactory(), solved_question, "closed")
    note_source_changed(solved_question.pk, SourceChange.QUESTION_CLOSED)

    with pytest.raises(NotAllowed):
        mark_reviewed(UserFactory(), article)
    assert _review(article).stale is True


def test_staff_who_cannot_edit_the_article_cannot_mark_it_reviewed(article):
    with pytest.raises(NotAllowed):
        mark_reviewed(StaffFactory(), article)
