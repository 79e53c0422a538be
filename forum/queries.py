"""Reads shared by pages, htmx fragments, the API and the admin.

Each returns objects already shaped for its caller (select_related for foreign keys,
Prefetch for collections), so a page's query count doesn't grow with its data.
"""

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from taggit.models import Tag

from core import language
from forum import permissions
from forum.models import (
    UNANSWERED,
    Answer,
    Attachment,
    CategoryPage,
    Comment,
    Question,
    ReputationEntry,
    Vote,
)
from forum.pagination import Ordering, Page, paginate

SORTS: dict[str, Ordering] = {
    "newest": Ordering("created_at"),
    "active": Ordering("last_activity_at"),
    "votes": Ordering("score"),
    "unanswered": Ordering("created_at"),
    "solved": Ordering("last_activity_at"),
}
DEFAULT_SORT = "active"


def visible_questions() -> QuerySet[Question]:
    """Questions everyone may see: what lists, feeds, sitemaps and search show to every
    reader alike (a held question is not listed, even for its author)."""
    return Question.objects.visible_to(None)


def _list_shape(queryset: QuerySet[Question]) -> QuerySet[Question]:
    """What a question card shows: author, category, tags; never the bodies."""
    return (
        queryset.select_related("author", "category")
        .prefetch_related("tags")
        .defer("body", "body_html")
    )


def question_list(
    *,
    sort: str = DEFAULT_SORT,
    category: CategoryPage | None = None,
    tag: Tag | None = None,
    cursor: str | None = None,
    size: int | None = None,
    without_pinned: bool = False,
) -> Page:
    """One page of visible questions, sorted by `sort`, optionally in a category or tag.

    Three queries per page (questions, their tags, nothing else), at any depth.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    questions = visible_questions()
    if category is not None:
        questions = questions.filter(category=category)
        if without_pinned:  # the category page shows them above (pinned_questions)
            questions = questions.filter(pinned_at=None)
    if tag is not None:
        questions = questions.filter(tagged_items__tag=tag)
    if sort == "unanswered":
        questions = questions.filter(UNANSWERED)
    elif sort == "solved":
        questions = questions.exclude(accepted_answer=None)
    return paginate(_list_shape(questions), SORTS[sort], cursor, size or settings.TANYA_PAGE_SIZE)


def question_list_page(
    request: HttpRequest, *, category: CategoryPage | None = None, tag: Tag | None = None
) -> dict:
    """Context for a list page from the request's `sort` and `cursor` parameters."""
    sort = request.GET.get("sort", DEFAULT_SORT)
    sort = sort if sort in SORTS else DEFAULT_SORT
    cursor = request.GET.get("cursor")
    page = question_list(
        sort=sort, category=category, tag=tag, cursor=cursor, without_pinned=category is not None
    )
    context = {"page": page, "questions": page.items, "sort": sort, "sorts": sort_choices()}
    if category is not None:
        context["pinned"] = pinned_questions(category) if not cursor else []
    return context


def sort_choices() -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    return [
        ("active", _("Active")),
        ("newest", _("Newest")),
        ("votes", _("Most votes")),
        ("unanswered", _("Unanswered")),
        ("solved", _("Solved")),
    ]


def categories_with_stats(index_page=None) -> list[CategoryPage]:
    """Live categories in their admin order, each with `question_count`, `solved_count`
    and `latest_activity`, in one query whatever the number of questions.

    The counts are the cache forum.counters keeps (forum.models.CategoryCounts), never
    counted here; the latest activity is one step down the `q_cat_active` index per
    category.

    Questions point at the default language's categories (docs/i18n.md), so those are
    the ones counted. The home page in another language (`index_page` an Indonesian
    home) shows each category's translation where it has one, with its source's counts:
    two more queries (the home's English twin, the translations).
    """
    source_index = language.source_page(index_page) if index_page is not None else None
    categories = live_categories()
    if source_index is not None:
        categories = categories.child_of(source_index)
    latest = (
        visible_questions()
        .filter(category=OuterRef("pk"))
        .order_by("-last_activity_at", "-id")
        .values("last_activity_at")[:1]
    )
    found = list(
        categories.annotate(
            question_count=Coalesce(F("counts__question_count"), 0),
            solved_count=Coalesce(F("counts__solved_count"), 0),
            latest_activity=Subquery(latest),
        )
    )
    if index_page is None or source_index.pk == index_page.pk:
        return found
    stats = ("question_count", "solved_count", "latest_activity")
    return language.localized_pages(found, index_page.locale_id, keep=stats)


