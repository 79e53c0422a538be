import pytest

from tests.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


def test_a_script_in_a_question_title_and_body_is_escaped_on_the_page(client):
    question = QuestionFactory(
        title=f"Why does my router {SCRIPT} reboot?", body=f"It reboots. {SCRIPT} Help."
    )

    html = client.get(question.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_a_script_in_a_title_is_escaped_on_list_pages(client):
    QuestionFactory(title=f"Why does my router {SCRIPT} reboot?")

    html = client.get("/questions/").content.decode()

    assert "<script>alert" not in html


def test_scripts_in_answers_and_comments_are_escaped(client):
    answer = AnswerFactory(body=f"Try this {SCRIPT} and restart.")
    CommentFactory(answer=answer, body=f"Nice {SCRIPT}")

    html = client.get(answer.question.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
