import pytest
from django.utils import timezone

from forum.models import Question, QuestionState, Vote
from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NEW_QUESTION = {
    "title": "How do I print a PDF file?",
    "body": "I pressed print and nothing came out at all.",
    "tags": ["printing", "pdf"],
}


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# --- Listing ----------------------------------------------------------------------------


def test_anyone_can_list_questions_newest_first(anonymous):
    older, newer = QuestionFactory(), QuestionFactory()

    response = anonymous.get("/questions/", sort="newest")

    assert response.status_code == 200
    assert _ids(response) == [newer.pk, older.pk]
    assert response.json()["next_cursor"] is None


def test_a_listed_question_carries_its_card_but_not_its_body(anonymous):
    question = QuestionFactory()
    question.tags.set(["router"])

    item = anonymous.get("/questions/").json()["items"][0]

    assert item["title"] == question.title
    assert item["url"] == f"http://testserver{question.get_absolute_url()}"
    assert item["author"]["username"] == question.author.username
    assert item["category"] == {
        "id": question.category.pk,
        "slug": question.category.slug,
        "title": question.category.title,
    }
    assert item["tags"] == ["router"]
    assert "body" not in item


def test_questions_can_be_filtered_by_category_slug(anonymous):
    wanted, _other = QuestionFactory(), QuestionFactory()

    response = anonymous.get("/questions/", category=wanted.category.slug)

    assert _ids(response) == [wanted.pk]


def test_questions_can_be_filtered_by_category_id(anonymous):
    wanted, _other = QuestionFactory(), QuestionFactory()

    response = anonymous.get("/questions/", category=str(wanted.category.pk))

    assert _ids(response) == [wanted.pk]


def test_questions_can_be_filtered_by_tag(anonymous):
    wanted, _other = QuestionFactory(), QuestionFactory()
    wanted.tags.set(["wifi"])

    response = anonymous.get("/questions/", tag="wifi")

    assert _ids(response) == [wanted.pk]


def test_an_unknown_category_filter_is_not_found(anonymous):
    response = anonymous.get("/questions/", category="no-such-category")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_tag_filter_is_not_found(anonymous):
    response = anonymous.get("/questions/", tag="no-such-tag")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_state_solved_lists_only_questions_with_an_accepted_answer(anonymous):
    solved, _open = QuestionFactory(), QuestionFactory()
    answer = AnswerFactory(question=solved)
    Question.objects.filter(pk=solved.pk).update(accepted_answer=answer, accepted_by=solved.author)

    response = anonymous.get("/questions/", state="solved")

    assert _ids(response) == [solved.pk]


def test_state_unanswered_lists_only_questions_without_answers(anonymous):
    answered, unanswered = QuestionFactory(), QuestionFactory()
    AnswerFactory(question=answered)

    response = anonymous.get("/questions/", state="unanswered")

    assert _ids(response) == [unanswered.pk]


def test_sort_votes_puts_the_highest_score_first(anonymous):
    low, high = QuestionFactory(), QuestionFactory()
    Question.objects.filter(pk=high.pk).update(score=5)
    Question.objects.filter(pk=low.pk).update(score=-1)

    response = anonymous.get("/questions/", sort="votes")

    assert _ids(response) == [high.pk, low.pk]


def test_the_list_pages_with_its_cursor(anonymous, settings):
    settings.TANYA_PAGE_SIZE = 2
    first, second, third = QuestionFactory(), QuestionFactory(), QuestionFactory()

    page_one = anonymous.get("/questions/", sort="newest").json()
    page_two = anonymous.get("/questions/", sort="newest", cursor=page_one["next_cursor"]).json()

    assert [q["id"] for q in page_one["items"]] == [third.pk, second.pk]
    assert [q["id"] for q in page_two["items"]] == [first.pk]
    assert page_two["next_cursor"] is None


def test_a_forged_cursor_starts_from_the_first_page(anonymous):
    question = QuestionFactory()

    response = anonymous.get("/questions/", cursor="forged:cursor")

    assert _ids(response) == [question.pk]


def test_an_unknown_sort_is_invalid(anonymous):
    response = anonymous.get("/questions/", sort="random")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "sort"]


def test_deleted_questions_are_not_listed(anonymous):
    QuestionFactory(deleted_at=timezone.now())

    assert anonymous.get("/questions/").json()["items"] == []


# --- Reading one ------------------------------------------------------------------------


def test_anyone_can_read_a_question_with_its_body(anonymous):
    question = QuestionFactory(body="Where is the **reset** button?")

    body = anonymous.get(f"/questions/{question.pk}/").json()

    assert body["id"] == question.pk
    assert body["body"] == "Where is the **reset** button?"
    assert body["body_html"] == "<p>Where is the <strong>reset</strong> button?</p>\n"
    assert body["state"] == "open"
    assert body["accepted_answer"] is None
    assert body["my_vote"] == 0


def test_a_question_shows_the_callers_vote():
    question = QuestionFactory()
    voter = UserFactory()
    Vote.objects.create(voter=voter, question=question, value=1)

    body = ApiClient(voter).get(f"/questions/{question.pk}/").json()

    assert body["my_vote"] == 1


