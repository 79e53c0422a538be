"""Every write the knowledge base makes. The site, the API, the Wagtail admin and the two
signal receivers (kb/receivers.py) call these functions; none of them writes on its own.

Locks follow the forum's order (question, then answer, then users by primary key). A
promotion then has treebeard lock the knowledge-base index's page row (add_child does),
and an article's review row is always taken before any user row. The forum never locks
review rows, so no write here can wait on a forum write in a cycle.

Articles are pages: they are created through Wagtail's API (add_child, save_revision
with the acting user) so Wagtail's page permissions, revisions and audit log apply, and
they are published only by an editor in Wagtail, never from here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from core import events, ratelimit
from core.errors import InvalidInput, NotAllowed
from forum.actions import grant_kb_bonus, revoke_kb_bonus
from forum.errors import PostDeleted
from forum.markdown import markdown_to_text
from forum.models import Answer, Correction, Question, ReputationReason
from kb import permissions
from kb import verbs as v
from kb.blocks import markdown_to_blocks
from kb.errors import NoKnowledgeBase, NotSolved
from kb.models import (
    ArticlePage,
    ArticleReview,
    HelpfulnessVote,
    KnowledgeBaseIndexPage,
    SourceChange,
)
from kb.queries import source_snapshot

PROMOTED_TO_KB = ReputationReason.PROMOTED_TO_KB
ARTICLE_DELETED = Correction.ARTICLE_DELETED

SUMMARY_MAX = 300
COMMENT_MAX = 1000


# --- Promotion --------------------------------------------------------------------------


@transaction.atomic
def promote_question(actor: User, question: Question) -> ArticlePage:
    """Staff, or a member with `kb.promote_question`, turns a solved thread into a draft article.

    The draft goes under the knowledge-base index through Wagtail (the actor also needs
    Wagtail's permission to add pages there), prefilled from the thread: its title, the
    question as "Problem", the accepted answer as "Solution" (code kept as code blocks),
    the category and tags, and credit to the answer's author. It is never published here;
    an editor publishes it in Wagtail, through a workflow if one is configured.

    One article per thread: promoting again returns the existing article, whatever its
    state. Records `article.promoted`.
    """
    if not permissions.can_promote_question(actor, question):
        raise NotAllowed(_("Only staff can add questions to the knowledge base."))
    # Lock only the question (of=): concurrent promotions of one thread queue here, and the
    # unique constraint on the article's source question catches anything that doesn't.
    question = (
        Question.objects.select_for_update(no_key=True, of=("self",))
        .select_related("accepted_answer__author", "category")
        .get(pk=question.pk)
    )
    existing = ArticlePage.objects.filter(source_question=question).first()
    if existing is not None:
        return existing
    if not question.is_visible:
        raise PostDeleted()
    if question.is_private:
        raise NotAllowed(_("A private question can't go into the knowledge base."))
    answer = question.accepted_answer
    if answer is None or not answer.is_visible:
        raise NotSolved()
    # The article goes into the knowledge base in the thread's language when there is
    # one (its translation of the index), else the default language's (docs/i18n.md).
    indexes = KnowledgeBaseIndexPage.objects.select_related("locale").order_by("path")
    index = next((i for i in indexes if i.locale.language_code == question.language), None) or next(
        (i for i in indexes if i.locale.language_code == settings.LANGUAGE_CODE), None
    )
    index = index or indexes.first()
    if index is None:
        raise NoKnowledgeBase()
    if not (
        index.permissions_for_user(actor).can_add_subpage() and ArticlePage.can_create_at(index)
    ):
        raise NotAllowed(
            _("You need permission to add pages to the knowledge base in the Wagtail admin.")
        )

    article = ArticlePage(
        title=question.title,
        summary=Truncator(markdown_to_text(question.body)).chars(SUMMARY_MAX),
        body=_article_body(question, answer),
        category=question.category,
        source_question=question,
        source_answer=answer,
        owner=actor,
        live=False,
    )
    article.tags.set(list(question.tags.names()))
    article.credited.set([answer.author])
    # add_child saves the page (Wagtail logs "wagtail.create" for its owner) and
    # save_revision makes the draft editors open, logged as the actor's edit.
    index.add_child(instance=article)
    article.save_revision(user=actor, log_action=True)
    ArticleReview.objects.create(article=article, snapshot=source_snapshot(question))
    events.record(actor, v.ARTICLE_PROMOTED, article, question=question)
    return article


def _article_body(question: Question, answer: Answer) -> list[tuple[str, object]]:
    """Problem and Solution, headed in the thread's language, not the promoter's."""
    with translation.override(question.language or settings.LANGUAGE_CODE):
        problem, solution = str(_("Problem")), str(_("Solution"))
    return [
        ("heading", problem),
        *markdown_to_blocks(question.body),
        ("heading", solution),
        *markdown_to_blocks(answer.body),
    ]


# --- Staying true to the source ---------------------------------------------------------


@transaction.atomic
def note_source_changed(question_id: int, change: str) -> ArticleReview | None:
    """Flag the article promoted from `question_id` as "source changed since last review".

    kb/subscribers.py calls this after the forum's events: an accepted answer edited, a
    different answer accepted or the acceptance withdrawn, or the question edited,
    closed, locked, reopened, deleted or restored. Calling it for a thread with
    no article, or when the thread still reads as it did at the last review (say, an edit
    to an answer that isn't the accepted one), changes nothing; so callers needn't filter.
    Returns the article's review row, or None when the thread has no article.
    """
    if change not in SourceChange.values:
        raise ValueError(f"Unknown source change {change!r}.")
    review = (
        ArticleReview.objects.select_for_update(no_key=True, of=("self",))
        .filter(article__source_question_id=question_id)
        .first()
    )
    if review is None:
        return None
    question = Question.objects.select_related("accepted_answer").filter(pk=question_id).first()
    if source_snapshot(question) == review.snapshot:
        return review
    if not review.stale:
        review.stale, review.stale_since = True, timezone.now()
    if change not in review.stale_changes:
        review.stale_changes = [*review.stale_changes, change]
        review.save(update_fields=["stale", "stale_since", "stale_changes"])
        events.record(
            None,
            v.ARTICLE_WENT_STALE,
            review.article,
            question=question_id,
            payload={"change": change},
        )
    return review


@transaction.atomic
def note_source_visibility(question_id: int) -> ArticleReview | None:
    """Follow whether everyone may still see the thread the article promoted from
    `question_id` was promoted from (kb/subscribers.py, after it is hidden, held, deleted,
    removed, merged away or made private, and after it is shown again).

    The article page and the API link to "the original discussion" only while the public
    sees it (kb.queries.article_page); this records the change for staff: when the thread
    stops being public the article is flagged "source changed" and `article.source_hidden`
    is recorded (notifications tells staff), and when it is public again
    `article.source_shown`. It re-reads the thread now and compares it with what it found
    last time, so running it twice, or for a thread without an article, does nothing.
    """
    review = (
        ArticleReview.objects.select_for_update(no_key=True, of=("self",))
        .select_related("article")
        .filter(article__source_question_id=question_id)
        .first()
    )
    if review is None:
        return None
    public = Question.objects.visible_to(None).filter(pk=question_id).exists()
    if public == review.source_public:
        return review
    review.source_public = public
    fields = ["source_public"]
    if not public:
        if not review.stale:
            review.stale, review.stale_since = True, timezone.now()
        if SourceChange.QUESTION_HIDDEN not in review.stale_changes:
            review.stale_changes = [*review.stale_changes, SourceChange.QUESTION_HIDDEN.value]
        fields += ["stale", "stale_since", "stale_changes"]
    review.save(update_fields=fields)
    events.record(
        None,
        v.ARTICLE_SOURCE_SHOWN if public else v.ARTICLE_SOURCE_HIDDEN,
        review.article,
        question=question_id,
        payload={"before": {"source_public": not public}, "after": {"source_public": public}},
    )
    return review


@transaction.atomic
def mark_reviewed(actor: User, article: ArticlePage) -> ArticleReview:
    """Staff (or `kb.promote_question`) who may edit `article` in Wagtail confirm it still
    matches its source thread: clears the flag, records the source as it is now for the
    next diff, and stamps "last reviewed". Records `article.reviewed`."""
    if not permissions.can_review_article(actor, article):
        raise NotAllowed(_("Only staff can review knowledge-base articles."))
    if not article.permissions_for_user(actor).can_edit():
        raise NotAllowed(_("You need permission to edit this article in the Wagtail admin."))
    review = _lock_review(article)
    _record_review(review, actor, article)
    events.record(actor, v.ARTICLE_REVIEWED, article, question=article.source_question_id)
    return review


@transaction.atomic
def note_article_published(actor: User | None, article: ArticlePage) -> ArticleReview:
    """Wagtail published `article` (kb/receivers.py; `actor` wrote the published revision).

    Publishing counts as a review: it clears the "source changed" flag and stamps "last
    reviewed". The first publication of a promoted article also pays the source answer's
    author the promotion bonus (settings.TANYA_KB["PROMOTION_BONUS"]); later ones don't.
    Records `article.published` (search indexes it).
    """
    review = _lock_review(article)
    _record_review(review, actor, article)
    if review.bonus_granted_at is None and article.source_answer_id is not None:
        answer = Answer.objects.filter(pk=article.source_answer_id).first()
        if answer is not None:
            review.bonus_entry = grant_kb_bonus(actor, answer, settings.TANYA_KB["PROMOTION_BONUS"])
            review.bonus_granted_at = timezone.now()
            review.save(update_fields=["bonus_entry", "bonus_granted_at"])
    events.record(actor, v.ARTICLE_PUBLISHED, article, question=article.source_question_id)
    return review


@transaction.atomic
def note_article_deleted(actor: User | None, article: ArticlePage) -> None:
    """The article is being deleted (kb/receivers.py, inside the delete's transaction):
    takes back the promotion bonus its publication paid, if any is still in force, and
    records `article.deleted` (search drops it)."""
    review = (
        ArticleReview.objects.select_for_update(no_key=True, of=("self",))
        .select_related("bonus_entry")
        .filter(article_id=article.pk)
        .first()
    )
    if review is not None and review.bonus_entry is not None:
        revoke_kb_bonus(actor, review.bonus_entry)
    events.record(actor, v.ARTICLE_DELETED, article, question=article.source_question_id)


@transaction.atomic
def note_article_unpublished(actor: User | None, article: ArticlePage) -> None:
    """Wagtail unpublished `article` (kb/receivers.py): records `article.unpublished`
    (search drops it). The review and any bonus paid stay: publishing again restores it."""
    events.record(actor, v.ARTICLE_UNPUBLISHED, article, question=article.source_question_id)


def _lock_review(article: ArticlePage) -> ArticleReview:
    # Articles written by hand in Wagtail have no review row until their first review.
    ArticleReview.objects.get_or_create(article_id=article.pk)
    return ArticleReview.objects.select_for_update(no_key=True).get(article_id=article.pk)


def _record_review(review: ArticleReview, actor: User | None, article: ArticlePage) -> None:
    question = None
    if article.source_question_id is not None:
        question = (
            Question.objects.select_related("accepted_answer")
            .filter(pk=article.source_question_id)
            .first()
        )
    review.snapshot = source_snapshot(question) if question is not None else {}
    review.stale, review.stale_changes, review.stale_since = False, [], None
    review.last_reviewed_at, review.last_reviewed_by = timezone.now(), actor
    review.save(
        update_fields=[
            "snapshot",
            "stale",
            "stale_changes",
            "stale_since",
            "last_reviewed_at",
            "last_reviewed_by",
        ]
    )


# --- Helpfulness ------------------------------------------------------------------------


def new_visitor_token() -> str:
    """A random token naming one browser, kept in a signed cookie by the site's views."""
    return secrets.token_urlsafe(18)


@transaction.atomic
def rate_article(
    actor: User,
    article: ArticlePage,
    *,
    helpful: bool,
    comment: str = "",
    visitor_token: str = "",
    client_ip: str = "",
) -> HelpfulnessVote:
    """Anyone, signed in or not, says whether a published article helped, with an optional
    comment. One vote per visitor per article: a member is one visitor wherever they sign
    in; anyone else is their browser's `visitor_token`. Voting again returns the first
    vote unchanged. New votes are rate-limited per visitor and per `client_ip`.
    """
    if not article.live:
        raise NotAllowed(_("This article isn't published."))
    member = actor if actor is not None and actor.is_authenticated else None
    if member is not None:
        visitor = f"member:{member.pk}"
    elif visitor_token and len(visitor_token) <= 64:
        visitor = f"anon:{visitor_token}"
    else:
        raise InvalidInput(_("Please enable cookies to rate articles."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("Please keep your comment under %(count)d characters.") % {"count": COMMENT_MAX},
            field="comment",
        )
    existing = HelpfulnessVote.objects.filter(article_id=article.pk, visitor=visitor).first()
    if existing is not None:
        return existing
    _check_rate(member, [visitor, f"ip:{client_ip}" if client_ip else ""])
    try:
        with transaction.atomic():
            vote = HelpfulnessVote.objects.create(
                article_id=article.pk,
                visitor=visitor,
                member=member,
                helpful=bool(helpful),
                comment=comment,
            )
    except IntegrityError:  # the same visitor's other request won the race
        return HelpfulnessVote.objects.get(article_id=article.pk, visitor=visitor)
    events.record(member, v.ARTICLE_RATED, article, payload={"helpful": vote.helpful})
    return vote


def _check_rate(member: User | None, subjects: list[str]) -> None:
    """New votes are limited per visitor and per IP, since anonymous visitors have no
    member to count against. Staff are exempt."""
    if member is not None and member.is_staff:
        return
    ratelimit.limit("kb_helpful", subjects, rate=settings.TANYA_KB["HELPFUL_VOTE_RATE"])
