import pytest
from django.urls import reverse

from forum.models import Comment
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_saved(client):
    question = QuestionFactory()

    response = client.post(
        reverse("forum:comment_question", args=[question.pk]), {"body": "Which model?"}
    )

    assert response["Location"].startswith(reverse("account_login"))
    assert not Comment.objects.exists()


def test_commenting_without_javascript_redirects_to_the_comments(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(
        reverse("forum:comment_question", args=[question.pk]), {"body": "It is a TP-Link."}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#comments-question-{question.pk}")
    assert Comment.objects.get().body == "It is a TP-Link."


def test_commenting_with_htmx_returns_the_comment_list_with_the_new_comment(client):
    answer = AnswerFactory()
    client.force_login(answer.question.author)

    response = client.post(
        reverse("forum:comment_answer", args=[answer.pk]),
        {"body": "That *worked*, thanks!"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert html.strip().startswith(f'<div class="comments" id="comments-answer-{answer.pk}"')
    assert "That <em>worked</em>, thanks!" in html


def test_a_too_short_comment_with_htmx_shows_the_error_in_place(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(
        reverse("forum:comment_question", args=[question.pk]), {"body": "x"}, headers=HTMX
    )

    assert response.status_code == 200
    assert "The comment is too short." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_too_short_comment_without_javascript_flashes_the_error(client):
    question = QuestionFactory()
    client.force_login(question.author)

    response = client.post(
        reverse("forum:comment_question", args=[question.pk]), {"body": "x"}, follow=True
    )

    assert "The comment is too short." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_new_member_cannot_comment_on_someone_elses_question(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))

    response = client.post(
        reverse("forum:comment_question", args=[question.pk]),
        {"body": "Have you tried turning it off?"},
        headers=HTMX,
    )

    assert "reputation to comment" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_author_deletes_their_comment_with_htmx(client):
    question = QuestionFactory()
    comment = CommentFactory(question=question, body="A comment to delete.")
    client.force_login(comment.author)

    response = client.post(reverse("forum:delete_comment", args=[comment.pk]), headers=HTMX)

    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert "A comment to delete." not in response.content.decode()


def test_the_author_deletes_their_comment_without_javascript(client):
    answer = AnswerFactory()
    comment = CommentFactory(answer=answer)
    client.force_login(comment.author)

    response = client.post(reverse("forum:delete_comment", args=[comment.pk]))

    comment.refresh_from_db()
    assert response["Location"].endswith(f"#comments-answer-{answer.pk}")
    assert comment.deleted_at is not None


def test_a_stranger_cannot_delete_a_comment(client):
    comment = CommentFactory(question=QuestionFactory())
    client.force_login(UserFactory())

    client.post(reverse("forum:delete_comment", args=[comment.pk]))

    comment.refresh_from_db()
    assert comment.deleted_at is None
