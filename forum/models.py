"""Questions, answers, comments, votes, revisions and the reputation ledger.

Posts are ordinary models (a forum holds far more posts than a page tree should); the
community's categories are Wagtail pages (see pages.py). Counters on Question and
Answer (score, answer_count) are caches kept right by the functions in actions.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from forum.pages import CategoryPage, CommunityIndexPage

ALT_MAX = 200  # an image's description


class QuestionState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    LOCKED = "locked", _("Locked")


class Visibility(models.TextChoices):
    """Who may see a post. The state is the truth; `deleted_at`/`deleted_by` only say when
    and by whom a deletion happened (docs/visibility-notes.md)."""

    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden by moderators")
    DELETED = "deleted", _("Deleted")


class CloseReason(models.TextChoices):
    """Why a moderator closed a question (forum.actions.close_question)."""

    DUPLICATE = "duplicate", _("Duplicate of another question")
    OFF_TOPIC = "off_topic", _("Off-topic")
    RESOLVED_ELSEWHERE = "resolved_elsewhere", _("Resolved elsewhere")
    NEEDS_DETAIL = "needs_detail", _("Needs more detail")


# Held and hidden posts stay visible to their author (with a notice); deleted ones don't.
AUTHOR_SEES = (Visibility.HELD, Visibility.HIDDEN)


def _seen_by(viewer, prefix: str = "") -> Q:
    """The condition for one post (reached through `prefix`) to be visible to `viewer`,
    a member who doesn't moderate or None."""
    seen = Q(**{f"{prefix}visibility": Visibility.VISIBLE})
    if viewer is not None:
        seen |= Q(**{f"{prefix}visibility__in": AUTHOR_SEES, f"{prefix}author": viewer.pk})
    return seen


def _open_to(viewer, prefix: str = "") -> Q:
    """The condition for the question reached through `prefix` not to be closed to
    `viewer` by privacy: a private question is for its asker (and moderators and staff,
    who never get here). Its answers and comments inherit it (docs/support.md)."""
    opened = Q(**{f"{prefix}is_private": False})
    if viewer is not None:
        opened |= Q(**{f"{prefix}author": viewer.pk})
    return opened


class PostQuerySet(models.QuerySet):
    """Questions, answers or comments. `visible_to` is the one read of visibility."""

    def visible_to(self, viewer) -> "PostQuerySet":
        """The posts `viewer` may see (forum.permissions.can_see_post says the same of one).

        Everyone sees visible posts; the author also sees their held and hidden ones;
        moderators and staff see every state, a moderator scoped to categories only in
        those (forum.permissions.moderates). A private question (and its answers and
        comments) is seen only by its asker, moderators and staff. `None` (or anyone not
        signed in) is the public: lists, feeds, sitemaps and search ask for that, so they
        read the same for every reader and stay on the partial indexes, whose condition is
        `visibility = 'visible'` (the few private rows are filtered on the index's rows).
        """
        # permissions imports models
        from forum.permissions import is_member, is_moderator, moderation_scope

        if is_moderator(viewer):
            scope = moderation_scope(viewer)
            if scope is None:
                return self._seen_by_moderators()
            # A moderator scoped to categories moderates (and sees every state) there
            # only; elsewhere they read as any member does (forum.permissions.moderates).
            return self._seen_by_moderators().filter(
                self._in_categories(scope) | self._seen_by(viewer)
            )
        return self.filter(self._seen_by(viewer if is_member(viewer) else None))

    def _seen_by(self, viewer) -> Q:
        return _seen_by(viewer)

    def _in_categories(self, ids: frozenset[int]) -> Q:
        return Q(question__category_id__in=ids)

    def _seen_by_moderators(self) -> "PostQuerySet":
        return self.all()


class QuestionQuerySet(PostQuerySet):
    def _seen_by(self, viewer) -> Q:
        return _seen_by(viewer) & _open_to(viewer)

    def _in_categories(self, ids: frozenset[int]) -> Q:
        return Q(category_id__in=ids)


class AnswerQuerySet(PostQuerySet):
    def _seen_by(self, viewer) -> Q:
        # An answer is seen only where its question is.
        return _seen_by(viewer) & _seen_by(viewer, "question__") & _open_to(viewer, "question__")


