import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from wagtail.models import PageLogEntry

from forum import actions as forum_actions
from forum.errors import NotAllowed, PostDeleted
from kb.actions import promote_question
from kb.errors import NoKnowledgeBase, NotSolved
from kb.models import ArticlePage, ArticleReview, KnowledgeBaseIndexPage
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_promoting_a_solved_question_creates_one_unpublished_draft_under_the_index(
    editor, kb_index, solved_question
):
    article = promote_question(editor, solved_question)

    assert ArticlePage.objects.count() == 1
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.get_parent().specific == kb_index
    assert article.live is False
    assert article.has_unpublished_changes is True
    assert article.owner == editor
    assert article.latest_revision.user == editor


def test_the_draft_is_prefilled_from_the_thread(editor, solved_question):
    answer = solved_question.accepted_answer

    article = ArticlePage.objects.get(pk=promote_question(editor, solved_question).pk)

    assert article.title == solved_question.title
    assert article.summary.startswith("My router stopped answering")
    assert article.category_id == solved_question.category_id
    assert sorted(article.tags.names()) == ["router", "update"]
    assert article.source_question == solved_question
    assert article.source_answer == answer
    assert list(article.credited.all()) == [answer.author]


def test_the_problem_and_solution_become_blocks_with_code_kept_as_code(editor, solved_question):
    article = ArticlePage.objects.get(pk=promote_question(editor, solved_question).pk)

    kinds = [block.block_type for block in article.body]
    assert kinds == ["heading", "rich_text", "heading", "rich_text", "code", "rich_text"]
    assert [article.body[0].value, article.body[2].value] == ["Problem", "Solution"]
    code = article.body[4].value
    assert code["language"] == "bash"
    assert code["code"] == "sudo systemctl restart router"
    assert "<code>status</code>" in article.body[5].value.source
    assert "<strong>running</strong>" in article.body[5].value.source


def test_the_latest_revision_holds_the_prefilled_content(editor, solved_question):
    article = promote_question(editor, solved_question)

    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()

    assert draft.title == solved_question.title
    assert draft.source_question_id == solved_question.pk
    assert [block.block_type for block in draft.body][4] == "code"


def test_promotion_is_logged_as_the_actors_creation(editor, solved_question):
    article = promote_question(editor, solved_question)

    actions = set(PageLogEntry.objects.filter(page=article).values_list("action", "user"))
    assert ("wagtail.create", editor.pk) in actions
    assert ("wagtail.edit", editor.pk) in actions


def test_promotion_records_the_source_as_it_is_now(editor, solved_question):
    article = promote_question(editor, solved_question)

    review = ArticleReview.objects.get(article=article)
    assert review.stale is False
    assert review.snapshot["answer_id"] == solved_question.accepted_answer_id
    assert review.snapshot["title"] == solved_question.title


def test_promoting_again_returns_the_same_article(editor, solved_question):
    first = promote_question(editor, solved_question)

    second = promote_question(editor, solved_question)

    assert second.pk == first.pk
    assert ArticlePage.objects.count() == 1


def test_promoting_again_after_publication_returns_the_published_article(editor, solved_question):
    first = promote_question(editor, solved_question)
    first.get_latest_revision().publish(user=editor)

    assert promote_question(StaffFactory(is_superuser=True), solved_question).pk == first.pk


def test_the_database_refuses_a_second_article_for_one_thread(editor, kb_index, solved_question):
    promote_question(editor, solved_question)

    with pytest.raises(IntegrityError):
        # live=False: a draft skips model validation, so this reaches the database.
        kb_index.add_child(
            instance=ArticlePage(
                title="Copy",
                summary="Copy",
                body=[("heading", "x")],
                source_question=solved_question,
                live=False,
            )
        )


def test_a_member_with_the_promote_permission_can_promote(kb_index, solved_question, editor):
    member = UserFactory()
    member.groups.add(*editor.groups.all())
    assert member.has_perm("kb.promote_question")

    assert promote_question(member, solved_question).source_question_id == solved_question.pk


def test_a_member_cannot_promote(kb_index, solved_question):
    with pytest.raises(NotAllowed):
        promote_question(UserFactory(), solved_question)
    assert not ArticlePage.objects.exists()


def test_a_moderator_who_is_not_staff_cannot_promote(kb_index, solved_question):
    with pytest.raises(NotAllowed):
        promote_question(ModeratorFactory(), solved_question)


def test_an_anonymous_visitor_cannot_promote(kb_index, solved_question):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        promote_question(AnonymousUser(), solved_question)


def test_a_member_cannot_promote_even_a_thread_already_promoted(editor, solved_question):
    promote_question(editor, solved_question)

    with pytest.raises(NotAllowed):
        promote_question(UserFactory(), solved_question)


def test_staff_without_page_permissions_in_the_knowledge_base_are_refused(
    kb_index, solved_question
):
    with pytest.raises(NotAllowed):
        promote_question(StaffFactory(), solved_question)
    assert not ArticlePage.objects.exists()


def test_the_promote_permission_alone_is_not_enough_without_page_permissions(
    kb_index, solved_question
):
    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="promote_question"))

    with pytest.raises(NotAllowed):
        promote_question(member, solved_question)


def test_an_unsolved_question_cannot_be_promoted(editor):
    question = QuestionFactory()
    AnswerFactory(question=question)

    with pytest.raises(NotSolved):
        promote_question(editor, question)


def test_a_deleted_question_cannot_be_promoted(editor, solved_question):
    forum_actions.delete_question(solved_question.author, solved_question)

    with pytest.raises(PostDeleted):
        promote_question(editor, solved_question)


def test_promotion_needs_a_knowledge_base(editor, kb_index, solved_question):
    for page in KnowledgeBaseIndexPage.objects.all():
        page.delete()

    with pytest.raises(NoKnowledgeBase):
        promote_question(editor, solved_question)
