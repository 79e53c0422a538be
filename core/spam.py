"""What a spam check is: the verdict on a new post, and the signals it is judged on.

`settings.TANYA_SPAM_CHECK` names a function (a dotted path) taking one `Submission` and
returning a `Verdict`. The forum calls it for every new question, answer and comment
(forum/actions/screening.py) through `import_string`, so the forum never imports the app
that provides it; the built-in one is `moderation.spam.check`. Write your own to call an
outside service: it receives only plain data and the author, and must not write.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

ALLOW, HOLD, REFUSE = "allow", "hold", "refuse"

# A link is anything a reader could follow off the site: http(s) and ftp URLs (bare,
# autolinked or in Markdown), and www. addresses. Relative links stay on the site.
_LINK_RE = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>()\[\]]+", re.IGNORECASE)


def count_links(text: str) -> int:
    return len(_LINK_RE.findall(text or ""))


def is_new_member(user) -> bool:
    """Below TANYA_NEW_MEMBER_REPUTATION; staff and moderators never are."""
    if user is None or not user.is_authenticated:
        return True
    if (user.reputation or 0) >= settings.TANYA_NEW_MEMBER_REPUTATION:
        return False
    # Asked last: is_moderator costs a permission query (cached on the user).
    return not (user.is_staff or getattr(user, "is_moderator", False))


@dataclass(frozen=True)
class Submission:
    """A new post as a spam check sees it. `kind` is "question", "answer" or "comment";
    `question_id` is the thread (None for a new question)."""

    author: Any
    kind: str
    body: str
    title: str = ""
    question_id: int | None = None
    links: int = 0
    new_member: bool = False


@dataclass(frozen=True)
class Verdict:
    """allow, hold (the post is created held for review) or refuse (nothing is saved).
    `reason` is a short machine-readable word kept in the post's event ("spam_reason")."""

    action: str = ALLOW
    reason: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.action not in (ALLOW, HOLD, REFUSE):
            raise ValueError(f"Unknown spam verdict {self.action!r}")
