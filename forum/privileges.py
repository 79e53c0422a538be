"""The privileges help page (`/privileges/`) and a member's progress toward the next one.

Every number comes from the settings the rules themselves read (TANYA_PRIVILEGES,
TANYA_FLAG_REPUTATION, TANYA_NEW_MEMBER_*, TANYA_REPUTATION, TANYA_KB), so the page can't
drift from what forum/permissions.py, moderation/permissions.py and core/spam.py enforce.
No queries: the viewer's reputation is on the request's user row.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import is_member, is_moderator


@dataclass(frozen=True)
class Privilege:
    key: str
    threshold: int
    title: str
    description: str


@dataclass(frozen=True)
class Earning:
    amount: int
    what: str


@dataclass(frozen=True)
class Progress:
    """Where a member stands: the next privilege (None: they have them all), how much
    reputation is still missing, and the share of the way there from the last one."""

    reputation: int
    next: Privilege | None
    missing: int
    percent: int
    previous_threshold: int


def privileges() -> list[Privilege]:
    """Every privilege, from the lowest threshold to the highest."""
    found = [
        Privilege(
            "new_member",
            settings.TANYA_NEW_MEMBER_REPUTATION,
            _("Leave the new-member limits"),
            ngettext(
                "Below this, a post may hold at most %(count)d link, a first post with a "
                "link waits for a moderator, and you may ask, answer and comment less often.",
                "Below this, a post may hold at most %(count)d links, a first post with a "
                "link waits for a moderator, and you may ask, answer and comment less often.",
                settings.TANYA_NEW_MEMBER_MAX_LINKS,
            )
            % {"count": settings.TANYA_NEW_MEMBER_MAX_LINKS},
        ),
        Privilege(
            "vote_up",
            settings.TANYA_PRIVILEGES["VOTE_UP"],
            _("Vote up"),
            _("Mark questions and answers that are useful."),
        ),
        Privilege(
            "flag",
            settings.TANYA_FLAG_REPUTATION,
            _("Flag posts"),
            _("Bring spam, abuse and off-topic posts to the moderators' attention."),
        ),
        Privilege(
            "comment",
            settings.TANYA_PRIVILEGES["COMMENT"],
            _("Comment everywhere"),
            _(
                "Comment on other people's posts. You can always comment on your own posts "
                "and on answers to your own questions."
            ),
        ),
        Privilege(
            "vote_down",
            settings.TANYA_PRIVILEGES["VOTE_DOWN"],
            _("Vote down"),
            _("Mark posts that are wrong or unhelpful. It costs you a little reputation."),
        ),
        Privilege(
            "edit_others",
            settings.TANYA_PRIVILEGES["EDIT_OTHERS"],
            _("Edit anyone's posts"),
            _("Fix mistakes, formatting and tags in other people's questions and answers."),
        ),
    ]
    return sorted(found, key=lambda privilege: privilege.threshold)


def earnings() -> list[Earning]:
    """How reputation is earned and lost, largest first."""
    rep = settings.TANYA_REPUTATION
    items = [
        Earning(rep["QUESTION_UPVOTED"], _("your question is voted up")),
        Earning(rep["ANSWER_UPVOTED"], _("your answer is voted up")),
        Earning(rep["ANSWER_ACCEPTED"], _("your answer is accepted")),
        Earning(rep["ACCEPTED_AN_ANSWER"], _("you accept an answer to your question")),
        Earning(rep["DOWNVOTED"], _("your post is voted down")),
        Earning(rep["DOWNVOTE_CAST"], _("you vote down someone else's answer")),
    ]
    bonus = getattr(settings, "TANYA_KB", {}).get("PROMOTION_BONUS")
    if bonus:
        items.append(Earning(bonus, _("your answer becomes a knowledge-base article")))
    return sorted((item for item in items if item.amount), key=lambda item: -item.amount)


def rules() -> dict:
    """What the page says besides the lists: the daily cap and the floor."""
    rep = settings.TANYA_REPUTATION
    return {"daily_vote_cap": rep["DAILY_VOTE_CAP"], "floor": rep["FLOOR"]}


def progress(user) -> Progress | None:
    """A member's way to their next privilege; None for visitors and for moderators and
    staff, who have every privilege whatever their reputation."""
    if not is_member(user) or is_moderator(user):
        return None
    reputation = user.reputation
    ahead = [p for p in privileges() if p.threshold > reputation]
    reached = [p.threshold for p in privileges() if p.threshold <= reputation]
    previous = max(reached, default=settings.TANYA_REPUTATION["FLOOR"])
    if not ahead:
        return Progress(reputation, None, 0, 100, previous)
    upcoming = ahead[0]
    span = max(upcoming.threshold - previous, 1)
    percent = max(0, min(100, (reputation - previous) * 100 // span))
    return Progress(reputation, upcoming, upcoming.threshold - reputation, percent, previous)
