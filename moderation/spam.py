"""The built-in spam check (settings.TANYA_SPAM_CHECK = "moderation.spam.check").

Judged on the signals the forum has, with no outside service:

- A new member's post with a link is held for review until one of their posts with a
  link has been approved (is visible): the first post with a link waits for a moderator,
  later ones don't. While it waits, their further posts with links wait too.
- Everything else is allowed. (Too many links and duplicate bodies are refused by the
  forum before any check runs.)

A check receives a core.spam.Submission and returns a core.spam.Verdict; it must not
write. Replace it with your own (an Akismet call, a word list) by naming yours in the
setting; yours may call this one and add to it.
"""

from django.db.models import Q

from core.spam import ALLOW, HOLD, Submission, Verdict
from forum.models import Answer, Question, Visibility

FIRST_LINK = "new_member_first_link"

_HAS_LINK = (
    Q(body__icontains="http://")
    | Q(body__icontains="https://")
    | Q(body__icontains="ftp://")
    | Q(body__icontains="www.")
)


def check(submission: Submission) -> Verdict:
    if submission.new_member and submission.links and not _has_approved_link(submission.author):
        return Verdict(HOLD, FIRST_LINK)
    return Verdict(ALLOW)


def _has_approved_link(author) -> bool:
    """Whether a question or answer of `author` with a link is visible (approved)."""
    return any(
        model.objects.filter(_HAS_LINK, author=author, visibility=Visibility.VISIBLE).exists()
        for model in (Question, Answer)
    )
