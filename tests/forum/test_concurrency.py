"""Concurrent writes on PostgreSQL: the row locks in forum.actions keep counters and the
reputation ledger exact, and their fixed order (question, answer, users by id) never
deadlocks. SQLite serialises writers, so these run only in the PostgreSQL pass."""

import random
import threading
import time
from collections.abc import Callable, Iterable

import pytest
from django.db import connection, transaction

from accounts.models import User
from forum.actions import accept_answer, cast_vote, delete_answer
from forum.models import Answer, Question, Vote
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.forum.ledger import assert_ledger_balanced, member, reputation_of

pytestmark = [
    pytest.mark.postgres,
    # serialized_rollback: the flush after a transactional test would otherwise take the
    # community index page and the Moderators group (data migrations) with it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JOIN_TIMEOUT = 60


def run_together(work: Callable, jobs: Iterable[tuple]) -> list[BaseException]:
    """Run work(*job) for every job, each in its own thread, all released at once.

    Returns the exceptions raised. Each thread has its own database connection and closes
    it, so the test database can be dropped afterwards.
    """
    jobs = list(jobs)
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(*job):
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            work(*job)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is still waiting: deadlock?"
    return errors


def test_twenty_members_upvoting_at_once_count_exactly_and_retracting_at_once_undoes_it():
    answer = AnswerFactory()
    start = reputation_of(answer.author)
    voters = [member(reputation=15) for _ in range(20)]

    voted = run_together(cast_vote, [(voter, answer, Vote.UP) for voter in voters])

    answer.refresh_from_db()
    assert voted == []
    assert answer.score == 20
    assert reputation_of(answer.author) == start + 200
    assert_ledger_balanced()

    retracted = run_together(cast_vote, [(voter, answer, Vote.NONE) for voter in voters])

    answer.refresh_from_db()
    assert retracted == []
    assert answer.score == 0
    assert reputation_of(answer.author) == start
    assert_ledger_balanced()


def test_members_voting_on_each_others_posts_and_accepting_at_once_do_not_deadlock():
    a, b = member(reputation=500), member(reputation=500)
    a_questions = QuestionFactory.create_batch(2, author=a)
    b_questions = QuestionFactory.create_batch(2, author=b)
    a_answers = [AnswerFactory(question=q, author=a) for q in b_questions for _ in range(2)]
    b_answers = [AnswerFactory(question=q, author=b) for q in a_questions for _ in range(2)]
    rng = random.Random(7)

    def vote_on(voter: User, posts: list) -> Callable:
        def work():
            for _ in range(15):
                cast_vote(voter, rng.choice(posts), rng.choice([Vote.UP, Vote.DOWN, Vote.NONE]))

        return work

    def accept_among(asker: User, answers: list[Answer]) -> Callable:
        def work():
            for _ in range(10):
                answer = rng.choice(answers)
                accept_answer(asker, answer.question, answer)

        return work

    jobs = [
        vote_on(a, b_questions + b_answers),
        vote_on(a, b_answers),
        vote_on(b, a_questions + a_answers),
        vote_on(b, a_answers),
        accept_among(a, b_answers),
        accept_among(b, a_answers),
    ]
    errors = run_together(lambda job: job(), [(job,) for job in jobs])

    assert errors == []
    for post in [*a_questions, *b_questions, *a_answers, *b_answers]:
        post.refresh_from_db()
        kind = "question" if isinstance(post, Question) else "answer"
        values = Vote.objects.filter(**{kind: post}).values_list("value", flat=True)
        assert post.score == sum(values)
    assert_ledger_balanced()


# --- Lock order: a write that moves several members' totals locks them all at once ------


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction pg_stat_activity is a snapshot taken at first use; drop it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _hold_then_take(first: User, second: User, started: threading.Event) -> None:
    """What cast_vote does between two members: lock the lower id, later the higher.

    Once `first` is held, wait for the other write to block on it, then take `second`.
    If that write already holds `second` while waiting for `first`, the database
    reports a deadlock here or there.
    """
    with transaction.atomic():
        list(User.objects.select_for_update(no_key=True).filter(pk=first.pk))
        started.set()
        deadline = time.monotonic() + 10
        while not _waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.02)
        list(User.objects.select_for_update(no_key=True).filter(pk=second.pk))


def _alongside(write: Callable, first: User, second: User) -> list[BaseException]:
    started = threading.Event()

    def after_the_lock_is_held():
        started.wait(JOIN_TIMEOUT)
        write()

    return run_together(
        lambda job: job(),
        [(lambda: _hold_then_take(first, second, started),), (after_the_lock_is_held,)],
    )


def test_changing_the_accepted_answer_does_not_deadlock_with_a_vote_between_the_answerers():
    asker = UserFactory()
    new_author, old_author = UserFactory(), UserFactory()  # new_author has the lower id
    question = QuestionFactory(author=asker)
    old = AnswerFactory(question=question, author=old_author)
    new = AnswerFactory(question=question, author=new_author)
    accept_answer(asker, question, old)

    errors = _alongside(lambda: accept_answer(asker, question, new), new_author, old_author)

    assert errors == []
    assert Question.objects.get(pk=question.pk).accepted_answer_id == new.pk
    assert (reputation_of(old_author), reputation_of(new_author)) == (1, 16)
    assert_ledger_balanced()


def test_deleting_an_accepted_answer_does_not_deadlock_with_a_vote_by_its_downvoter():
    downvoter = member(reputation=125)  # the lowest id of the three
    asker, answerer = UserFactory(), UserFactory()
    answer = AnswerFactory(question=QuestionFactory(author=asker), author=answerer)
    cast_vote(downvoter, answer, Vote.DOWN)
    accept_answer(asker, answer.question, answer)

    errors = _alongside(lambda: delete_answer(answerer, answer), downvoter, asker)

    assert errors == []
    assert Answer.objects.get(pk=answer.pk).deleted_at is not None
    assert reputation_of(downvoter) == 125
    assert_ledger_balanced()
