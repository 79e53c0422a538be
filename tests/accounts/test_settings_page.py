"""The account settings page: display name, picture, bio and language, saved through
accounts.actions. Bad input is a form error with status 400, never a 500."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from accounts.models import User
from tests.accounts.helpers import gps_exif, log_in_and_confirm, picture, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:settings")


@pytest.fixture
def member(client):
    member = UserFactory(display_name="Old Name")
    client.force_login(member)
    return member


def _save(client, **fields):
    data = {"display_name": "", "bio": "", "language": "", **fields}
    return client.post(URL, data)


def test_the_settings_page_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_settings_page_links_to_every_account_page(client, member):
    html = client.get(URL).content.decode()

    for name in (
        "account_email",
        "account_change_password",
        "mfa_index",
        "socialaccount_connections",
        "usersessions_list",
        "accounts:delete",
        "accounts:export",
    ):
        assert reverse(name) in html


def test_allauth_pages_show_the_same_settings_tabs(client, member):
    html = client.get(reverse("account_email")).content.decode()

    assert reverse("accounts:settings") in html
    assert 'class="site-header' in html


def test_a_member_saves_name_bio_and_language(client, member):
    response = _save(
        client, display_name="  Ani   Wijaya ", bio="I fix routers.\r\nAsk me.", language="id"
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.display_name, member.bio, member.language) == (
        "Ani Wijaya",
        "I fix routers.\nAsk me.",
        "id",
    )


def test_an_unknown_language_is_a_form_error(client, member):
    response = _save(client, language="xx")

    assert response.status_code == 400
    assert "language" in response.context["form"].errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 61),
        ("display_name", "Deleted User"),
        ("display_name", "evil\u202eoknah"),
        ("bio", "y" * 301),
        ("bio", "bell\x07"),
    ],
)
def test_bad_names_and_bios_are_form_errors(client, member, field, value):
    response = _save(client, **{field: value})

    assert response.status_code == 400
    assert field in response.context["form"].errors
    member.refresh_from_db()
    assert member.display_name == "Old Name"


def test_an_uploaded_picture_becomes_a_256_pixel_square(client, member):
    response = _save(client, avatar=upload(picture("JPEG", (640, 480)), "me.jpg", "image/jpeg"))

    assert response.status_code == 302
    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored, Image.open(stored) as image:
        assert image.size == (256, 256)
        assert image.format in {"WEBP", "PNG"}
    assert member.avatar.name.startswith("avatars/")
    assert not member.avatar.name.endswith(".jpg")


def test_a_picture_keeps_none_of_its_metadata(client, member):
    _save(client, avatar=upload(picture("JPEG", exif=gps_exif()), "me.jpg", "image/jpeg"))

    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored:
        data = stored.read()
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert "icc_profile" not in image.info
    assert b"PhoneMaker" not in data


def test_anything_appended_to_a_picture_is_dropped(client, member):
    polyglot = picture("PNG") + b"<script>alert(document.cookie)</script>"

    _save(client, avatar=upload(polyglot))

    member.refresh_from_db()
    with default_storage.open(member.avatar.name) as stored:
        assert b"<script>" not in stored.read()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (picture("GIF"), "me.gif", "image/gif"),
        (picture("BMP"), "me.png", "image/png"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
            "me.svg",
            "image/svg+xml",
        ),
        (b"<html><body>not a picture</body></html>", "me.png", "image/png"),
        (picture("PNG")[:60], "me.png", "image/png"),
    ],
    ids=["gif", "bmp-named-png", "svg", "html-named-png", "truncated-png"],
)
def test_pictures_that_are_not_jpeg_png_or_webp_are_refused(
    client, member, content, name, content_type
):
    response = _save(client, avatar=upload(content, name, content_type))

    assert response.status_code == 400
    assert "avatar" in response.context["form"].errors
    member.refresh_from_db()
    assert not member.avatar


def test_a_picture_over_2_mb_is_refused(client, member):
    big = picture("PNG") + b"\0" * (2 * 1024 * 1024)

    response = _save(client, avatar=upload(big))

    assert response.status_code == 400
    assert "2 MB" in str(response.context["form"].errors["avatar"])


def test_a_refused_picture_saves_nothing_else_either(client, member):
    response = _save(client, display_name="New Name", avatar=upload(b"nope"))

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.display_name == "Old Name"


def test_a_member_removes_their_picture_and_the_file_goes(
    client, member, django_capture_on_commit_callbacks
):
    _save(client, avatar=upload(picture()))
    member.refresh_from_db()
    stored = member.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        _save(client, remove_avatar="on")

    member.refresh_from_db()
    assert not member.avatar
    assert not default_storage.exists(stored)


def test_a_new_picture_replaces_and_deletes_the_old_file(
    client, member, django_capture_on_commit_callbacks
):
    _save(client, avatar=upload(picture()))
    first = User.objects.get(pk=member.pk).avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        _save(client, avatar=upload(picture("WEBP")))

    second = User.objects.get(pk=member.pk).avatar.name
    assert second != first
    assert default_storage.exists(second)
    assert not default_storage.exists(first)


@pytest.mark.parametrize(
    "url_name",
    [
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "socialaccount_connections",
        "usersessions_list",
        "accounts:delete",
    ],
)
def test_every_account_page_renders_in_the_site_layout(client, url_name):
    member = UserFactory()
    log_in_and_confirm(client, member.username)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert 'class="site-header' in response.content.decode()


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_the_entrance_pages_render_in_the_site_layout(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert 'class="site-header' in response.content.decode()
