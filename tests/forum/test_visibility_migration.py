"""Migration 0004 derives the state from deleted_at, and its reverse keeps held and
hidden posts out of sight of the old code."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from forum.models import Answer, Comment, Question, Visibility
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("forum.migrations.0004_post_visibility")


def test_a_post_with_a_deletion_time_becomes_deleted_and_the_rest_stay_visible():
    kept = QuestionFactory()
    gone = QuestionFactory()
    answer = AnswerFactory(question=kept)
    comment = CommentFactory(question=kept)
    now = timezone.now()
    Question.objects.filter(pk=gone.pk).update(deleted_at=now)
    Answer.objects.filter(pk=answer.pk).update(deleted_at=now)
    Comment.objects.filter(pk=comment.pk).update(deleted_at=now)

    migration.state_from_deleted_at(apps, None)

    assert Question.objects.get(pk=kept.pk).visibility == Visibility.VISIBLE
    assert Question.objects.get(pk=gone.pk).visibility == Visibility.DELETED
    assert Answer.objects.get(pk=answer.pk).visibility == Visibility.DELETED
    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.DELETED


def test_going_back_gives_held_and_hidden_posts_a_deletion_time():
    held, hidden, visible = (
        QuestionFactory(held=True),
        AnswerFactory(hidden=True),
        QuestionFactory(),
    )

    migration.deleted_at_from_state(apps, None)

    assert Question.objects.get(pk=held.pk).deleted_at is not None
    assert Answer.objects.get(pk=hidden.pk).deleted_at is not None
    assert Question.objects.get(pk=visible.pk).deleted_at is None
