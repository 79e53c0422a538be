"""Images on questions and answers: the actions, the forms, serving and removal with the post
(forum/actions/attachments.py, forum/attachment_views.py, forum/subscribers.py)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core.errors import InvalidInput, NotAllowed, RateLimited
from core.models import Event
from forum import actions
from forum.models import Attachment, Question, Visibility
from tests.factories import (
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)
from tests.forum.images import image_bytes, png, upload

pytestmark = pytest.mark.django_db

TITLE = "Why does my router show a red light?"
BODY = "It started after the storm yesterday; the screenshot shows the status page."


def _stored() -> set[str]:
    try:
        return set(default_storage.listdir("attachments")[1])
    except FileNotFoundError:
        return set()


def _exists(name: str) -> bool:
    return default_storage.exists(name)


def _ask(member, **kwargs) -> Question:
    return actions.ask_question(
        member, title=TITLE, body=BODY, category=CategoryFactory(), **kwargs
    )


def _with_image(post_kind="question", **question_kwargs):
    member = UserFactory()
    question = _ask(member, images=[png()], **question_kwargs)
    if post_kind == "question":
        return member, question, question.attachments.get()
    answer = actions.post_answer(UserFactory(), question, body=BODY, images=[png()])
    return answer.author, answer, answer.attachments.get()


@pytest.fixture
def limit(settings):
    def lower(action: str, count: int) -> None:
        settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, action: (count, 3600)}

    return lower


# --- The actions --------------------------------------------------------------------------


def test_asking_with_images_stores_them_in_order_with_their_descriptions():
    member = UserFactory()

    question = _ask(member, images=[png(), png(size=(10, 10))], image_alts=["Status page", ""])

    first, second = question.attachments.order_by("position")
    assert (first.position, first.alt, first.alt_text) == (1, "Status page", "Status page")
    assert (second.position, second.alt_text) == (2, "Screenshot 2")
    assert (second.width, second.height, second.content_type) == (10, 10, "image/png")
    assert _exists(first.file) and _exists(first.thumbnail)
    event = Event.objects.get(verb="question.asked")
    assert event.payload["attachments"] == 2


def test_answering_with_an_image_attaches_it_to_the_answer():
    question = QuestionFactory()

    answer = actions.post_answer(UserFactory(), question, body=BODY, images=[png()])

    attachment = answer.attachments.get()
    assert (attachment.answer_id, attachment.question_id) == (answer.pk, None)
    assert Event.objects.get(verb="answer.posted").payload["attachments"] == 1


def test_a_refused_question_leaves_no_files_behind():
    before = _stored()

    with pytest.raises(InvalidInput):
        actions.ask_question(
            UserFactory(), title="?", body=BODY, category=CategoryFactory(), images=[png()]
        )

    assert _stored() == before
    assert not Attachment.objects.exists()


def test_a_hostile_file_is_refused_before_anything_is_stored():
    before = _stored()
    svg = upload(b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>", "a.png")

    with pytest.raises(InvalidInput):
        _ask(UserFactory(), images=[svg])

    assert _stored() == before
    assert not Question.objects.exists()


def test_more_images_than_allowed_are_refused(settings):
    settings.TANYA_ATTACHMENTS = {**settings.TANYA_ATTACHMENTS, "MAX_PER_POST": 1}

    with pytest.raises(InvalidInput):
        _ask(UserFactory(), images=[png(), png()])

    assert not Question.objects.exists()


def test_each_image_counts_against_the_upload_rate(limit):
    limit("upload", 2)
    member = UserFactory()
    _ask(member, images=[png()])

    with pytest.raises(RateLimited) as refusal:
        _ask(member, images=[png(), png()])

    assert refusal.value.retry_after > 0
    assert Question.objects.count() == 1


def test_moderators_are_not_held_to_the_upload_rate(limit):
    limit("upload", 1)
    moderator = ModeratorFactory()

    question = _ask(moderator, images=[png(), png()])

    assert question.attachments.count() == 2


def test_the_author_describes_removes_and_adds_images():
    member, question, first = _with_image()
    second = actions.update_attachments(member, question, images=[png()]).attachments.last()

    actions.update_attachments(
        member, question, descriptions={second.pk: "  The  red light "}, remove=[first.pk]
    )

    (kept,) = question.attachments.all()
    assert (kept.pk, kept.alt, kept.position) == (second.pk, "The red light", 1)
    event = Event.objects.filter(verb="post.attachments_changed").latest("pk")
    assert event.payload == {"kind": "question", "added": 0, "removed": 1, "described": 1}


def test_a_removed_image_file_is_deleted_after_commit(django_capture_on_commit_callbacks):
    member, question, attachment = _with_image()

    with django_capture_on_commit_callbacks(execute=True):
        actions.update_attachments(member, question, remove=[attachment.pk])

    assert not _exists(attachment.file) and not _exists(attachment.thumbnail)


def test_changing_nothing_records_nothing():
    member, question, attachment = _with_image()

    actions.update_attachments(member, question, descriptions={attachment.pk: ""})

    assert not Event.objects.filter(verb="post.attachments_changed").exists()


def test_a_stranger_cannot_change_someone_elses_images():
    _member, question, attachment = _with_image()

    with pytest.raises(NotAllowed):
        actions.update_attachments(UserFactory(), question, remove=[attachment.pk])

    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_adding_beyond_the_limit_on_edit_is_refused(settings):
    settings.TANYA_ATTACHMENTS = {**settings.TANYA_ATTACHMENTS, "MAX_PER_POST": 1}
    member, question, _attachment = _with_image()

    with pytest.raises(InvalidInput):
        actions.update_attachments(member, question, images=[png()])

    assert question.attachments.count() == 1


# --- Removed with the post ------------------------------------------------------------------


def test_deleting_a_question_deletes_its_image_files(django_capture_on_commit_callbacks):
    member, question, attachment = _with_image()

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_question(member, question)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not _exists(attachment.file) and not _exists(attachment.thumbnail)


def test_deleting_an_answer_deletes_its_images_not_the_questions(
    django_capture_on_commit_callbacks,
):
    member = UserFactory()
    question = _ask(member, images=[png()])
    answer = actions.post_answer(UserFactory(), question, body=BODY, images=[png()])
    (answer_image,) = answer.attachments.all()

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_answer(answer.author, answer)

    assert not _exists(answer_image.file)
    assert question.attachments.count() == 1


def test_a_post_removed_from_review_loses_its_images(django_capture_on_commit_callbacks):
    _member, question, attachment = _with_image()
    moderator = ModeratorFactory()
    actions.hide_post(moderator, question, reason="spam")

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_post(moderator, question, reason="spam")

    assert not _exists(attachment.file)
    assert not Attachment.objects.exists()


def test_purging_twice_is_harmless():
    _member, question, attachment = _with_image()

    assert actions.purge_attachments("question", question.pk) == 1
    assert actions.purge_attachments("question", question.pk) == 0
    assert not _exists(attachment.file)


# --- Serving ----------------------------------------------------------------------------------


def test_an_image_is_served_with_headers_that_keep_it_an_image(client):
    _member, _question, attachment = _with_image()

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{attachment.filename}"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["Cache-Control"].startswith("public, max-age=31536000")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_thumbnail_is_served_the_same_way(client):
    _member, _question, attachment = _with_image()

    response = client.get(attachment.get_thumbnail_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_under_the_wrong_file_name_is_not_found(client):
    _member, _question, attachment = _with_image()

    response = client.get(reverse("forum:attachment", args=[attachment.pk, "x.html"]))

    assert response.status_code == 404


def test_a_private_questions_image_is_only_for_the_asker_and_moderators(client):
    member, _question, attachment = _with_image(private=True)
    url = attachment.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
    client.force_login(ModeratorFactory())
    assert client.get(url).status_code == 200


def test_the_images_of_a_private_questions_answers_are_hidden_too(client):
    _author, _answer, attachment = _with_image("answer", private=True)

    client.force_login(UserFactory())

    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("state", [Visibility.HELD, Visibility.HIDDEN])
def test_a_held_or_hidden_posts_image_is_for_its_author_and_moderators_only(client, state):
    author, answer, attachment = _with_image("answer")
    type(answer).objects.filter(pk=answer.pk).update(visibility=state)
    url = attachment.get_absolute_url()

    assert client.get(url).status_code == 404
    client.force_login(author)
    assert client.get(url).status_code == 200
    client.force_login(ModeratorFactory())
    assert client.get(url).status_code == 200


def test_a_deleted_posts_image_is_not_served_even_before_the_files_go(client):
    author, question, attachment = _with_image()
    actions.delete_question(author, question)  # the purge waits for commit; not run here

    client.force_login(author)

    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_attachments_are_never_served_from_the_media_url(client):
    _member, _question, attachment = _with_image()

    response = client.get(f"/media/{attachment.file}")

    assert response.status_code == 404


def test_avatars_are_served_from_the_media_url_with_the_same_care(client):
    name = default_storage.save("avatars/someone.png", upload(image_bytes("PNG")))

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_only_images_are_served_from_the_public_media_folders(client):
    name = default_storage.save("avatars/page.html", upload(b"<html>", "page.html"))

    assert client.get(f"/media/{name}").status_code == 404


# --- The site's forms -----------------------------------------------------------------------


def _ask_data(**extra) -> dict:
    return {"title": TITLE, "body": BODY, "category": CategoryFactory().pk, "tags": "", **extra}


def test_the_ask_form_takes_images_without_javascript(client):
    member = UserFactory()
    client.force_login(member)

    response = client.post(reverse("forum:ask"), _ask_data(images=[png(), png()]))

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.attachments.count() == 2
    page = client.get(question.get_absolute_url()).content.decode()
    first = question.attachments.first()
    assert f'href="{first.get_absolute_url()}"' in page
    assert f'src="{first.get_thumbnail_url()}"' in page
    assert 'alt="Screenshot 1"' in page


def test_the_ask_form_shows_why_a_file_was_refused(client):
    client.force_login(UserFactory())
    page = upload(b"<html><script>alert(1)</script></html>", "shot.png")

    response = client.post(reverse("forum:ask"), _ask_data(images=[page]))

    assert response.status_code == 400
    assert "Attach PNG, JPEG, WebP or GIF images only." in response.content.decode()
    assert not Question.objects.exists()


def test_the_ask_form_refuses_uploads_over_the_rate_with_a_429(client, limit):
    limit("upload", 1)
    client.force_login(UserFactory())

    response = client.post(reverse("forum:ask"), _ask_data(images=[png(), png()]))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Question.objects.exists()


def test_the_answer_form_takes_images_with_their_descriptions(client):
    question = QuestionFactory()
    client.force_login(UserFactory())

    response = client.post(
        reverse("forum:answer", args=[question.pk]),
        {"body": BODY, "images": [png()], "image_alts": ["Router lights"]},
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.alt == "Router lights"
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'alt="Router lights"' in page


def test_the_edit_page_describes_and_removes_images(client):
    member, question, attachment = _with_image()
    client.force_login(member)
    page = client.get(reverse("forum:edit_question", args=[question.pk]))
    assert page.status_code == 200
    assert f'name="alt_{attachment.pk}"' in page.content.decode()

    response = client.post(
        reverse("forum:question_images", args=[question.pk]),
        {f"alt_{attachment.pk}": "Status page", "images": [png()]},
    )

    assert response.status_code == 302
    assert [a.alt_text for a in question.attachments.all()] == ["Status page", "Screenshot 2"]


def test_the_edit_pages_image_form_shows_a_refusal_on_the_page(client):
    member, question, _attachment = _with_image()
    client.force_login(member)

    response = client.post(
        reverse("forum:question_images", args=[question.pk]),
        {"images": [upload(b"not an image", "x.png")]},
    )

    assert response.status_code == 400
    assert "Attach PNG, JPEG, WebP or GIF images only." in response.content.decode()


def test_a_stranger_cannot_post_to_the_image_form(client):
    _member, question, attachment = _with_image()
    client.force_login(UserFactory())

    response = client.post(
        reverse("forum:question_images", args=[question.pk]), {"remove": [attachment.pk]}
    )

    assert response.status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_answer_edit_page_has_the_image_form_too(client):
    author, answer, attachment = _with_image("answer")
    client.force_login(author)

    page = client.get(reverse("forum:edit_answer", args=[answer.pk])).content.decode()

    assert reverse("forum:answer_images", args=[answer.pk]) in page
    assert attachment.get_thumbnail_url() in page


# --- Orphans ----------------------------------------------------------------------------------


def test_the_daily_job_deletes_old_files_no_attachment_names():
    from datetime import timedelta

    from django.utils import timezone

    from core import periodic

    _member, _question, attachment = _with_image()
    orphan = default_storage.save("attachments/orphan.png", upload(image_bytes("PNG")))

    periodic.run_job(periodic.jobs()["forum.purge_orphan_images"], timezone.now(), force=True)
    assert _exists(orphan)  # too young: it may belong to a post being written

    later = timezone.now() + timedelta(days=2)
    periodic.run_job(periodic.jobs()["forum.purge_orphan_images"], later, force=True)

    assert not _exists(orphan)
    assert _exists(attachment.file) and _exists(attachment.thumbnail)
