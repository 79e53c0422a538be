"""The visibility matrix the read-path tests share: every state against every viewer."""

from forum.models import Visibility
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

STATES = list(Visibility)
VIEWERS = ["anonymous", "author", "other member", "moderator", "staff"]

SEES = {
    Visibility.VISIBLE: set(VIEWERS),
    Visibility.HELD: {"author", "moderator", "staff"},
    Visibility.HIDDEN: {"author", "moderator", "staff"},
    Visibility.DELETED: {"moderator", "staff"},
}


def sees(state: Visibility, viewer: str) -> bool:
    """Whether `viewer` sees a post in `state` on a page of its own (not in a list)."""
    return viewer in SEES[state]


def viewer_for(name: str, author):
    """The user behind a viewer name; None for anonymous."""
    return {
        "anonymous": lambda: None,
        "author": lambda: author,
        "other member": UserFactory,
        "moderator": ModeratorFactory,
        "staff": StaffFactory,
    }[name]()


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)
