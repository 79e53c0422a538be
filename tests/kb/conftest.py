"""Shared set-up for the knowledge-base tests: the KB index (as the demo creates it), an
editor allowed to promote and publish there, and a solved thread with code in its answer."""

import pytest
from django.contrib.auth.models import Group

from forum import actions as forum_actions
from kb.demo import EDITORS_GROUP, ensure_kb_index
from tests.factories import AnswerFactory, QuestionFactory, StaffFactory

ANSWER_BODY = """Restart the service:

```bash
sudo systemctl restart router
```

Then check that `status` says **running**.
"""


@pytest.fixture
def kb_index(db):
    return ensure_kb_index()


@pytest.fixture
def editor(kb_index):
    """Staff in the "Knowledge base editors" group: may promote, edit and publish articles."""
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def solved_question(db, django_capture_on_commit_callbacks):
    question = QuestionFactory(body="My router stopped answering after the update. What now?")
    question.tags.set(["router", "update"])
    answer = AnswerFactory(question=question, body=ANSWER_BODY)
    with django_capture_on_commit_callbacks(execute=True):  # delivers answer.accepted
        forum_actions.accept_answer(question.author, question, answer)
    question.refresh_from_db()
    return question
