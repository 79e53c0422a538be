"""The caller's own account through the API: /me/ (read and change the profile),
/me/avatar/ (upload or remove a picture) and /me/export/ (the JSON download). The same
actions as the settings page, so the same limits and refusals."""

import json

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from accounts.avatars import AVATAR_MAX_BYTES, AVATAR_SIZE
from accounts.models import User
from accounts.queries import EXPORT_FORMAT
from tests.accounts.helpers import picture, upload
from tests.api import test_fuzz as fuzz
from tests.api.conftest import API, ApiClient
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory(display_name="Siti", bio="Router whisperer.", email="siti@example.com")


@pytest.fixture
def api(member) -> ApiClient:
    return ApiClient(member)


def _upload(api: ApiClient, content: bytes, **options):
    return api.client.post(f"{API}/me/avatar/", {"avatar": upload(content, **options)})


# --- GET /me/ ---------------------------------------------------------------------------


def test_a_member_reads_their_own_profile_with_their_email_and_language(api, member):
    User.objects.filter(pk=member.pk).update(language="id")
    QuestionFactory(author=member)

    response = api.get("/me/")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == member.username
    assert body["display_name"] == "Siti"
    assert body["bio"] == "Router whisperer."
    assert body["email"] == "siti@example.com"
    assert body["language"] == "id"
    assert body["question_count"] == 1
    assert body["url"] == f"http://testserver/members/{member.username}/"


def test_nobody_in_particular_has_no_me(anonymous):
    response = anonymous.get("/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_signed_in"


# --- PATCH /me/ -------------------------------------------------------------------------


def test_a_member_changes_their_name_bio_and_language(api, member):
    response = api.patch(
        "/me/", {"display_name": "  Siti   Rahma ", "bio": "Fixes routers.", "language": "id"}
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Siti Rahma"
    member.refresh_from_db()
    assert (member.display_name, member.bio, member.language) == (
        "Siti Rahma",
        "Fixes routers.",
        "id",
    )


def test_only_the_fields_sent_change(api, member):
    response = api.patch("/me/", {"bio": ""})

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.bio == ""
    assert member.display_name == "Siti"


def test_a_blank_display_name_shows_the_username(api, member):
    response = api.patch("/me/", {"display_name": ""})

    assert response.json()["display_name"] == member.username


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"display_name": "Deleted User"}, "display_name"),  # the action's rule
        ({"display_name": "Siti\u202eadmin"}, "display_name"),  # the action's rule
        ({"display_name": "x" * 61}, "display_name"),
        ({"bio": "x" * 301}, "bio"),
        ({"language": "fr"}, "language"),
        ({"language": None}, "language"),
        ({"display_name": 7}, "display_name"),
        ({"reputation": 5000}, "reputation"),  # not a field anyone may set
    ],
)
def test_bad_profile_input_is_refused_with_the_field_named(api, member, payload, field):
    response = api.patch("/me/", payload)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert ["body", field] in [error["loc"] for error in response.json()["errors"]]
    member.refresh_from_db()
    assert (member.display_name, member.reputation) == ("Siti", 1)


@pytest.mark.parametrize("raw", ["{", "[]", '"name"', "\x00", "null"])
def test_malformed_bodies_get_a_4xx(api, raw):
    response = api.patch("/me/", raw=raw)

    assert 400 <= response.status_code < 500
    assert "code" in response.json()


def test_nobody_in_particular_cannot_change_a_profile(anonymous):
    assert anonymous.patch("/me/", {"bio": "hello"}).status_code == 401


def test_the_browser_session_needs_the_csrf_token_to_change_the_profile(member):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)

    response = browser.patch(f"{API}/me/", {"bio": "forged"}, content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    member.refresh_from_db()
    assert member.bio == "Router whisperer."


# --- /me/avatar/ ------------------------------------------------------------------------


def test_a_member_uploads_a_picture_and_gets_it_back_as_a_square(api, member):
    response = _upload(api, picture("JPEG", (640, 480)), name="me.jpg", content_type="image/jpeg")

    assert response.status_code == 200
    url = response.json()["avatar_url"]
    assert url.startswith("http://testserver/")
    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored, Image.open(stored) as image:
        assert image.size == (AVATAR_SIZE, AVATAR_SIZE)
    assert url.endswith(member.avatar.url)


def test_a_file_that_is_not_a_picture_is_refused(api, member):
    response = _upload(api, b"<script>alert(1)</script>", name="me.png")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "avatar"]
    member.refresh_from_db()
    assert not member.avatar


def test_a_picture_over_the_size_limit_is_refused(api):
    response = _upload(api, picture() + b"\0" * AVATAR_MAX_BYTES)

    assert response.status_code == 422
    assert "2 MB" in response.json()["message"] + json.dumps(response.json()["errors"])


def test_an_upload_without_a_file_is_refused(api):
    response = api.client.post(f"{API}/me/avatar/", {})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_json_body_is_not_an_upload(api):
    response = api.post("/me/avatar/", {"avatar": "aGVsbG8="})

    assert response.status_code == 422


def test_nobody_in_particular_cannot_upload_a_picture(anonymous):
    response = anonymous.client.post(f"{API}/me/avatar/", {"avatar": upload(picture())})

    assert response.status_code == 401


def test_a_member_removes_their_picture_and_removing_again_changes_nothing(api, member):
    _upload(api, picture())

    first = api.delete("/me/avatar/")
    second = api.delete("/me/avatar/")

    assert first.status_code == second.status_code == 200
    assert first.json()["avatar_url"] is None
    member.refresh_from_db()
    assert not member.avatar


# --- /me/export/ ------------------------------------------------------------------------


def test_a_member_downloads_their_data(api, member):
    question = QuestionFactory(author=member)

    response = api.get("/me/export/")

    assert response.status_code == 200
    data = response.json()
    assert data["format"] == EXPORT_FORMAT
    assert data["profile"]["username"] == member.username
    assert [item["id"] for item in data["questions"]] == [question.pk]


def test_the_export_holds_nothing_about_other_members(api, member):
    other = UserFactory(email="other@example.com")
    AnswerFactory(question=QuestionFactory(author=member), author=other)

    text = api.get("/me/export/").content.decode()

    assert other.username not in text
    assert "other@example.com" not in text


def test_nobody_in_particular_has_nothing_to_export(anonymous):
    assert anonymous.get("/me/export/").status_code == 401


# --- Hostile input (the lists tests/api/test_fuzz.py throws at the forum's writes) ------


def test_hostile_profile_input_gets_a_4xx_never_a_500(api, member, subtests):
    bodies = [(None, raw) for raw in fuzz.MALFORMED + fuzz.NOT_AN_OBJECT]
    for field in ("display_name", "bio", "language"):
        bodies += [({field: value}, None) for value in fuzz.WRONG_TYPES if value != "12"]
        bodies += [({field: value}, None) for value in fuzz.BAD_STRINGS if value != ""]
        bodies += [({field: "\ud800"}, None)]
    for body, raw in bodies:
        with subtests.test(body=repr(body)[:40], raw=repr(raw)[:20]):
            response = api._send("patch", "/me/", body, raw=raw)

            assert 400 <= response.status_code < 500, response.content[:200]
            assert isinstance(response.json()["code"], str)
    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Siti", "Router whisperer.")


def test_unicode_names_and_bios_are_kept_or_refused_cleanly(api, subtests):
    for text in fuzz.UNICODE:
        for field in ("display_name", "bio"):
            with subtests.test(field=field, text=text[:10]):
                response = api.patch("/me/", {field: text})

                assert response.status_code in (200, 422), response.content[:200]
