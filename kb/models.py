"""What the knowledge base knows about its articles besides their content.

An article's content is its page (kb.pages); the rows here change outside Wagtail's
editor and must survive a revision being published, so they are ordinary models keyed by
the page: the review state against the source thread, and the helpfulness votes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.pages import ArticlePage, FAQPage, KnowledgeBaseIndexPage, TaggedArticle


class SourceChange(models.TextChoices):
    """What happened to an article's source thread; forum.actions reports each one."""

    ANSWER_EDITED = "answer_edited", _("The accepted answer was edited.")
    ANSWER_CHANGED = (
        "accepted_answer_changed",
        _("A different answer was accepted, or the acceptance was withdrawn."),
    )
    QUESTION_EDITED = "question_edited", _("The question was edited.")
    QUESTION_CLOSED = "question_closed", _("The question was closed, locked or reopened.")
    QUESTION_DELETED = "question_deleted", _("The question was deleted or restored.")
    QUESTION_HIDDEN = (
        "question_hidden",
        _("The question was hidden, held or removed by a moderator, or shown again."),
    )


class ArticleReview(models.Model):
    """An article's standing against its source thread.

    `snapshot` is the source (title, question, accepted answer, state) as it was at the
    last review; the "source changed" report diffs it against the thread as it is now.
    `stale` is raised by kb.actions.note_source_changed and cleared by mark_reviewed or
    by publishing the article again. `bonus_entry` is the reputation grant paid on first
    publication, so it is paid once and reversed when the article is deleted.
    """

    article = models.OneToOneField(
        ArticlePage, on_delete=models.CASCADE, primary_key=True, related_name="review"
    )
    snapshot = models.JSONField(default=dict, blank=True)
    stale = models.BooleanField(_("source changed"), default=False)
    stale_changes = models.JSONField(default=list, blank=True)
    stale_since = models.DateTimeField(_("source changed at"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bonus_entry = models.ForeignKey(
        "forum.ReputationEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bonus_granted_at = models.DateTimeField(null=True, blank=True)
    # Whether everyone may see the source thread, as kb.actions.note_source_visibility
    # last found it: the article links to "the original discussion" only while it is.
    source_public = models.BooleanField(_("source thread public"), default=True)

    class Meta:
        verbose_name = _("article review")
        verbose_name_plural = _("article reviews")
        indexes = [
            models.Index(fields=["-stale_since"], name="kb_review_stale", condition=Q(stale=True)),
        ]

    def __str__(self) -> str:
        return f"review of article {self.article_id}"

    @property
    def stale_reasons(self) -> list[str]:
        labels = dict(SourceChange.choices)
        return [str(labels.get(code, code)) for code in self.stale_changes]

    @property
    def stale_reason(self) -> str:
        return " ".join(self.stale_reasons)


class HelpfulnessVote(models.Model):
    """One "Was this helpful?" answer per visitor per article, with an optional comment.

    `visitor` is "member:<id>" for a signed-in member and "anon:<token>" for a browser
    (the token lives in a signed cookie), so the database refuses a second vote.
    """

    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="helpfulness_votes"
    )
    visitor = models.CharField(max_length=80)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("helpfulness vote")
        verbose_name_plural = _("helpfulness votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor"], name="kb_one_vote_per_visitor"),
        ]
        indexes = [
            models.Index(fields=["article", "-created_at"], name="kb_votes_by_article"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {'yes' if self.helpful else 'no'}"


__all__ = [
    "ArticlePage",
    "ArticleReview",
    "FAQPage",
    "HelpfulnessVote",
    "KnowledgeBaseIndexPage",
    "SourceChange",
    "TaggedArticle",
]
