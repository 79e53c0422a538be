import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from forum.actions import delete_comment, post_comment
from forum.errors import (
    InvalidInput,
    NotAllowed,
    NotEnoughReputation,
    NotSignedIn,
    PostDeleted,
    QuestionLocked,
)
from forum.models import Comment, QuestionState
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.forum.ledger import member

pytestmark = pytest.mark.django_db

BODY = "Which firmware version is it running?"


def test_an_author_comments_on_their_own_question_without_reputation():
    question = QuestionFactory()

    comment = post_comment(question.author, question, body=BODY)

    assert (comment.question, comment.author, comment.body) == (question, question.author, BODY)


def test_an_author_comments_on_their_own_answer_without_reputation():
    answer = AnswerFactory()

    comment = post_comment(answer.author, answer, body=BODY)

    assert (comment.answer, comment.author) == (answer, answer.author)


def test_the_asker_comments_under_answers_to_their_question_without_reputation():
    answer = AnswerFactory()

    comment = post_comment(answer.question.author, answer, body=BODY)

    assert comment.author == answer.question.author


def test_a_member_below_50_reputation_cannot_comment_on_someone_elses_question():
    with pytest.raises(NotEnoughReputation):
        post_comment(member(reputation=49), QuestionFactory(), body=BODY)


def test_a_member_below_50_reputation_cannot_comment_on_someone_elses_answer():
    with pytest.raises(NotEnoughReputation):
        post_comment(member(reputation=49), AnswerFactory(), body=BODY)


def test_the_asker_of_another_question_needs_the_comment_privilege_under_an_answer():
    someone_elses = AnswerFactory()
    asker = QuestionFactory().author

    with pytest.raises(NotEnoughReputation):
        post_comment(asker, someone_elses, body=BODY)


def test_a_member_with_50_reputation_comments_anywhere():
    commenter = member(reputation=50)

    comment = post_comment(commenter, AnswerFactory(), body=BODY)

    assert comment.author == commenter


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_moderators_and_staff_comment_anywhere_without_reputation(factory):
    comment = post_comment(factory(), QuestionFactory(), body=BODY)

    assert comment.pk is not None


def test_a_comment_is_rendered_as_inline_markdown():
    question = QuestionFactory()

    comment = post_comment(question.author, question, body="Try **safe mode** and `ping`.")

    assert "<strong>safe mode</strong>" in comment.body_html
    assert "<code>ping</code>" in comment.body_html


@pytest.mark.parametrize(
    ("body", "block_tag"),
    [("# Not a heading", "<h1"), ("- not a list", "<ul"), ("> not a quote", "<blockquote")],
)
def test_a_comment_never_renders_block_markdown(body, block_tag):
    question = QuestionFactory()

    comment = post_comment(question.author, question, body=body)

    assert block_tag not in comment.body_html


def test_raw_html_in_a_comment_is_not_rendered():
    question = QuestionFactory()

    comment = post_comment(question.author, question, body="<script>alert(1)</script> hi")

    assert "<script>" not in comment.body_html


def test_a_comment_shorter_than_two_characters_is_refused_on_the_body_field():
    question = QuestionFactory()

    with pytest.raises(InvalidInput) as refused:
        post_comment(question.author, question, body="  x  ")

    assert refused.value.field == "body"


def test_a_comment_longer_than_600_characters_is_refused_on_the_body_field():
    question = QuestionFactory()

    with pytest.raises(InvalidInput) as refused:
        post_comment(question.author, question, body="x" * 601)

    assert refused.value.field == "body"


def test_a_comment_of_600_characters_is_accepted():
    question = QuestionFactory()

    comment = post_comment(question.author, question, body="x" * 600)

    assert len(comment.body) == 600


def test_whitespace_in_a_comment_is_collapsed():
    question = QuestionFactory()

    comment = post_comment(question.author, question, body="  line one\n\nline   two  ")

    assert comment.body == "line one line two"


def test_a_refused_comment_leaves_nothing_behind():
    with pytest.raises(NotEnoughReputation):
        post_comment(UserFactory(), QuestionFactory(), body=BODY)

    assert Comment.objects.count() == 0


def test_commenting_on_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        post_comment(answer.author, answer, body=BODY)


def test_commenting_on_a_deleted_question_is_refused():
    question = QuestionFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        post_comment(question.author, question, body=BODY)


def test_commenting_on_a_locked_question_is_refused_for_a_member():
    question = QuestionFactory(state=QuestionState.LOCKED)

    with pytest.raises(QuestionLocked):
        post_comment(question.author, question, body=BODY)


def test_a_visitor_who_is_not_signed_in_cannot_comment():
    with pytest.raises(NotSignedIn):
        post_comment(AnonymousUser(), QuestionFactory(), body=BODY)


def test_the_comments_author_deletes_it_softly():
    comment = CommentFactory(question=QuestionFactory())

    delete_comment(comment.author, comment)

    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.deleted_by == comment.author


def test_a_moderator_deletes_anyones_comment():
    comment, moderator = CommentFactory(question=QuestionFactory()), ModeratorFactory()

    delete_comment(moderator, comment)

    comment.refresh_from_db()
    assert comment.deleted_by == moderator


def test_a_stranger_cannot_delete_a_comment():
    comment = CommentFactory(question=QuestionFactory())

    with pytest.raises(NotAllowed):
        delete_comment(member(reputation=5000), comment)


def test_the_posts_author_cannot_delete_someone_elses_comment_on_it():
    question = QuestionFactory()
    comment = CommentFactory(question=question)

    with pytest.raises(NotAllowed):
        delete_comment(question.author, comment)


def test_deleting_a_deleted_comment_again_changes_nothing():
    comment = CommentFactory(question=QuestionFactory())
    delete_comment(comment.author, comment)
    comment.refresh_from_db()
    first = comment.deleted_at

    delete_comment(ModeratorFactory(), comment)

    comment.refresh_from_db()
    assert (comment.deleted_at, comment.deleted_by) == (first, comment.author)
