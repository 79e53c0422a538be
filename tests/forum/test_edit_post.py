import pytest
from django.utils import timezone

from forum.actions import ask_question, edit_answer, edit_question, post_answer
from forum.errors import InvalidInput, NotAllowed, PostDeleted, QuestionLocked
from forum.models import QuestionState, Revision
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.forum.ledger import member

pytestmark = pytest.mark.django_db

NEW_TITLE = "How do I factory-reset my router?"
NEW_BODY = "Holding the button for a second did nothing; what next?"
NEW_ANSWER = "Hold it for thirty seconds while the router is switched on."


def asked(author=None, **fields):
    """A question asked through the action, so it has revision 1 like real ones."""
    defaults = {
        "title": "How do I reset my router?",
        "body": "I pressed the button on the back and nothing happened.",
        "category": CategoryFactory(),
        "tags": "router",
    }
    return ask_question(author or UserFactory(), **{**defaults, **fields})


def answered(question=None, author=None):
    return post_answer(
        author or UserFactory(),
        question or asked(),
        body="Hold the reset button for ten seconds until the light blinks.",
    )


def edit(actor, question, **changes):
    fields = {
        "title": question.title,
        "body": question.body,
        "tags": sorted(question.tags.names()),
    }
    return edit_question(actor, question, **{**fields, **changes})


def test_an_author_edits_their_own_question():
    question = asked()

    edit(question.author, question, title=NEW_TITLE, body=NEW_BODY, tags="router reset")

    question.refresh_from_db()
    assert (question.title, question.body) == (NEW_TITLE, NEW_BODY)
    assert sorted(question.tags.names()) == ["reset", "router"]


def test_an_author_edits_their_own_answer():
    answer = answered()

    edit_answer(answer.author, answer, body=NEW_ANSWER)

    answer.refresh_from_db()
    assert answer.body == NEW_ANSWER


def test_an_edit_re_renders_the_body():
    question = asked()

    edit(question.author, question, body="Now the light blinks **orange** forever.")

    question.refresh_from_db()
    assert "<strong>orange</strong>" in question.body_html


def test_a_member_without_the_edit_privilege_cannot_edit_someone_elses_question():
    question = asked()

    with pytest.raises(NotAllowed):
        edit(member(reputation=1999), question, title=NEW_TITLE)


def test_a_member_without_the_edit_privilege_cannot_edit_someone_elses_answer():
    answer = answered()

    with pytest.raises(NotAllowed):
        edit_answer(member(reputation=1999), answer, body=NEW_ANSWER)


def test_a_member_with_2000_reputation_edits_someone_elses_question():
    question = asked()

    edit(member(reputation=2000), question, title=NEW_TITLE)

    question.refresh_from_db()
    assert question.title == NEW_TITLE


def test_a_member_with_2000_reputation_edits_someone_elses_answer():
    answer = answered()

    edit_answer(member(reputation=2000), answer, body=NEW_ANSWER)

    answer.refresh_from_db()
    assert answer.body == NEW_ANSWER


@pytest.mark.parametrize("factory", [ModeratorFactory, StaffFactory], ids=["moderator", "staff"])
def test_moderators_and_staff_edit_any_question_without_reputation(factory):
    question = asked()

    edit(factory(), question, title=NEW_TITLE)

    question.refresh_from_db()
    assert question.title == NEW_TITLE


def test_a_refused_edit_changes_nothing():
    question = asked()

    with pytest.raises(NotAllowed):
        edit(UserFactory(), question, title=NEW_TITLE)

    question.refresh_from_db()
    assert question.title != NEW_TITLE
    assert Revision.objects.filter(question=question).count() == 1


def test_every_question_edit_records_the_next_numbered_revision_with_its_full_source():
    question = asked()
    editor = member(reputation=2000)
    before = timezone.now()

    edit(editor, question, title=NEW_TITLE, body=NEW_BODY, tags="router reset", summary="Detail")

    revision = Revision.objects.get(question=question, number=2)
    assert (revision.editor, revision.title, revision.body, revision.tags, revision.summary) == (
        editor,
        NEW_TITLE,
        NEW_BODY,
        "router reset",
        "Detail",
    )
    assert revision.created_at >= before


