"""Export my data: a JSON download of what the member wrote and earned, and nothing of
anybody else's."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.errors import NotAllowed, NotSignedIn
from forum import actions as forum_actions
from forum.member_queries import export_member_data
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("accounts:export")


@pytest.fixture
def thread():
    """A member's question, answered by another member whose answer the member accepts,
    upvotes and comments on; the other member also comments on the question."""
    member = UserFactory(username="ani", email="ani@example.com", bio="My bio")
    EmailAddress.objects.create(user=member, email="ani@example.com", primary=True, verified=True)
    other = UserFactory(username="budi", email="budi-secret@example.com", display_name="Budi S")
    question = QuestionFactory(author=member, title="My router reboots every night at 3")
    answer = AnswerFactory(question=question, author=other, body="Other member's answer text")
    own_answer = AnswerFactory(author=member, body="Ani answering someone else")
    forum_actions.accept_answer(member, question, answer)
    CommentFactory(question=question, author=other, body="Budi's private thoughts")
    CommentFactory(answer=answer, author=member, body="Ani says thanks")
    return member, other, question, answer, own_answer


def _download(client, member):
    client.force_login(member)
    response = client.get(URL)
    return response, json.loads(response.content)


def test_the_export_is_a_json_download(client, thread):
    member, *_ = thread

    response, _ = _download(client, member)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_export_holds_the_members_profile_posts_votes_and_reputation(client, thread):
    member, _, question, _, own_answer = thread
    voter = UserFactory(trusted=True)
    forum_actions.cast_vote(voter, own_answer, 1)

    _, data = _download(client, member)

    assert data["profile"]["username"] == "ani"
    assert data["profile"]["bio"] == "My bio"
    assert data["email_addresses"] == [
        {"email": "ani@example.com", "verified": True, "primary": True}
    ]
    assert [q["id"] for q in data["questions"]] == [question.pk]
    assert data["questions"][0]["body"] == question.body
    assert [a["id"] for a in data["answers"]] == [own_answer.pk]
    assert [c["body"] for c in data["comments"]] == ["Ani says thanks"]
    reasons = {entry["reason"] for entry in data["reputation_history"]}
    assert reasons == {"accepted_an_answer", "answer_upvoted"}


def test_the_export_holds_the_members_own_votes(client, thread):
    member, other, *_ = thread
    member.reputation = 5000
    member.save()
    post = QuestionFactory(author=other)
    forum_actions.cast_vote(member, post, 1)

    _, data = _download(client, member)

    assert data["votes"] == [
        {
            "question_id": post.pk,
            "answer_id": None,
            "value": 1,
            "created_at": data["votes"][0]["created_at"],
            "updated_at": data["votes"][0]["updated_at"],
        }
    ]


def test_the_export_holds_nothing_of_other_members(client, thread):
    member, *_ = thread

    response, _ = _download(client, member)

    body = response.content.decode()
    for secret in ("budi", "Budi", "Other member's answer text", "Budi's private thoughts"):
        assert secret not in body


def test_the_export_never_holds_mfa_secrets(client, thread):
    from allauth.mfa.totp.internal.auth import TOTP

    member, *_ = thread
    TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    response, data = _download(client, member)

    assert data["mfa"][0]["type"] == "totp"
    assert "JBSWY3DP" not in response.content.decode()


def test_the_export_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_nobody_reads_another_members_export(thread):
    member, other, *_ = thread

    with pytest.raises(NotAllowed):
        export_member_data(other, member)


def test_anonymous_visitors_read_no_export(thread):
    member, *_ = thread

    with pytest.raises(NotSignedIn):
        export_member_data(AnonymousUser(), member)


def test_a_superuser_can_export_for_a_members_request(thread):
    member, *_ = thread

    data = export_member_data(StaffFactory(is_superuser=True), member)

    assert data["profile"]["username"] == "ani"


@pytest.mark.parametrize("posts", [1, 10])
def test_the_export_costs_the_same_queries_at_any_size(posts, django_assert_num_queries):
    member = UserFactory()
    for _ in range(posts):
        question = QuestionFactory(author=member)
        AnswerFactory(author=member)
        CommentFactory(author=member, question=question)

    # Addresses, connected accounts, MFA, questions, their tags, answers with their
    # questions, comments, votes, ledger entries.
    with django_assert_num_queries(9):
        export_member_data(member, member)
