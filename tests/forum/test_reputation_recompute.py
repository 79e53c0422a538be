import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from forum import actions
from forum.management.commands.reputation_recompute import Drift, recompute_reputation
from forum.models import ReputationEntry, ReputationReason
from tests.factories import AnswerFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def upvoted_author() -> User:
    answer = AnswerFactory()
    actions.cast_vote(ModeratorFactory(), answer, 1)
    return User.objects.get(pk=answer.author_id)


def _drift(user: User, reputation: int) -> None:
    # The kind of write the command exists to repair: one that bypasses the ledger.
    User.objects.filter(pk=user.pk).update(reputation=reputation)


def _run(*args) -> str:
    out = io.StringIO()
    call_command("reputation_recompute", *args, stdout=out)
    return out.getvalue()


def test_recompute_rewrites_a_drifted_total_from_the_ledger(upvoted_author):
    _drift(upvoted_author, 999)

    output = _run()

    upvoted_author.refresh_from_db()
    assert upvoted_author.reputation == 11
    assert upvoted_author.username in output
    assert "999" in output
    assert "Fixed 1 member" in output


def test_recompute_leaves_members_who_match_the_ledger_alone(upvoted_author):
    bystander = UserFactory()
    _drift(upvoted_author, 999)

    drifts = recompute_reputation(fix=True)

    assert drifts == [Drift(upvoted_author.username, 999, 11, fixed=True)]
    bystander.refresh_from_db()
    assert bystander.reputation == 1


def test_check_reports_the_drift_and_exits_non_zero_without_writing(upvoted_author):
    _drift(upvoted_author, 999)
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("reputation_recompute", "--check", stdout=out)

    assert raised.value.returncode != 0
    assert upvoted_author.username in out.getvalue()
    upvoted_author.refresh_from_db()
    assert upvoted_author.reputation == 999


def test_check_passes_when_every_total_matches_the_ledger(upvoted_author):
    output = _run("--check")

    assert "matches the ledger" in output


def test_a_ledger_below_the_floor_is_reported_and_not_written(upvoted_author):
    ReputationEntry.objects.create(
        user=upvoted_author, amount=-50, reason=ReputationReason.ADJUSTMENT
    )

    with pytest.raises(CommandError, match=upvoted_author.username):
        _run()

    upvoted_author.refresh_from_db()
    assert upvoted_author.reputation == 11
