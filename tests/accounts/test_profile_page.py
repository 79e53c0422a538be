import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.actions import delete_account
from forum import actions
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _profile(member) -> str:
    return reverse("accounts:profile", args=[member.username])


def test_the_profile_page_shows_name_reputation_and_counts(client):
    member = UserFactory(display_name="Ani Wijaya", reputation=42)
    QuestionFactory.create_batch(2, author=member)
    AnswerFactory(author=member)

    response = client.get(_profile(member))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ani Wijaya" in html
    member_in_context = response.context["member"]
    assert member_in_context.reputation == 42
    assert member_in_context.question_count == 2
    assert member_in_context.answer_count == 1
    assert member_in_context.accepted_count == 0


def test_the_profile_never_shows_the_email_address(client):
    member = UserFactory(email="secret-address@example.com")

    response = client.get(_profile(member))

    assert b"secret-address" not in response.content


def test_deleted_posts_are_not_counted(client):
    member = UserFactory()
    QuestionFactory(author=member, deleted_at=timezone.now())

    response = client.get(_profile(member))

    assert response.context["member"].question_count == 0


def test_accepted_answers_are_counted(client):
    answer = AnswerFactory()
    actions.accept_answer(answer.question.author, answer.question, answer)

    response = client.get(_profile(answer.author))

    assert response.context["member"].accepted_count == 1


def test_the_reputation_history_links_each_entry_to_its_question(client):
    answer = AnswerFactory()
    actions.accept_answer(answer.question.author, answer.question, answer)

    html = client.get(_profile(answer.author)).content.decode()

    assert "+15" in html
    assert "Answer accepted" in html
    assert reverse("forum:answer_short", args=[answer.pk]) in html


def test_a_moderator_has_a_moderator_badge(client):
    moderator = ModeratorFactory()

    html = client.get(_profile(moderator)).content.decode()

    assert "Moderator" in html


def test_an_unknown_member_is_not_found(client):
    response = client.get(reverse("accounts:profile", args=["nobody-here"]))

    assert response.status_code == 404


def test_an_inactive_member_is_not_found(client):
    member = UserFactory(is_active=False)

    response = client.get(_profile(member))

    assert response.status_code == 404


@pytest.mark.parametrize("viewer", ["anonymous", "member"])
def test_the_profile_costs_the_same_queries_with_1_or_30_posts_and_entries(client, viewer):
    # The member with their counts, their permissions (user and group, for the moderator
    # badge), their ledger entries, their latest questions, their latest answers (with
    # the questions they answer), the Wagtail Site and its theme settings (base.html); a
    # logged-in viewer adds their session and user row, and the header bell's unread
    # count. The picture or initials cost none.
    expected = {"anonymous": 8, "member": 13}[viewer]  # + the viewer's permissions (suspend tools)
    if viewer == "member":
        client.force_login(UserFactory())
    counts = []
    for size in (1, 30):
        member = UserFactory()
        for _ in range(size):
            answer = AnswerFactory(author=member)
            actions.accept_answer(answer.question.author, answer.question, answer)
            QuestionFactory(author=member)
        client.get(_profile(member))
        with CaptureQueriesContext(connection) as captured:
            client.get(_profile(member))
        counts.append(len(captured))

    assert counts == [expected, expected]


def test_the_profile_shows_the_bio_and_the_latest_posts(client):
    member = UserFactory(bio="Router whisperer.\nAsk me anything.")
    question = QuestionFactory(author=member, title="Why does my router blink amber at night?")
    answer = AnswerFactory(author=member)

    html = client.get(_profile(member)).content.decode()

    assert "Router whisperer.<br>Ask me anything." in html
    assert question.get_absolute_url() in html
    assert reverse("forum:answer_short", args=[answer.pk]) in html


def test_deleted_posts_are_not_listed(client):
    member = UserFactory()
    question = QuestionFactory(author=member, deleted_at=timezone.now())

    html = client.get(_profile(member)).content.decode()

    assert question.title not in html


def test_the_bio_is_escaped(client):
    member = UserFactory(bio="<script>alert(1)</script>")

    html = client.get(_profile(member)).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_without_a_picture_the_profile_shows_initials_in_a_colour_of_their_own(client):
    member = UserFactory(display_name="Ani Wijaya")

    html = client.get(_profile(member)).content.decode()

    assert ">AW</text>" in html
    assert "hsl(" in html


def test_with_a_picture_the_profile_shows_it(client):
    member = UserFactory()
    member.avatar.name = "avatars/abc.webp"
    member.save()

    html = client.get(_profile(member)).content.decode()

    assert 'src="/media/avatars/abc.webp"' in html


def test_a_deleted_members_profile_is_gone(client):
    member = UserFactory()
    delete_account(member, member)

    response = client.get(reverse("accounts:profile", args=[f"deleted-{member.pk}"]))

    assert response.status_code == 404