def test_every_answer_edit_records_the_next_numbered_revision_with_its_full_source():
    answer = answered()

    edit_answer(answer.author, answer, body=NEW_ANSWER)
    edit_answer(answer.author, answer, body=NEW_ANSWER + " Then wait.")

    revisions = Revision.objects.filter(answer=answer)
    assert [(r.number, r.body) for r in revisions] == [
        (1, "Hold the reset button for ten seconds until the light blinks."),
        (2, NEW_ANSWER),
        (3, NEW_ANSWER + " Then wait."),
    ]
    assert {r.editor for r in revisions} == {answer.author}


def test_a_question_edit_that_changes_nothing_adds_no_revision():
    question = asked(tags="router wifi")

    edit(question.author, question, tags="WiFi router")

    assert Revision.objects.filter(question=question).count() == 1


def test_an_answer_edit_that_changes_nothing_adds_no_revision():
    answer = answered()

    edit_answer(answer.author, answer, body="  " + answer.body + "\n")

    assert Revision.objects.filter(answer=answer).count() == 1


def test_an_edit_that_changes_only_the_tags_adds_a_revision():
    question = asked(tags="router")

    edit(question.author, question, tags="router wifi")

    assert Revision.objects.filter(question=question).count() == 2


def test_editing_a_locked_question_is_refused_for_its_author():
    question = asked()
    question.state = QuestionState.LOCKED
    question.save()

    with pytest.raises(QuestionLocked):
        edit(question.author, question, title=NEW_TITLE)


def test_editing_an_answer_to_a_locked_question_is_refused_for_its_author():
    answer = answered()
    answer.question.state = QuestionState.LOCKED
    answer.question.save()

    with pytest.raises(QuestionLocked):
        edit_answer(answer.author, answer, body=NEW_ANSWER)


def test_editing_a_locked_question_is_refused_for_a_member_with_the_edit_privilege():
    question = asked()
    question.state = QuestionState.LOCKED
    question.save()

    with pytest.raises(QuestionLocked):
        edit(member(reputation=5000), question, title=NEW_TITLE)


def test_a_moderator_can_edit_a_locked_question():
    question = asked()
    question.state = QuestionState.LOCKED
    question.save()

    edit(ModeratorFactory(), question, title=NEW_TITLE)

    question.refresh_from_db()
    assert question.title == NEW_TITLE


def test_editing_a_deleted_question_is_refused():
    question = QuestionFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        edit(question.author, question, title=NEW_TITLE)


def test_editing_a_deleted_answer_is_refused():
    answer = AnswerFactory(deleted_at=timezone.now())

    with pytest.raises(PostDeleted):
        edit_answer(answer.author, answer, body=NEW_ANSWER)


def test_moving_a_question_to_another_category_keeps_its_id_and_url():
    question = asked()
    url, destination = question.get_absolute_url(), CategoryFactory()

    edit(question.author, question, category=destination)

    question.refresh_from_db()
    assert question.category == destination
    assert question.get_absolute_url() == url


def test_moving_a_question_to_another_category_records_a_revision():
    question = asked()

    edit(question.author, question, category=CategoryFactory())

    assert Revision.objects.filter(question=question).count() == 2


def test_moving_a_question_to_an_unpublished_category_is_refused():
    question = asked()
    hidden = CategoryFactory()
    hidden.unpublish()

    with pytest.raises(InvalidInput) as refused:
        edit(question.author, question, category=hidden)

    assert refused.value.field == "category"


def test_an_edit_breaking_a_limit_is_refused_on_its_field_and_changes_nothing():
    question = asked()

    with pytest.raises(InvalidInput) as refused:
        edit(question.author, question, title=NEW_TITLE, body="too short")

    question.refresh_from_db()
    assert refused.value.field == "body"
    assert question.title != NEW_TITLE
