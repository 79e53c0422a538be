"""The moderation tests' shared cast: a question in a category with an answer to it, a
second category to move it to, an original to merge it into, a member to suspend, and
one user of each role.

`ROLES` names them ("asker" wrote the question, "answerer" the answer); `MODERATING` are
those who moderate the question's category (a moderator, one scoped to it, staff);
`SUSPENDING` those who may suspend the member (a suspension is site-wide, so a moderator
scoped anywhere may). Authors delete their own posts: `DELETING_QUESTION` and
`DELETING_ANSWER` (forum.permissions.delete_post_refusal).
"""

import pytest
from django.utils import timezone

from forum.models import CategoryModerator
from tests.factories import (
    AnswerFactory,
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
    "answerer",
    "moderator",
    "moderator scoped to the category",
    "moderator scoped elsewhere",
    "staff",
]
MODERATING = {"moderator", "moderator scoped to the category", "staff"}
SUSPENDING = MODERATING | {"moderator scoped elsewhere"}
DELETING_QUESTION = MODERATING | {"asker"}
DELETING_ANSWER = MODERATING | {"answerer"}


def suspended(user):
    user.suspended_at = timezone.now()
    user.suspension_reason = "a break"
    user.save(update_fields=["suspended_at", "suspension_reason"])
    return user


@pytest.fixture
def world():
    home, target, elsewhere = CategoryFactory(), CategoryFactory(), CategoryFactory()
    question = QuestionFactory(category=home)
    answer = AnswerFactory(question=question, author=UserFactory(trusted=True))
    original = QuestionFactory(category=home)
    scoped_in, scoped_out = ModeratorFactory(), ModeratorFactory()
    CategoryModerator.objects.create(user=scoped_in, category=home)
    CategoryModerator.objects.create(user=scoped_in, category=target)
    CategoryModerator.objects.create(user=scoped_out, category=elsewhere)
    return {
        "question": question,
        "answer": answer,
        "original": original,
        "target": target,
        "member to suspend": UserFactory(trusted=True),
        "roles": {
            "anonymous": None,
            "member": UserFactory(trusted=True),
            "new member": UserFactory(),
            "suspended member": suspended(UserFactory(trusted=True)),
            "asker": question.author,
            "answerer": answer.author,
            "moderator": ModeratorFactory(),
            "moderator scoped to the category": scoped_in,
            "moderator scoped elsewhere": scoped_out,
            "staff": StaffFactory(),
        },
    }
