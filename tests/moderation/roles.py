"""The moderation tests' shared cast: a question in a category, a second category to move
it to, an original to merge it into, a member to suspend, and one user of each role.

`ROLES` names them; `MODERATING` are those who moderate the question's category (a
moderator, one scoped to it, staff); `SUSPENDING` those who may suspend the member (a
suspension is site-wide, so a moderator scoped anywhere may).
"""

import pytest
from django.utils import timezone

from forum.models import CategoryModerator
from tests.factories import (
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

ROLES = [
    "anonymous",
    "member",
    "new member",
    "suspended member",
    "asker",
    "moderator",
    "moderator scoped to the category",
    "moderator scoped elsewhere",
    "staff",
]
MODERATING = {"moderator", "moderator scoped to the category", "staff"}
SUSPENDING = MODERATING | {"moderator scoped elsewhere"}


def suspended(user):
    user.suspended_at = timezone.now()
    user.suspension_reason = "a break"
    user.save(update_fields=["suspended_at", "suspension_reason"])
    return user


@pytest.fixture
def world():
    home, target, elsewhere = CategoryFactory(), CategoryFactory(), CategoryFactory()
    question = QuestionFactory(category=home)
    original = QuestionFactory(category=home)
    scoped_in, scoped_out = ModeratorFactory(), ModeratorFactory()
    CategoryModerator.objects.create(user=scoped_in, category=home)
    CategoryModerator.objects.create(user=scoped_in, category=target)
    CategoryModerator.objects.create(user=scoped_out, category=elsewhere)
    return {
        "question": question,
        "original": original,
        "target": target,
        "member to suspend": UserFactory(trusted=True),
        "roles": {
            "anonymous": None,
            "member": UserFactory(trusted=True),
            "new member": UserFactory(),
            "suspended member": suspended(UserFactory(trusted=True)),
            "asker": question.author,
            "moderator": ModeratorFactory(),
            "moderator scoped to the category": scoped_in,
            "moderator scoped elsewhere": scoped_out,
            "staff": StaffFactory(),
        },
    }