def category_colours() -> list[tuple[int, str]]:
    """(page id, #rrggbb) of every category, for the categories stylesheet."""
    return list(CategoryPage.objects.order_by("pk").values_list("pk", "colour"))


def home_page(index_page, viewer=None) -> dict:
    """The home page: categories with counts and latest activity, newest and unanswered."""
    return {
        "categories": categories_with_stats(index_page),
        "newest": question_list(sort="newest", size=8).items,
        "unanswered": question_list(sort="unanswered", size=5).items,
    }


def merged_into(question_id: int) -> Question | None:
    """The question `question_id` was merged into (following merges of merges), or None."""
    seen = set()
    target = None
    while question_id not in seen:
        seen.add(question_id)
        row = Question.objects.filter(pk=question_id).values_list("merged_into", flat=True).first()
        if row is None:
            break
        question_id = row
        target = question_id
    if target is None:
        return None
    return Question.objects.only("pk", "slug").get(pk=target)


def pinned_questions(category: CategoryPage) -> list[Question]:
    """The category's pinned visible questions, newest pin first, for the top of its page
    (the q_cat_pinned index). The paginated list below leaves them out."""
    return list(
        _list_shape(visible_questions().filter(category=category).exclude(pinned_at=None)).order_by(
            "-pinned_at", "-id"
        )[: settings.TANYA_PAGE_SIZE]
    )


def _visible_comments(viewer) -> QuerySet[Comment]:
    return Comment.objects.visible_to(viewer).select_related("author").order_by("created_at")


def question_page(question_id: int, viewer=None) -> Question:
    """A question with everything its page renders, in a fixed number of queries.

    Answers come accepted first, then by score, then oldest first. Posts the viewer may
    not see are left out (forum.permissions.can_see_post): moderators see every state,
    authors their own held and hidden posts, each shown with its state. Raises Http404
    for a question the viewer may not see.
    """
    answers = (
        Answer.objects.visible_to(viewer)
        .select_related("author")
        .prefetch_related(Prefetch("comments", queryset=_visible_comments(viewer)))
    )
    try:
        question = (
            Question.objects.select_related(
                "author", "category", "accepted_by", "verified_by", "deleted_by", "duplicate_of"
            )
            .prefetch_related(
                "tags",
                Prefetch("answers", queryset=answers.order_by("-score", "created_at")),
                Prefetch("comments", queryset=_visible_comments(viewer)),
            )
            .get(pk=question_id)
        )
    except Question.DoesNotExist as error:
        raise Http404 from error
    if not permissions.can_see_post(viewer, question):
        raise Http404
    ordered = sorted(question.answers.all(), key=lambda a: a.pk != question.accepted_answer_id)
    question.ordered_answers = ordered
    question.accepted = next((a for a in ordered if a.pk == question.accepted_answer_id), None)
    _attach_votes(question, viewer)
    _attach_images(question)
    return question


def _attach_images(question: Question) -> None:
    """Set `images` on the question and each answer, in order: one query for the thread."""
    answers = {a.pk: a for a in question.ordered_answers}
    question.images = []
    for answer in answers.values():
        answer.images = []
    rows = Attachment.objects.filter(Q(question=question) | Q(answer_id__in=list(answers)))
    for attachment in rows.order_by("position", "pk"):
        if attachment.question_id:
            question.images.append(attachment)
        else:
            answers[attachment.answer_id].images.append(attachment)


def _attach_votes(question: Question, viewer) -> None:
    """Set `my_vote` on the question and each answer: one query for a member, none otherwise."""
    question.my_vote = 0
    for answer in question.ordered_answers:
        answer.my_vote = 0
    if not permissions.is_member(viewer):
        return
    answer_ids = [a.pk for a in question.ordered_answers]
    votes = Vote.objects.filter(voter=viewer).filter(
        Q(question=question) | Q(answer_id__in=answer_ids)
    )
    by_answer = {}
    for vote in votes.only("question_id", "answer_id", "value"):
        if vote.question_id:
            question.my_vote = vote.value
        else:
            by_answer[vote.answer_id] = vote.value
    for answer in question.ordered_answers:
        answer.my_vote = by_answer.get(answer.pk, 0)


def answer_with_context(answer_id: int, viewer=None) -> Answer:
    """One answer for re-rendering its fragment after an htmx action."""
    answer = (
        Answer.objects.select_related("author", "question", "question__author")
        .prefetch_related(Prefetch("comments", queryset=_visible_comments(viewer)))
        .get(pk=answer_id)
    )
    answer.my_vote = 0
    if permissions.is_member(viewer):
        answer.my_vote = (
            Vote.objects.filter(voter=viewer, answer=answer).values_list("value", flat=True).first()
            or 0
        )
    return answer


