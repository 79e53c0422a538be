import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Sum

from accounts.models import User
from forum import demo
from forum.models import (
    Answer,
    CategoryPage,
    Comment,
    CommunityIndexPage,
    Question,
    QuestionState,
    ReputationEntry,
    Revision,
    Vote,
)

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    from wagtail.models import Page
    from wagtail.models import Revision as PageRevision

    models = [User, Question, Answer, Comment, Vote, ReputationEntry, Revision, Page, PageRevision]
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_builds_the_community():
    _load()

    index = CommunityIndexPage.objects.get(locale__language_code="en")
    assert index.title == demo.COMMUNITY_TITLE
    assert CategoryPage.objects.child_of(index).live().count() == len(demo.CATEGORIES)
    # and moderation's two spam questions for the review queue (moderation/demo.py)
    assert Question.objects.count() == len(demo.THREADS) + 2
    assert Question.objects.filter(answer_count=0).exists()
    assert Question.objects.exclude(verified_by=None).exists()
    assert Question.objects.filter(state=QuestionState.CLOSED).count() == 1
    assert Question.objects.filter(title__startswith="Bagaimana cara mengubah").exists()


def test_load_demo_creates_a_superuser_staff_member_and_a_moderator():
    _load()

    rina, budi = User.objects.get(username="rina"), User.objects.get(username="budi")
    assert rina.is_staff and rina.is_superuser
    assert budi.groups.filter(name="Moderators").exists()
    assert budi.is_moderator and not budi.is_staff


def test_the_printed_demo_passwords_sign_in():
    output = _load()

    for member in demo.MEMBERS:
        assert f"{member.username}  " in output and member.password in output
        assert authenticate(username=member.username, password=member.password) is not None


def test_loading_the_demo_twice_changes_nothing_and_prints_the_same_accounts():
    first = _load()
    before = _counts()

    second = _load()

    assert _counts() == before
    assert "nothing to add" in second
    assert first.split("demo accounts")[1] == second.split("demo accounts")[1]


def test_the_demo_leaves_every_reputation_equal_to_its_ledger():
    _load()

    for user in User.objects.annotate(ledger=Sum("reputation_entries__amount")):
        assert user.reputation == 1 + (user.ledger or 0), user.username
    assert User.objects.filter(reputation__gt=1, is_staff=False).count() >= 8
