import pytest

from forum import actions
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

BODY = "The router drops the connection every evening around eight o'clock."


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a write and its after-commit delivery (the immediate task backend)."""

    def run_(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run_


@pytest.fixture
def asked(run):
    """A question asked through the action, so its asker follows it."""

    def ask(asker=None, **kwargs):
        kwargs.setdefault("category", CategoryFactory())
        return run(
            actions.ask_question,
            asker or UserFactory(),
            title="Wi-Fi keeps dropping in the evening",
            body=BODY,
            **kwargs,
        )

    return ask


__all__ = ["BODY", "QuestionFactory"]