def test_a_missing_question_is_not_found(anonymous):
    response = anonymous.get("/questions/999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_deleted_question_is_not_found_even_by_its_author():
    question = QuestionFactory(deleted_at=timezone.now())

    response = ApiClient(question.author).get(f"/questions/{question.pk}/")

    assert response.status_code == 404


def test_a_moderator_can_read_a_deleted_question():
    question = QuestionFactory(deleted_at=timezone.now())

    response = ApiClient(ModeratorFactory()).get(f"/questions/{question.pk}/")

    assert response.status_code == 200


# --- Asking -----------------------------------------------------------------------------


def test_a_member_can_ask_a_question():
    category = CategoryFactory()
    asker = UserFactory()

    response = ApiClient(asker).post("/questions/", {**NEW_QUESTION, "category": category.slug})

    assert response.status_code == 201
    body = response.json()
    question = Question.objects.get(pk=body["id"])
    assert question.author == asker
    assert body["title"] == NEW_QUESTION["title"]
    assert sorted(body["tags"]) == ["pdf", "printing"]
    assert body["category"]["id"] == category.pk


def test_a_question_can_name_its_category_by_id():
    category = CategoryFactory()

    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "category": category.pk}
    )

    assert response.status_code == 201
    assert response.json()["category"]["slug"] == category.slug


def test_asking_anonymously_is_refused(anonymous):
    category = CategoryFactory()

    response = anonymous.post("/questions/", {**NEW_QUESTION, "category": category.slug})

    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"
    assert not Question.objects.exists()


def test_asking_in_an_unknown_category_is_invalid():
    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "category": "no-such-category"}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "category"]


def test_asking_with_a_short_title_is_invalid():
    category = CategoryFactory()

    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "title": "Help", "category": category.pk}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"][0]["loc"] == ["body", "title"]


def test_a_title_that_is_mostly_spaces_is_invalid():
    category = CategoryFactory()
    title = "Help" + " " * 20

    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "title": title, "category": category.pk}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["body", "title"], "message": response.json()["message"], "type": "invalid"}
    ]


def test_asking_with_too_many_tags_is_invalid():
    category = CategoryFactory()
    tags = ["a1", "b2", "c3", "d4", "e5", "f6"]

    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "tags": tags, "category": category.pk}
    )

    assert response.status_code == 422


def test_asking_with_a_misspelt_field_is_invalid():
    category = CategoryFactory()

    response = ApiClient(UserFactory()).post(
        "/questions/", {**NEW_QUESTION, "category": category.pk, "tagz": ["x"]}
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "tagz"]


def test_asking_too_often_is_rate_limited_with_retry_after(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (1, 3600)}
    category = CategoryFactory()
    client = ApiClient(UserFactory())
    client.post("/questions/", {**NEW_QUESTION, "category": category.pk})

    response = client.post(
        "/questions/", {**NEW_QUESTION, "title": "A second question today", "category": category.pk}
    )

    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 3600


# --- Editing ----------------------------------------------------------------------------


def test_the_author_can_edit_a_questions_title_and_keep_the_rest():
    question = QuestionFactory()
    question.tags.set(["router"])

    response = ApiClient(question.author).patch(
        f"/questions/{question.pk}/", {"title": "How do I reset my router to factory settings?"}
    )

    assert response.status_code == 200
    question.refresh_from_db()
    assert question.title == "How do I reset my router to factory settings?"
    assert question.body == "I tried the button on the back and nothing happened."
    assert response.json()["tags"] == ["router"]


def test_an_edit_can_move_a_question_to_another_category():
    question = QuestionFactory()
    elsewhere = CategoryFactory()

    response = ApiClient(question.author).patch(
        f"/questions/{question.pk}/", {"category": elsewhere.slug}
    )

    assert response.status_code == 200
    assert response.json()["category"]["id"] == elsewhere.pk


def test_an_edit_to_an_unknown_category_is_invalid():
    question = QuestionFactory()

    response = ApiClient(question.author).patch(f"/questions/{question.pk}/", {"category": 999999})

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "category"]


def test_a_stranger_cannot_edit_a_question():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).patch(
        f"/questions/{question.pk}/", {"title": "A title the author never wrote"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"


def test_editing_a_locked_question_is_refused():
    question = QuestionFactory(state=QuestionState.LOCKED)

    response = ApiClient(question.author).patch(
        f"/questions/{question.pk}/", {"title": "Trying to edit a locked question"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_editing_a_deleted_question_is_refused():
    question = QuestionFactory(deleted_at=timezone.now())

    response = ApiClient(question.author).patch(
        f"/questions/{question.pk}/", {"title": "Trying to edit a deleted question"}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "post_deleted"


def test_editing_a_missing_question_is_not_found():
    response = ApiClient(UserFactory()).patch(
        "/questions/999999/", {"title": "Nothing to edit here"}
    )

    assert response.status_code == 404


def test_editing_anonymously_is_refused(anonymous):
    question = QuestionFactory()

    response = anonymous.patch(f"/questions/{question.pk}/", {"title": "An anonymous edit attempt"})

    assert response.status_code == 401


# --- Deleting ---------------------------------------------------------------------------


def test_the_author_can_delete_a_question_and_it_is_gone(anonymous):
    question = QuestionFactory()

    response = ApiClient(question.author).delete(f"/questions/{question.pk}/")

    assert response.status_code == 204
    assert response.content == b""
    assert anonymous.get(f"/questions/{question.pk}/").status_code == 404


def test_deleting_a_deleted_question_again_changes_nothing():
    question = QuestionFactory(deleted_at=timezone.now())

    response = ApiClient(question.author).delete(f"/questions/{question.pk}/")

    assert response.status_code == 204


def test_a_stranger_cannot_delete_a_question():
    question = QuestionFactory()

    response = ApiClient(UserFactory()).delete(f"/questions/{question.pk}/")

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.deleted_at is None


def test_the_author_cannot_delete_a_locked_question():
    question = QuestionFactory(state=QuestionState.LOCKED)

    response = ApiClient(question.author).delete(f"/questions/{question.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "question_locked"


def test_deleting_anonymously_is_refused(anonymous):
    question = QuestionFactory()

    assert anonymous.delete(f"/questions/{question.pk}/").status_code == 401


def test_deleting_a_missing_question_is_not_found():
    assert ApiClient(UserFactory()).delete("/questions/999999/").status_code == 404
