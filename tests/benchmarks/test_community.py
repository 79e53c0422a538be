"""`make bench` can't rot: its data generator runs here at a tiny size, and what it leaves
passes the project's own consistency checks (benchmarks/community.py)."""

import pytest

from benchmarks import community
from forum.models import Answer, Comment, Question, Vote

pytestmark = pytest.mark.django_db


def test_a_tiny_community_is_consistent_for_the_ledger_and_the_search_index():
    built = community.build(questions=12, log=lambda *_: None)

    assert Question.objects.count() == 12
    big = Question.objects.get(pk=built.big_question_id)
    assert big.answer_count == community.BIG_THREAD_ANSWERS == big.answers.count()
    assert Comment.objects.filter(answer__question=big).count() == (
        community.BIG_THREAD_ANSWERS * community.BIG_THREAD_COMMENTS
    )
    assert built.answers == Answer.objects.count()
    assert built.votes == Vote.objects.count() > 0
    for answer in Answer.objects.all():
        assert answer.score == answer.votes.filter(value=1).count()
    assert big.is_solved and built.article_url
    assert community.check() == []


def test_the_check_notices_a_drifted_reputation():
    community.build(questions=3, log=lambda *_: None)
    from accounts.models import User

    User.objects.filter(username="bench0").update(reputation=999_999)

    problems = community.check()

    assert len(problems) == 1 and "reputation_recompute" in problems[0]
