"""The reads behind the staff reports (docs/reports.md). Each takes a period (start
inclusive, end exclusive) and optionally a category, reads only what is public (the same
`visible_to(None)` lists and search use), and returns plain rows that the views show,
chart and export as CSV alike."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from forum.models import Answer, Question, QuestionState, ReputationEntry
from forum.pages import CategoryPage
from kb.models import HelpfulnessVote
from moderation.models import Flag, Outcome, Review
from reports import stats
from search.models import Deflection, ZeroResultSearch
from support.queries import EscalationCounts, escalation_counts


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    category: CategoryPage | None = None

    @classmethod
    def last_weeks(cls, weeks: int = 8, now: datetime | None = None) -> "Period":
        now = timezone.localtime(now)
        end = timezone.make_aware(
            datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        )
        return cls(end - timedelta(weeks=weeks), end)


def response_target() -> timedelta:
    return timedelta(minutes=settings.TANYA_RESPONSE_TARGET_MINUTES)


# --- Responsiveness ---------------------------------------------------------------------


@dataclass
class Bucket:
    """The figures of one week, one category, or the whole period."""

    label: str
    asked: int = 0
    answered: int = 0
    solved: int = 0
    answered_by_staff: int = 0
    first_answer_minutes: list[float] = field(default_factory=list)
    solution_minutes: list[float] = field(default_factory=list)

    def add(self, row: dict) -> None:
        self.asked += 1
        first = stats.minutes_between(row["created_at"], row["first_answer_at"])
        if first is not None:
            self.answered += 1
            self.first_answer_minutes.append(first)
            self.answered_by_staff += bool(row["first_answer_by_staff"])
        solved = stats.minutes_between(row["created_at"], row["accepted_at"])
        if row["accepted_answer_id"] is not None and solved is not None:
            self.solved += 1
            self.solution_minutes.append(solved)

    @property
    def median_first_answer(self) -> float | None:
        return stats.median(self.first_answer_minutes)

    @property
    def p90_first_answer(self) -> float | None:
        return stats.percentile(self.first_answer_minutes, 0.9)

    @property
    def median_solution(self) -> float | None:
        return stats.median(self.solution_minutes)

    @property
    def p90_solution(self) -> float | None:
        return stats.percentile(self.solution_minutes, 0.9)

    @property
    def solved_rate(self) -> float | None:
        return stats.share(self.solved, self.asked)

    @property
    def staff_share(self) -> float | None:
        return stats.share(self.answered_by_staff, self.answered)


def _public_questions(period: Period):
    questions = Question.objects.visible_to(None).filter(
        created_at__gte=period.start, created_at__lt=period.end
    )
    if period.category is not None:
        questions = questions.filter(category=period.category)
    return questions


def _question_rows(period: Period) -> list[dict]:
    first_answers = (
        Answer.objects.visible_to(None).filter(question=OuterRef("pk")).order_by("created_at", "pk")
    )
    return list(
        _public_questions(period)
        .annotate(
            first_answer_at=Subquery(first_answers.values("created_at")[:1]),
            first_answer_by_staff=Subquery(first_answers.values("author__is_staff")[:1]),
            category_title=F("category__title"),
        )
        .values(
            "created_at",
            "first_answer_at",
            "first_answer_by_staff",
            "accepted_answer_id",
            "accepted_at",
            "category_title",
        )
        .order_by("created_at")
    )


@dataclass
class Responsiveness:
    total: Bucket
    weeks: list[tuple[date, Bucket]]
    categories: list[Bucket]


def responsiveness(period: Period) -> Responsiveness:
    """Time to first answer and to an accepted solution (median, 90th percentile), the
    solved rate and the share first answered by staff: over the period, per week (of the
    question's asking) and per category."""
    total = Bucket(label="")
    weeks: dict[date, Bucket] = {}
    categories: dict[str, Bucket] = {}
    for row in _question_rows(period):
        week = stats.week_of(timezone.localtime(row["created_at"]))
        total.add(row)
        weeks.setdefault(week, Bucket(label=week.isoformat())).add(row)
        title = row["category_title"]
        categories.setdefault(title, Bucket(label=title)).add(row)
    return Responsiveness(
        total=total,
        weeks=sorted(weeks.items()),
        categories=sorted(categories.values(), key=lambda b: b.label.lower()),
    )


def unanswered_past_target(period: Period, *, now: datetime | None = None, limit: int = 50):
    """Open public questions with no answer, asked longer ago than the target, oldest first
    (the `q_unanswered` partial index, read backwards, serves it; no count)."""
    now = now or timezone.now()
    questions = (
        Question.objects.visible_to(None)
        .filter(state=QuestionState.OPEN, answer_count=0, created_at__lte=now - response_target())
        .select_related("category", "author")
        .order_by("created_at", "pk")
    )
    if period.category is not None:
        questions = questions.filter(category=period.category)
    return list(questions[:limit])


def escalations_open_and_overdue(
    period: Period, *, now: datetime | None = None
) -> EscalationCounts:
    """Escalations to staff not yet resolved (open or waiting on the customer) and how
    many of those are past their due time, as they stand at `now` (a snapshot, not a
    figure of the period; the period's category filters it). Private threads count: the
    queue is staff's, not the public's."""
    category_id = period.category.pk if period.category is not None else None
    return escalation_counts(now, category_id=category_id)


# --- Self-service -----------------------------------------------------------------------


@dataclass
class DeflectionRow:
    label: str
    shown: int = 0
    clicked: int = 0
    asked_anyway: int = 0
    deflected: int = 0

    @property
    def deflection_rate(self) -> float | None:
        return stats.share(self.deflected, self.shown)


def deflection(period: Period) -> tuple[DeflectionRow, list[tuple[date, DeflectionRow]]]:
    """The ask form's suggestions: visits shown similar questions, those that clicked one,
    those that asked anyway, and those that clicked and did not ask (deflected)."""
    visits = Deflection.objects.filter(
        first_shown_at__gte=period.start, first_shown_at__lt=period.end
    ).values_list("first_shown_at", "clicks", "asked_question_id")
    total = DeflectionRow(label="")
    weeks: dict[date, DeflectionRow] = {}
    for shown_at, clicks, asked in visits.iterator():
        week = stats.week_of(timezone.localtime(shown_at))
        for row in (total, weeks.setdefault(week, DeflectionRow(label=week.isoformat()))):
            row.shown += 1
            row.clicked += clicks > 0
            row.asked_anyway += asked is not None
            row.deflected += clicks > 0 and asked is None
    return total, sorted(weeks.items())


def zero_result_searches(period: Period, limit: int = 50) -> list[dict]:
    """What people searched for and found nothing, most frequent first."""
    return list(
        ZeroResultSearch.objects.filter(
            day__gte=timezone.localdate(period.start), day__lt=timezone.localdate(period.end)
        )
        .values("normalized")
        .annotate(times=Sum("count"), example=Max("query"), last_seen=Max("last_seen_at"))
        .order_by("-times", "normalized")[:limit]
    )


def kb_helpfulness(period: Period, limit: int = 50) -> list[dict]:
    """ "Was this helpful?" per article in the period, the least helpful first: the
    articles most worth rewriting."""
    votes = HelpfulnessVote.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    rows = (
        votes.values("article_id", "article__title", "article__url_path")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
        .order_by("-no", "article__title")[:limit]
    )
    return [{**row, "rate": stats.share(row["yes"], row["yes"] + row["no"])} for row in rows]


# --- Community --------------------------------------------------------------------------


def top_helpers(period: Period, limit: int = 20) -> list[dict]:
    """Members by answers accepted in the period, then by reputation gained in it."""
    accepted = Question.objects.visible_to(None).filter(
        accepted_at__gte=period.start, accepted_at__lt=period.end
    )
    gained = ReputationEntry.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
    if period.category is not None:
        accepted = accepted.filter(category=period.category)
        gained = gained.filter(question__category=period.category)
    by_member: dict[int, dict] = defaultdict(lambda: {"accepted": 0, "reputation": 0})
    names: dict[int, str] = {}
    for member_id, username, n in accepted.values_list(
        "accepted_answer__author_id", "accepted_answer__author__username"
    ).annotate(n=Count("pk")):
        if member_id is not None:
            by_member[member_id]["accepted"] = n
            names[member_id] = username
    for member_id, username, amount in gained.values_list("user_id", "user__username").annotate(
        amount=Sum("amount")
    ):
        by_member[member_id]["reputation"] = amount or 0
        names[member_id] = username
    rows = [{"username": names[member_id], **figures} for member_id, figures in by_member.items()]
    rows.sort(key=lambda r: (-r["accepted"], -r["reputation"], r["username"]))
    return rows[:limit]


# --- Moderation ---------------------------------------------------------------------------


@dataclass
class ModerationVolume:
    """Flags raised and reviews closed in the period, and how long a flag waited."""

    flags_raised: int = 0
    held_posts: int = 0
    reviews_closed: int = 0
    still_open: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    resolve_minutes: list[float] = field(default_factory=list)

    @property
    def median_resolve_minutes(self) -> float | None:
        return stats.median(self.resolve_minutes)

    @property
    def p90_resolve_minutes(self) -> float | None:
        return stats.percentile(self.resolve_minutes, 0.9)


def moderation_volume(period: Period) -> ModerationVolume:
    """What moderators handled in the period (docs/moderation.md): flags raised, posts held
    for approval, reviews closed by outcome, and the time from a flag to its resolution.
    Three queries however many flags."""
    in_period = {"created_at__gte": period.start, "created_at__lt": period.end}
    flags = Flag.objects.filter(**in_period)
    reviews = Review.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end)
    if period.category is not None:
        flags = flags.filter(review__category=period.category)
        reviews = reviews.filter(category=period.category)
    volume = ModerationVolume()
    for created, resolved in flags.values_list("created_at", "resolved_at"):
        volume.flags_raised += 1
        minutes = stats.minutes_between(created, resolved)
        if minutes is not None:
            volume.resolve_minutes.append(minutes)
    for held, closed_at, outcome in reviews.values_list("held", "closed_at", "outcome"):
        volume.held_posts += int(held)
        if closed_at is None:
            volume.still_open += 1
            continue
        volume.reviews_closed += 1
        label = str(Outcome(outcome).label) if outcome in Outcome.values else outcome
        volume.outcomes[label] = volume.outcomes.get(label, 0) + 1
    return volume