def revision_history(post) -> list:
    """Revisions of a post, newest first, each with `previous` for a diff."""
    revisions = list(post.revisions.select_related("editor").order_by("number"))
    previous = None
    for revision in revisions:
        revision.previous = previous
        previous = revision
    return list(reversed(revisions))


def reputation_history(user, limit: int = 50) -> QuerySet[ReputationEntry]:
    """A member's latest ledger entries with the post each came from."""
    return (
        ReputationEntry.objects.filter(user=user)
        .select_related("question")
        .order_by("-created_at", "-pk")[:limit]
    )


def tag_by_slug(slug: str) -> Tag:
    try:
        return Tag.objects.get(slug=slug)
    except Tag.DoesNotExist as error:
        raise Http404 from error


def live_categories() -> QuerySet[CategoryPage]:
    """The live categories questions may be filed in: the default language's (their
    translations are twins of these, docs/i18n.md)."""
    return (
        CategoryPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )


def _count_by_author(queryset: QuerySet):
    from django.db.models import Subquery
    from django.db.models.functions import Coalesce

    counted = queryset.order_by().values("author").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def member_profile(username: str):
    """An active member with `question_count`, `answer_count` and `accepted_count`, in
    one query. Counts only posts still visible. Raises Http404 for an unknown member.

    The counts are the member's MemberCounts row (kept by the worker after every event
    that can change them; forum/subscribers.py); for a member with no row yet, they are
    counted here. `COALESCE` evaluates its second argument only when the first is null,
    on SQLite and PostgreSQL alike, so a member with a row costs no count at all."""
    from django.db.models import F, OuterRef

    from accounts.models import User

    questions = Question.objects.visible_to(None).filter(author=OuterRef("pk"))
    answers = Answer.objects.visible_to(None).filter(author=OuterRef("pk"))
    accepted = answers.filter(accepted_for__isnull=False)
    try:
        return User.objects.annotate(
            question_count=Coalesce(F("forum_counts__questions"), _count_by_author(questions)),
            answer_count=Coalesce(F("forum_counts__answers"), _count_by_author(answers)),
            accepted_count=Coalesce(F("forum_counts__accepted"), _count_by_author(accepted)),
        ).get(username=username, is_active=True)
    except User.DoesNotExist as error:
        raise Http404 from error


# --- The JSON API -----------------------------------------------------------------------
# The API filters and sorts independently (state=solved&sort=votes), shows one post at a
# time, and lists a post's answers or comments on their own; these shape those reads.

QUESTION_STATES = ("solved", "unanswered")


def filtered_question_list(
    *,
    sort: str = DEFAULT_SORT,
    state: str | None = None,
    category: CategoryPage | None = None,
    tag: Tag | None = None,
    cursor: str | None = None,
    size: int | None = None,
) -> Page:
    """One page of visible questions: any `state` filter with any of newest/active/votes.

    Two queries per page (questions with author and category, then their tags).
    """
    sort = sort if sort in ("newest", "active", "votes") else DEFAULT_SORT
    questions = visible_questions()
    if category is not None:
        questions = questions.filter(category=category)
    if tag is not None:
        questions = questions.filter(tagged_items__tag=tag)
    if state == "unanswered":
        questions = questions.filter(UNANSWERED)
    elif state == "solved":
        questions = questions.exclude(accepted_answer=None)
    return paginate(_list_shape(questions), SORTS[sort], cursor, size or settings.TANYA_PAGE_SIZE)


def category_by_id_or_slug(key: int | str) -> CategoryPage | None:
    """A live category by primary key or slug; None when there is none."""
    categories = live_categories()
    if isinstance(key, int):
        return categories.filter(pk=key).first()
    return categories.filter(slug=key).first()


def category_named(value: str) -> CategoryPage | None:
    """The live category a query string names: digits are an id, anything else a slug.
    (Nineteen digits and more can't be an id the databases hold: read as a slug.)"""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return category_by_id_or_slug(int(value))
    return category_by_id_or_slug(value)


def tag_by_slug_or_none(slug: str) -> Tag | None:
    return Tag.objects.filter(slug=slug).first()


def _vote_of(viewer, **post) -> int:
    if not permissions.is_member(viewer):
        return 0
    vote = Vote.objects.filter(voter=viewer, **post).values_list("value", flat=True).first()
    return vote or 0


