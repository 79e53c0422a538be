"""The per-category counts the home page shows ("12 questions · 5 solved"), kept as they
change instead of counted on every view (forum.models.CategoryCounts).

A write that can move a question into or out of a count takes its standing before and
after, on the locked question, and settles the difference in the same transaction:

    before = counters.standing(question)
    ... change visibility, category or acceptance ...
    counters.settle(before, counters.standing(question))

A question counts in its category while it is visible (visible_to(None), as the lists
show it); it counts as solved while it also has an accepted answer. The same standing
carries the question's tags, so each tag's count of public questions (TagCounts, the
tags directory's popularity) moves in the same step: a write that changes the tags sets
them before taking the "after" standing. Writers that bypass
the actions (the benchmark loader, a data migration) call `recount()` afterwards;
`manage.py category_counts_recompute [--check]` reports and fixes drift.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from taggit.models import Tag

from forum.models import (
    CategoryCounts,
    CategoryPage,
    Question,
    TagCounts,
    TaggedQuestion,
    Visibility,
)

# (category id, counted, solved, the ids of the tags it counts in)
Standing = tuple[int | None, int, int, tuple[int, ...]]


def standing(question: Question) -> Standing:
    """What `question` adds to its category's and its tags' counts right now (one query
    for the tags of a public question, none otherwise)."""
    if question.visibility != Visibility.VISIBLE or question.is_private:
        return (question.category_id, 0, 0, ())
    tags = TaggedQuestion.objects.filter(content_object_id=question.pk).values_list(
        "tag_id", flat=True
    )
    solved = int(question.accepted_answer_id is not None)
    return (question.category_id, 1, solved, tuple(sorted(tags)))


def settle(before: Standing | None, after: Standing) -> None:
    """Move the counts from `before` (None: the question is new) to `after`."""
    if before == after:
        return
    if before is not None:
        _add(before[0], -before[1], -before[2])
    _add(after[0], after[1], after[2])
    old_tags = set(before[3]) if before is not None else set()
    for tag_id in sorted(old_tags - set(after[3])):
        _add_tag(tag_id, -1)
    for tag_id in sorted(set(after[3]) - old_tags):
        _add_tag(tag_id, 1)


def _add_tag(tag_id: int, change: int) -> None:
    if TagCounts.objects.filter(tag_id=tag_id).update(question_count=F("question_count") + change):
        return
    # The tag's first public question: make its row (a concurrent writer may make it
    # first; then ours is skipped) and add to it.
    tag = Tag.objects.filter(pk=tag_id).values("name", "slug").first()
    if tag is None:
        return
    TagCounts.objects.bulk_create(
        [TagCounts(tag_id=tag_id, name=tag["name"], slug=tag["slug"])], ignore_conflicts=True
    )
    TagCounts.objects.filter(tag_id=tag_id).update(question_count=F("question_count") + change)


def _add(category_id: int | None, questions: int, solved: int) -> None:
    if category_id is None or (questions == 0 and solved == 0):
        return
    change = {
        "question_count": F("question_count") + questions,
        "solved_count": F("solved_count") + solved,
    }
    if CategoryCounts.objects.filter(pk=category_id).update(**change):
        return
    # The category's first counted question: make its row (a concurrent writer may make
    # it first; then ours is skipped) and add to it.
    CategoryCounts.objects.bulk_create(
        [CategoryCounts(category_id=category_id)], ignore_conflicts=True
    )
    CategoryCounts.objects.filter(pk=category_id).update(**change)


@dataclass(frozen=True)
class Drift:
    category_id: int
    title: str
    cached: tuple[int, int]
    counted: tuple[int, int]


def recount(*, fix: bool = True) -> list[Drift]:
    """Count every category's questions by scanning, report the ones whose cached counts
    differ, and (with `fix`) write the true counts. Staff tooling and bulk loaders only:
    this is the scan the cache is there to avoid.

    With `fix`, each category's row is locked before its questions are counted, as the
    writers lock it when they add, so no write lands between counting and storing.
    """
    drifts = []
    for category in CategoryPage.objects.order_by("path").only("pk", "title"):
        with transaction.atomic():
            if fix:
                CategoryCounts.objects.bulk_create(
                    [CategoryCounts(category_id=category.pk)], ignore_conflicts=True
                )
                rows = CategoryCounts.objects.select_for_update()
            else:
                rows = CategoryCounts.objects
            row = rows.filter(pk=category.pk).first()
            cached = (row.question_count, row.solved_count) if row else (0, 0)
            counted = _count(category.pk)
            if cached == counted:
                continue
            drifts.append(Drift(category.pk, category.title, cached, counted))
            if fix:
                CategoryCounts.objects.filter(pk=category.pk).update(
                    question_count=counted[0], solved_count=counted[1]
                )
    return drifts


def recount_tags(*, fix: bool = True) -> list[tuple[str, int, int]]:
    """Count every tag's public questions by scanning and report (name, cached, counted)
    for each that differs; with `fix`, store the true counts. Staff tooling and bulk
    loaders only, like `recount`."""
    counted = dict(
        TaggedQuestion.objects.filter(
            content_object__visibility=Visibility.VISIBLE, content_object__is_private=False
        )
        .values_list("tag_id")
        .annotate(n=Count("content_object", distinct=True))
    )
    cached = dict(TagCounts.objects.values_list("tag_id", "question_count"))
    drifts = []
    names = dict(Tag.objects.filter(pk__in=set(counted) | set(cached)).values_list("pk", "name"))
    for tag_id in sorted(set(counted) | set(cached)):
        if counted.get(tag_id, 0) == cached.get(tag_id, 0):
            continue
        drifts.append(
            (names.get(tag_id, str(tag_id)), cached.get(tag_id, 0), counted.get(tag_id, 0))
        )
        if fix:
            with transaction.atomic():
                _add_tag(tag_id, 0)  # the row, if it is missing
                TagCounts.objects.filter(tag_id=tag_id).update(
                    question_count=counted.get(tag_id, 0)
                )
    return drifts


def _count(category_id: int) -> tuple[int, int]:
    counts = (
        Question.objects.visible_to(None)
        .filter(category_id=category_id)
        .aggregate(n=Count("pk"), solved=Count("pk", filter=~Q(accepted_answer=None)))
    )
    return (counts["n"], counts["solved"])


# --- A member's counts (the profile) -----------------------------------------------------


def member_counts(member_ids) -> dict[int, tuple[int, int, int]]:
    """(visible questions, visible answers on visible questions, accepted answers) per
    member, counted from their posts: three grouped queries however many members. The
    same definitions as forum.queries.member_profile's live counts."""
    from forum.models import Answer, Question

    ids = sorted(set(member_ids))
    if not ids:
        return {}

    def grouped(queryset) -> dict[int, int]:
        return dict(
            queryset.filter(author_id__in=ids)
            .order_by()
            .values_list("author_id")
            .annotate(n=Count("pk"))
        )

    answers = Answer.objects.visible_to(None)
    questions = grouped(Question.objects.visible_to(None))
    answered = grouped(answers)
    accepted = grouped(answers.filter(accepted_for__isnull=False))
    return {i: (questions.get(i, 0), answered.get(i, 0), accepted.get(i, 0)) for i in ids}


def store_member_counts(member_ids) -> int:
    """Count `member_ids`' posts and store the counts (one upsert); returns how many."""
    from django.utils import timezone

    from forum.models import MemberCounts

    now = timezone.now()
    rows = [
        MemberCounts(user_id=pk, questions=q, answers=a, accepted=acc, counted_at=now, stale=False)
        for pk, (q, a, acc) in member_counts(member_ids).items()
    ]
    MemberCounts.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["questions", "answers", "accepted", "counted_at", "stale"],
    )
    return len(rows)


def stale_members(limit: int = 1000) -> list[int]:
    """Members whose counts an event has made stale (the partial index's rows)."""
    from forum.models import MemberCounts

    return list(
        MemberCounts.objects.filter(stale=True)
        .order_by("user_id")[:limit]
        .values_list("user_id", flat=True)
    )
