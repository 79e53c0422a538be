"""The webhooks tests' real HTTP receiver, for the approval tests (test_approval_replay.py)."""

from tests.webhooks.conftest import endpoint_for, receiver, run  # noqa: F401
