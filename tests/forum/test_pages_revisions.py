import pytest
from django.urls import reverse
from django.utils import timezone

from forum import actions
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question():
    asker = UserFactory()
    question = actions.ask_question(
        asker,
        title="How do I reset my router <b>now</b>?",
        body="First line stays.\nSecond line <script>x</script> goes.",
        category=CategoryFactory(),
        tags="routers",
    )
    actions.edit_question(
        asker,
        question,
        title=question.title,
        body="First line stays.\nSecond line is new.",
        tags="routers",
        summary="Fix the second line",
    )
    return question


def test_the_revisions_page_shows_each_revision_with_its_summary(client, question):
    html = client.get(reverse("forum:question_revisions", args=[question.pk])).content.decode()

    assert "Revision 2" in html and "Revision 1" in html
    assert "Fix the second line" in html


def test_the_diff_marks_added_and_removed_lines(client, question):
    html = client.get(reverse("forum:question_revisions", args=[question.pk])).content.decode()

    assert "Second line is new.</ins>" in html
    assert "Second line &lt;script&gt;x&lt;/script&gt; goes.</del>" in html


def test_the_diff_escapes_everything(client, question):
    html = client.get(reverse("forum:question_revisions", args=[question.pk])).content.decode()

    assert "<script>x" not in html
    assert "&lt;b&gt;now&lt;/b&gt;" in html


def test_the_revisions_of_a_deleted_question_are_hidden_from_members(client):
    question = QuestionFactory(deleted_at=timezone.now())

    response = client.get(reverse("forum:question_revisions", args=[question.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("edits", [1, 10])
def test_the_revisions_page_costs_the_same_queries_however_many_revisions(
    client, django_assert_num_queries, edits
):
    asker = UserFactory()
    question = actions.ask_question(
        asker,
        title="How do I reset my router to factory settings?",
        body="Version 0 of the body, long enough to pass.",
        category=CategoryFactory(),
    )
    for number in range(1, edits + 1):
        actions.edit_question(
            asker,
            question,
            title=question.title,
            body=f"Version {number} of the body, long enough to pass.",
            tags="",
        )
    url = reverse("forum:question_revisions", args=[question.pk])

    # The question, its revisions with their editors; the Site and its theme settings.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["revisions"]) == edits + 1