class CommentQuerySet(PostQuerySet):
    def _seen_by(self, viewer) -> Q:
        # A comment is seen only where the post it is on (and that post's question) is.
        on_question = (
            Q(answer=None) & _seen_by(viewer, "question__") & _open_to(viewer, "question__")
        )
        on_answer = (
            Q(question=None)
            & _seen_by(viewer, "answer__")
            & _seen_by(viewer, "answer__question__")
            & _open_to(viewer, "answer__question__")
        )
        return _seen_by(viewer) & (on_question | on_answer)

    def _in_categories(self, ids: frozenset[int]) -> Q:
        return Q(question__category_id__in=ids) | Q(answer__question__category_id__in=ids)

    def _seen_by_moderators(self) -> "CommentQuerySet":
        # Nothing restores a comment, so a deleted one is gone for moderators too.
        return self.exclude(visibility=Visibility.DELETED)


class VisibilityStates:
    """The state of a post, as words for templates and predicates."""

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE

    @property
    def is_held(self) -> bool:
        return self.visibility == Visibility.HELD

    @property
    def is_hidden(self) -> bool:
        return self.visibility == Visibility.HIDDEN

    @property
    def is_deleted(self) -> bool:
        return self.visibility == Visibility.DELETED


def _visibility_valid(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(visibility__in=Visibility.values), name=f"{prefix}_visibility_valid"
    )


class TaggedQuestion(TaggedItemBase):
    content_object = models.ForeignKey(
        "forum.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_question_once"),
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_question_by_tag")]


_VISIBLE = Q(visibility=Visibility.VISIBLE)
# "Unanswered": an open question (not closed or locked, which nobody can answer) with no
# visible answer. The lists, the home page and their partial indexes share this condition.
UNANSWERED = Q(state=QuestionState.OPEN, answer_count=0)
RESERVED_SLUGS = frozenset(
    {"edit", "answers", "vote", "unaccept", "verify", "comments", "delete", "restore"}
    | {"state", "revisions", "promote", "flags", "accept", "privacy", "escalate"}
    | {"close", "reopen", "lock", "unlock", "pin", "unpin", "move", "merge", "moderate"}
)


def _list_index(name: str, *fields: str, condition: Q = _VISIBLE) -> models.Index:
    return models.Index(fields=list(fields), name=name, condition=condition)


