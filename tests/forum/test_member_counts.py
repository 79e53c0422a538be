"""A member's profile counts (forum.models.MemberCounts) follow every write that changes
them, through events, and the profile reads them without counting (forum/subscribers.py,
docs/performance.md, "A member's counts")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import actions, jobs, queries
from forum.models import MemberCounts
from tests.factories import ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "Open the tray, pull the paper out gently, then restart the printer twice."


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a write as if it committed: its events are delivered."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def _stored(member) -> tuple[int, int, int] | None:
    """The stored counts once the periodic recount has run (forum/jobs.py)."""
    jobs.recount_member_posts(None)
    row = MemberCounts.objects.filter(user=member).first()
    return (row.questions, row.answers, row.accepted) if row else None


def _shown(member) -> tuple[int, int, int]:
    found = queries.member_profile(member.username)
    return found.question_count, found.answer_count, found.accepted_count


@pytest.fixture
def thread(write):
    asker = UserFactory(reputation=500)
    answerer = UserFactory(reputation=500)
    question = QuestionFactory(author=asker)
    answer = write(actions.post_answer, answerer, question, body=BODY)
    return asker, answerer, question, answer


def test_an_answer_counts_for_its_author_once_the_event_is_delivered(thread):
    _, answerer, _, _ = thread

    assert _stored(answerer) == (0, 1, 0)
    assert _shown(answerer) == (0, 1, 0)


def test_accepting_and_unaccepting_move_the_accepted_count(write, thread):
    asker, answerer, question, answer = thread

    write(actions.accept_answer, asker, question, answer)
    assert _stored(answerer) == (0, 1, 1)

    write(actions.unaccept_answer, asker, question)
    assert _stored(answerer) == (0, 1, 0)


def test_hiding_a_question_takes_its_answers_out_of_their_authors_counts(write, thread):
    asker, answerer, question, _ = thread
    moderator = ModeratorFactory()

    write(actions.hide_post, moderator, question)
    assert _stored(answerer) == (0, 0, 0)
    assert _stored(asker) == (0, 0, 0)

    write(actions.unhide_post, moderator, question)
    assert _stored(answerer) == (0, 1, 0)


def test_deleting_an_answer_takes_it_out_of_the_count(write, thread):
    _, answerer, _, answer = thread

    write(actions.delete_answer, answerer, answer)

    assert _stored(answerer) == (0, 0, 0)


def test_the_profile_reads_the_stored_counts_and_counts_only_a_member_without_a_row():
    member = UserFactory()
    QuestionFactory(author=member)  # no action, no event: no row
    assert _shown(member) == (1, 0, 0)  # counted live

    MemberCounts.objects.create(user=member, questions=7, answers=5, accepted=3)

    assert _shown(member) == (7, 5, 3)  # the row, not a count


def test_the_profile_costs_one_query_with_or_without_a_row():
    with_row, without = UserFactory(), UserFactory()
    MemberCounts.objects.create(user=with_row, questions=1)
    counts = []
    for member in (with_row, without):
        with CaptureQueriesContext(connection) as captured:
            queries.member_profile(member.username)
        counts.append(len(captured))

    assert counts == [1, 1]


def test_a_recount_is_idempotent_and_matches_the_posts(write, thread):
    _, answerer, _, _ = thread
    MemberCounts.objects.filter(user=answerer).update(answers=99)

    actions.recount_member_posts([answerer.pk])
    actions.recount_member_posts([answerer.pk])

    assert _stored(answerer) == (0, 1, 0)


def test_an_event_counts_a_new_member_at_once_and_marks_a_counted_one_stale(write, thread):
    answerer = thread[1]
    assert MemberCounts.objects.get(user=answerer).stale is False  # counted at once

    write(actions.post_answer, answerer, QuestionFactory(), body=BODY)

    row = MemberCounts.objects.get(user=answerer)
    assert (row.answers, row.stale) == (1, True)  # the profile shows 1 until the recount
    jobs.recount_member_posts(None)
    row.refresh_from_db()
    assert (row.answers, row.stale) == (2, False)