def _visible_question(question_id: int, viewer, queryset: QuerySet[Question]) -> Question:
    question = queryset.filter(pk=question_id).first()
    if question is None or not permissions.can_see_post(viewer, question):
        raise Http404
    return question


def _images() -> Prefetch:
    return Prefetch("attachments", queryset=Attachment.objects.order_by("position", "pk"))


def question_for_viewer(question_id: int, viewer=None) -> Question:
    """One question with author, category and tags, and `my_vote` for `viewer`.

    Raises Http404 when it is missing or the viewer may not see it. Four queries for a
    member, three otherwise (one for its images).
    """
    shaped = Question.objects.select_related("author", "category").prefetch_related(
        "tags", _images()
    )
    question = _visible_question(question_id, viewer, shaped)
    question.my_vote = _vote_of(viewer, question=question)
    return question


def answers_for_viewer(question_id: int, viewer=None) -> list[Answer]:
    """The answers `viewer` may see to a question they may see, accepted first, then by
    score and age.

    Each has `question` set and `my_vote` for `viewer`. Raises Http404 like
    `question_for_viewer`. Four queries for a member, three otherwise, however many answers.
    """
    question = _visible_question(question_id, viewer, Question.objects.all())
    answers = list(
        Answer.objects.visible_to(viewer)
        .filter(question=question)
        .select_related("author")
        .prefetch_related(_images())
        .order_by("-score", "created_at", "pk")
    )
    answers.sort(key=lambda a: a.pk != question.accepted_answer_id)
    votes = {}
    if permissions.is_member(viewer) and answers:
        votes = dict(
            Vote.objects.filter(voter=viewer, answer__in=answers).values_list("answer_id", "value")
        )
    for answer in answers:
        answer.question = question
        answer.my_vote = votes.get(answer.pk, 0)
    return answers


def answer_for_viewer(answer_id: int, viewer=None, *, images: bool = True) -> Answer:
    """One answer with its author and question, its images (unless `images` is false),
    and `my_vote` for `viewer`.

    Raises Http404 when it is missing or the viewer may not see it or its question.
    """
    answers = Answer.objects.select_related("author", "question")
    if images:
        answers = answers.prefetch_related(_images())
    answer = answers.filter(pk=answer_id).first()
    if answer is None or not permissions.can_see_post(viewer, answer):
        raise Http404
    answer.my_vote = _vote_of(viewer, answer=answer)
    return answer


def question_comments(question_id: int, viewer=None) -> list[Comment]:
    """The comments `viewer` may see on a question they may see, oldest first, with
    their authors."""
    question = _visible_question(question_id, viewer, Question.objects.all())
    return list(_visible_comments(viewer).filter(question=question))


def answer_comments(answer_id: int, viewer=None) -> list[Comment]:
    """The comments `viewer` may see on an answer they may see, oldest first, with
    their authors."""
    answer = answer_for_viewer(answer_id, viewer, images=False)
    return list(_visible_comments(viewer).filter(answer=answer))


# --- Member profiles --------------------------------------------------------------------


def member_recent_questions(member, limit: int = 10) -> QuerySet[Question]:
    """The member's latest visible questions, without bodies (one query). A profile is a
    public list: it reads the same for everyone, the member included."""
    return (
        Question.objects.visible_to(None)
        .filter(author=member)
        .defer("body", "body_html")
        .order_by("-created_at", "-pk")[:limit]
    )


def member_recent_answers(member, limit: int = 10) -> QuerySet[Answer]:
    """The member's latest visible answers on visible questions, each with its question
    (one query). Bodies are left out: the profile lists titles."""
    return (
        Answer.objects.visible_to(None)
        .filter(author=member)
        .select_related("question")
        .defer("body", "body_html", "question__body", "question__body_html")
        .order_by("-created_at", "-pk")[:limit]
    )


FEED_SIZE = 30  # items per feed: a feed reader polls often, it needs only the newest


def feed_questions(
    *, category: CategoryPage | None = None, tag: Tag | None = None, limit: int = FEED_SIZE
) -> list[Question]:
    """The newest questions everyone may see (visible_to(None): never held, hidden,
    deleted or private ones), for the RSS and Atom feeds, optionally of one category or tag.

    Two queries however many items (the questions with author and category, their tags),
    on the newest-first indexes.
    """
    questions = visible_questions()
    if category is not None:
        questions = questions.filter(category=category)
    if tag is not None:
        questions = questions.filter(tagged_items__tag=tag)
    return list(
        questions.select_related("author", "category")
        .prefetch_related("tags")
        .order_by("-created_at", "-id")[:limit]
    )