class Question(VisibilityStates, index.Indexed, models.Model):
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=160, allow_unicode=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    # The language the post is written in, for its `lang` attribute (docs/i18n.md).
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    category = models.ForeignKey(
        CategoryPage,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedQuestion, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now_add=True)
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    score = models.IntegerField(_("score"), default=0, editable=False)
    answer_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    accepted_answer = models.OneToOneField(
        "forum.Answer",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_for",
        editable=False,
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=QuestionState.choices, default=QuestionState.OPEN
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        editable=False,
    )
    # Private: for the asker, moderators and staff only, never listed or indexed; its
    # answers and comments inherit it (forum.models._open_to, docs/support.md).
    is_private = models.BooleanField(_("private"), default=False, editable=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Set by the moderator actions (forum/actions/moderation.py).
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True, editable=False
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True, editable=False)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("state"),
        index.FilterField("category_id"),
        index.FilterField("visibility"),
    ]

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("moderate_forum", _("Can moderate the forum"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_count__gte=0), name="question_answer_count_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "closed", "locked"]), name="question_state_valid"
            ),
            _visibility_valid("question"),
            models.CheckConstraint(
                condition=Q(accepted_answer=None) | ~Q(accepted_by=None),
                name="question_acceptance_has_actor",
            ),
            models.CheckConstraint(
                condition=Q(verified_by=None) | ~Q(accepted_answer=None),
                name="question_verification_needs_acceptance",
            ),
            models.CheckConstraint(
                condition=Q(duplicate_of=None) | Q(close_reason="duplicate"),
                name="question_duplicate_has_reason",
            ),
        ]
        # One index per list ordering, global and per category, over visible questions.
        indexes = [
            _list_index("q_newest", "-created_at", "-id"),
            _list_index("q_cat_newest", "category", "-created_at", "-id"),
            _list_index("q_active", "-last_activity_at", "-id"),
            _list_index("q_cat_active", "category", "-last_activity_at", "-id"),
            _list_index("q_votes", "-score", "-id"),
            _list_index("q_cat_votes", "category", "-score", "-id"),
            _list_index("q_unanswered", "-created_at", "-id", condition=_VISIBLE & UNANSWERED),
            _list_index(
                "q_cat_unanswered",
                "category",
                "-created_at",
                "-id",
                condition=_VISIBLE & UNANSWERED,
            ),
            _list_index(
                "q_solved",
                "-last_activity_at",
                "-id",
                condition=_VISIBLE & ~Q(accepted_answer=None),
            ),
            _list_index(
                "q_cat_solved",
                "category",
                "-last_activity_at",
                "-id",
                condition=_VISIBLE & ~Q(accepted_answer=None),
            ),
            models.Index(fields=["author", "-created_at"], name="q_by_author"),
            # The category page's pinned questions, newest pin first (queries.pinned_questions).
            _list_index(
                "q_cat_pinned",
                "category",
                "-pinned_at",
                "-id",
                condition=_VISIBLE & ~Q(pinned_at=None),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        slug = slugify(self.title, allow_unicode=True)[:150] or "question"
        # /questions/<id>/<word>/ also names the question's own action pages.
        self.slug = f"{slug}-question" if slug in RESERVED_SLUGS else slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("forum:question", args=[self.pk, self.slug or "question"])

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def is_verified(self) -> bool:
        return self.verified_by_id is not None

    @property
    def accepted_by_asker(self) -> bool:
        return self.accepted_answer_id is not None and self.accepted_by_id == self.author_id

    @property
    def is_locked(self) -> bool:
        return self.state == QuestionState.LOCKED

    @property
    def is_closed(self) -> bool:
        return self.state == QuestionState.CLOSED

    @property
    def is_pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Answer(VisibilityStates, index.Indexed, models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    # The language the post is written in, for its `lang` attribute (docs/i18n.md).
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    score = models.IntegerField(_("score"), default=0, editable=False)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        editable=False,
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    search_fields = [
        index.SearchField("body"),
        index.FilterField("question_id"),
        index.FilterField("visibility"),
    ]

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [_visibility_valid("answer")]
        indexes = [
            models.Index(fields=["question", "-score", "created_at"], name="a_by_question"),
            models.Index(fields=["author", "-created_at"], name="a_by_author"),
        ]

    def __str__(self) -> str:
        return _("Answer to “%(title)s”") % {"title": self.question.title}

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


def _exactly_one_post(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(question__isnull=False, answer__isnull=True))
        | (Q(question__isnull=True, answer__isnull=False)),
        name=f"{prefix}_on_exactly_one_post",
    )


class Comment(VisibilityStates, models.Model):
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    # The language the post is written in, for its `lang` attribute (docs/i18n.md).
    language = models.CharField(_("language"), max_length=8, default=settings.LANGUAGE_CODE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        editable=False,
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [_exactly_one_post("comment"), _visibility_valid("comment")]
        indexes = [
            models.Index(fields=["question", "created_at"], name="c_by_question"),
            models.Index(fields=["answer", "created_at"], name="c_by_answer"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def post(self) -> "Question | Answer":
        return self.question if self.question_id else self.answer


class Vote(models.Model):
    """One row per member per post, kept when retracted (value 0) so the ledger can link to it."""

    UP, DOWN, NONE = 1, -1, 0

    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.SmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            _exactly_one_post("vote"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
            models.UniqueConstraint(
                fields=["voter", "question"],
                condition=Q(question__isnull=False),
                name="vote_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["voter", "answer"],
                condition=Q(answer__isnull=False),
                name="vote_once_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.value:+d}"


class Revision(models.Model):
    """The full source of a post after each edit (the first revision is the original)."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions"
    )
    title = models.CharField(max_length=150, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=200, blank=True)
    summary = models.CharField(_("edit summary"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["number"]
        constraints = [
            _exactly_one_post("revision"),
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=Q(question__isnull=False),
                name="revision_number_unique_question",
            ),
            models.UniqueConstraint(
                fields=["answer", "number"],
                condition=Q(answer__isnull=False),
                name="revision_number_unique_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class ReputationReason(models.TextChoices):
    QUESTION_UPVOTED = "question_upvoted", _("question upvoted")
    ANSWER_UPVOTED = "answer_upvoted", _("answer upvoted")
    DOWNVOTED = "downvoted", _("post downvoted")
    DOWNVOTE_CAST = "downvote_cast", _("downvoted an answer")
    ANSWER_ACCEPTED = "answer_accepted", _("answer accepted")
    ACCEPTED_AN_ANSWER = "accepted_an_answer", _("accepted an answer")
    ADJUSTMENT = "adjustment", _("adjustment")
    PROMOTED_TO_KB = "promoted_to_kb", _("promoted to knowledge base")


class Correction(models.TextChoices):
    RETRACTED = "retracted", _("vote retracted or changed")
    UNACCEPTED = "unaccepted", _("acceptance withdrawn")
    ANSWER_DELETED = "answer_deleted", _("answer deleted")
    QUESTION_DELETED = "question_deleted", _("question deleted")
    RESTORED = "restored", _("post restored")
    ARTICLE_DELETED = "article_deleted", _("article deleted")


class ReputationEntry(models.Model):
    """Append-only ledger: a grant, or a correction of an earlier grant.

    A grant has `reverses` empty. Undoing it (a retracted vote, a withdrawn acceptance, a
    deleted post) adds a correction pointing at the grant, worth minus the grant's net;
    restoring a post adds another that brings the net back. So a grant is in force when
    its amount plus its corrections is not zero, and a member's total is always the floor
    plus the sum of their entries.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reputation_entries"
    )
    amount = models.IntegerField()
    reason = models.CharField(max_length=30, choices=ReputationReason.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.SET_NULL, related_name="reputation_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    cause = models.CharField(max_length=20, choices=Correction.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reputation entry")
        verbose_name_plural = _("reputation entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses=None, cause="") | (~Q(reverses=None) & ~Q(cause="")),
                name="rep_correction_has_cause",
            ),
        ]
        indexes = [
            # The profile's history, newest first (forum.queries.reputation_history): with
            # the id in the index, entries of the same moment need no sort.
            models.Index(fields=["user", "-created_at", "-id"], name="rep_by_user_newest"),
            models.Index(fields=["question", "reason"], name="rep_by_question"),
            models.Index(fields=["answer", "reason"], name="rep_by_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.amount:+d} {self.reason}"

    @property
    def is_correction(self) -> bool:
        return self.reverses_id is not None


class CategoryCounts(models.Model):
    """How many visible questions a category holds and how many of them are solved.

    A cache kept by forum.counters in the transaction of every write that moves a question
    into or out of the count (ask, move, delete, restore, accept, unaccept); the home page
    reads it instead of counting. A table of its own, not columns on the category page, so
    publishing an old revision of the page never writes old counts back.
    `manage.py category_counts_recompute [--check]` finds and fixes drift.
    """

    category = models.OneToOneField(
        CategoryPage, on_delete=models.CASCADE, primary_key=True, related_name="counts"
    )
    question_count = models.IntegerField(default=0)
    solved_count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("category counts")
        verbose_name_plural = _("category counts")

    def __str__(self) -> str:
        return f"{self.category_id}: {self.question_count} ({self.solved_count} solved)"


class MemberCounts(models.Model):
    """How many visible questions, visible answers (on visible questions) and accepted
    answers a member has, as their profile shows them.

    After each event that can change one of them (a post asked, answered, accepted or
    unaccepted, deleted, restored, held, approved, hidden, unhidden, merged, made private)
    forum.subscribers.recount_member_posts counts a member with no row at once and marks
    an existing row stale; the periodic job forum.recount_member_posts recounts the stale
    rows every minute, so a busy member costs one recount a minute, not one per post. The
    profile never counts in the request. A member with no row yet (no such event since
    the table was filled) is counted live (forum.queries.member_profile).
    docs/performance.md, "A member's counts".
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="forum_counts",
    )
    questions = models.IntegerField(default=0)
    answers = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    counted_at = models.DateTimeField(auto_now=True)
    # An event changed the member's posts since the counts were taken: the periodic job
    # forum.recount_member_posts recounts every such row, at most once a minute each.
    stale = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("member counts")
        indexes = [
            models.Index(fields=["user"], name="member_counts_stale", condition=Q(stale=True))
        ]
        verbose_name_plural = _("member counts")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.questions} / {self.answers} / {self.accepted}"


_LISTED_TAG = Q(question_count__gt=0)


class TagCounts(models.Model):
    """How many public questions (visible, not private: what the lists show) carry a tag.

    Kept by forum.counters with the category counts, in the same transactions; the tags
    directory (forum/directories.py) reads it instead of counting, sorted by popularity
    or by name from its own indexes. `name` and `slug` are the tag's, copied so the
    directory reads one table. `manage.py category_counts_recompute` fixes drift here too.
    """

    tag = models.OneToOneField("taggit.Tag", on_delete=models.CASCADE, related_name="forum_counts")
    name = models.CharField(max_length=100)
    slug = models.CharField(max_length=100)
    question_count = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("tag counts")
        verbose_name_plural = _("tag counts")
        # One index per ordering of the directory, over the tags it lists, and one for
        # prefix search (the pattern operator class: PostgreSQL's LIKE 'prefix%' from the
        # index whatever the collation; SQLite ignores it).
        indexes = [
            models.Index(
                fields=["-question_count", "-id"], name="tag_by_popularity", condition=_LISTED_TAG
            ),
            models.Index(fields=["name", "id"], name="tag_by_name", condition=_LISTED_TAG),
            models.Index(
                fields=["name"],
                name="tag_name_prefix",
                opclasses=["varchar_pattern_ops"],
                condition=_LISTED_TAG,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.question_count}"


class CategoryModerator(models.Model):
    """Scopes a moderator to a category. A moderator with any of these rows moderates only
    those categories; one with none moderates everywhere (forum.permissions.moderates).
    Staff are never scoped."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderated_categories",
    )
    category = models.ForeignKey(
        CategoryPage,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="moderators",
    )

    class Meta:
        verbose_name = _("category moderator")
        verbose_name_plural = _("category moderators")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="category_moderator_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.category}"


class Attachment(models.Model):
    """An image attached to a question or an answer (forum/attachments.py made it, docs/
    attachments.md). The file and its thumbnail live in the default storage under random
    names; they are served only by forum.views.attachment_file, to those who may see the
    post, and deleted with the post (forum/subscribers.py)."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    answer = models.ForeignKey(
        Answer,
        verbose_name=_("answer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The position in its post, from 1: the default description is "Screenshot <position>".
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    alt = models.CharField(_("description"), max_length=ALT_MAX, blank=True)
    file = models.CharField(_("file"), max_length=200)
    thumbnail = models.CharField(_("thumbnail"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=20)
    size = models.PositiveIntegerField(_("size in bytes"))
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    thumb_width = models.PositiveIntegerField(_("thumbnail width"))
    thumb_height = models.PositiveIntegerField(_("thumbnail height"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="attachment_on_one_post",
            )
        ]
        indexes = [
            models.Index(fields=["question", "position"], name="attachment_question_pos"),
            models.Index(fields=["answer", "position"], name="attachment_answer_pos"),
        ]

    def __str__(self) -> str:
        return self.file

    def get_absolute_url(self) -> str:
        return reverse("forum:attachment", args=[self.pk, self.filename])

    @property
    def alt_text(self) -> str:
        """What the author wrote, or "Screenshot N" in the reader's language."""
        return self.alt or gettext("Screenshot %(number)d") % {"number": self.position}

    @property
    def filename(self) -> str:
        return f"screenshot-{self.pk}.{self.file.rsplit('.', 1)[-1]}"

    def get_thumbnail_url(self) -> str:
        return reverse("forum:attachment_thumbnail", args=[self.pk, self.filename])


__all__ = [
    "Answer",
    "Attachment",
    "CategoryCounts",
    "CategoryModerator",
    "CategoryPage",
    "CloseReason",
    "Comment",
    "CommunityIndexPage",
    "Correction",
    "Question",
    "QuestionState",
    "ReputationEntry",
    "ReputationReason",
    "Revision",
    "TagCounts",
    "TaggedQuestion",
    "Visibility",
    "Vote",
]
