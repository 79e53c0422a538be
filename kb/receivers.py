"""Hooks into Wagtail and Django for what only they see: an article published (by an
editor, a workflow's approval or the scheduler), unpublished, or deleted (from the page
tree, with its parent, or by code). Each receiver calls one kb action and nothing else."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from kb import actions
from kb.models import ArticlePage


@receiver(page_published, sender=ArticlePage, dispatch_uid="kb_article_published")
def article_published(sender, instance: ArticlePage, revision=None, **kwargs) -> None:
    # Wagtail doesn't say who published; the revision's author is the nearest we have.
    actions.note_article_published(getattr(revision, "user", None), instance)


@receiver(page_unpublished, sender=ArticlePage, dispatch_uid="kb_article_unpublished")
def article_unpublished(sender, instance: ArticlePage, **kwargs) -> None:
    actions.note_article_unpublished(None, instance)


@receiver(pre_delete, sender=ArticlePage, dispatch_uid="kb_article_deleted")
def article_deleted(sender, instance: ArticlePage, **kwargs) -> None:
    # pre_delete runs inside the deletion's transaction, before the review row cascades.
    actions.note_article_deleted(None, instance)
