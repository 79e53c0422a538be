import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.actions import delete_account, remove_avatar, set_avatar, update_profile
from accounts.errors import AccountDeleted, InvalidInput, NotAllowed, NotSignedIn
from tests.accounts.helpers import picture, png_claiming, upload
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_member_updates_only_the_fields_given():
    member = UserFactory(display_name="Ani", bio="Old bio")

    update_profile(member, member, bio="New bio")

    member.refresh_from_db()
    assert (member.display_name, member.bio) == ("Ani", "New bio")


def test_a_blank_display_name_falls_back_to_the_username():
    member = UserFactory(display_name="Ani")

    member = update_profile(member, member, display_name="   ")

    assert member.name == member.username


def test_saving_the_same_values_again_changes_nothing():
    member = UserFactory(display_name="Ani")

    update_profile(member, member, display_name="Ani")

    member.refresh_from_db()
    assert member.display_name == "Ani"


def test_anonymous_visitors_cannot_edit_a_profile():
    with pytest.raises(NotSignedIn):
        update_profile(AnonymousUser(), UserFactory(), bio="hi")


def test_a_member_cannot_edit_someone_elses_profile():
    with pytest.raises(NotAllowed):
        update_profile(UserFactory(), UserFactory(), bio="hijacked")


def test_a_moderator_can_clear_a_members_abusive_bio():
    member = UserFactory(bio="something abusive")

    update_profile(ModeratorFactory(), member, bio="")

    member.refresh_from_db()
    assert member.bio == ""


def test_a_moderator_cannot_edit_a_staff_profile():
    with pytest.raises(NotAllowed):
        update_profile(ModeratorFactory(), StaffFactory(), bio="hi")


def test_an_unknown_language_is_refused():
    member = UserFactory()

    with pytest.raises(InvalidInput) as refusal:
        update_profile(member, member, language="klingon")

    assert refusal.value.field == "language"


def test_a_deleted_account_cannot_be_edited():
    member = UserFactory()
    admin = StaffFactory(is_superuser=True)
    delete_account(member, member)

    with pytest.raises(AccountDeleted):
        update_profile(admin, member, bio="back")


def test_a_stranger_cannot_set_someone_elses_picture():
    with pytest.raises(NotAllowed):
        set_avatar(UserFactory(), UserFactory(), upload(picture()))


def test_a_stranger_cannot_remove_someone_elses_picture():
    with pytest.raises(NotAllowed):
        remove_avatar(UserFactory(), UserFactory())


def test_removing_a_picture_that_isnt_there_is_a_no_op():
    member = UserFactory()

    assert not remove_avatar(member, member).avatar


def test_an_empty_upload_is_refused():
    member = UserFactory()

    with pytest.raises(InvalidInput):
        set_avatar(member, member, upload(b""))


@pytest.mark.parametrize("size", [(7_000, 7_000), (100_000, 100_000)])
def test_a_picture_claiming_too_many_pixels_is_refused_before_it_is_decoded(size):
    member = UserFactory()

    with pytest.raises(InvalidInput):
        set_avatar(member, member, upload(png_claiming(*size)))
