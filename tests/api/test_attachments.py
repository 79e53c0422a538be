"""Images through the API: posts list their images; members add them by multipart upload."""

import pytest

from forum import actions
from tests.api.conftest import ApiClient
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.forum.images import png, upload

pytestmark = pytest.mark.django_db


def _question_with_image(member, **kwargs):
    return actions.ask_question(
        member,
        title="Why does my router show a red light?",
        body="It started after the storm; see the screenshot of the status page.",
        category=CategoryFactory(),
        images=[png(size=(100, 50))],
        image_alts=["Status page"],
        **kwargs,
    )


def test_a_question_lists_its_images_with_their_urls(anonymous):
    question = _question_with_image(UserFactory())
    attachment = question.attachments.get()

    body = anonymous.get(f"/questions/{question.pk}/").json()

    (image,) = body["attachments"]
    assert image["id"] == attachment.pk
    assert image["url"].endswith(attachment.get_absolute_url())
    assert image["thumbnail_url"].endswith(attachment.get_thumbnail_url())
    assert (image["alt"], image["width"], image["height"]) == ("Status page", 100, 50)
    assert image["content_type"] == "image/png"


def test_an_answer_lists_its_images(anonymous):
    question = QuestionFactory()
    answer = actions.post_answer(
        UserFactory(), question, body="Try this, see below.", images=[png()]
    )

    listed = anonymous.get(f"/questions/{question.pk}/answers/").json()["items"][0]
    single = anonymous.get(f"/answers/{answer.pk}/").json()

    assert [i["alt"] for i in listed["attachments"]] == ["Screenshot 1"]
    assert single["attachments"] == listed["attachments"]


def test_the_author_adds_images_by_multipart_upload():
    member = UserFactory()
    question = _question_with_image(member)

    response = ApiClient(member).client.post(
        f"/api/v1/questions/{question.pk}/attachments/",
        {"images": [png(), png()]},
    )

    assert response.status_code == 201
    assert [i["alt"] for i in response.json()["items"]] == [
        "Status page",
        "Screenshot 2",
        "Screenshot 3",
    ]


def test_a_hostile_upload_is_a_422_naming_the_field():
    member = UserFactory()
    question = _question_with_image(member)
    client = ApiClient(member)

    response = client.client.post(
        f"/api/v1/questions/{question.pk}/attachments/",
        {"images": [upload(b"<svg><script>alert(1)</script></svg>", "x.png")]},
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == "images"


def test_uploads_over_the_rate_are_a_429_with_retry_after(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "upload": (1, 3600)}
    member = UserFactory()
    question = _question_with_image(member)
    client = ApiClient(member)

    response = client.client.post(
        f"/api/v1/questions/{question.pk}/attachments/", {"images": [png()]}
    )

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "rate_limited"


def test_a_stranger_cannot_add_images_to_someone_elses_answer():
    question = QuestionFactory()
    answer = actions.post_answer(UserFactory(), question, body="Try this, see below.")
    client = ApiClient(UserFactory())

    response = client.client.post(f"/api/v1/answers/{answer.pk}/attachments/", {"images": [png()]})

    assert response.status_code == 403
    assert not answer.attachments.exists()


def test_a_private_questions_images_are_not_listed_to_strangers(anonymous):
    question = _question_with_image(UserFactory(), private=True)

    assert anonymous.get(f"/questions/{question.pk}/").status_code == 404
