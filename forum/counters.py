"""The per-category counts the home page shows ("12 questions · 5 solved"), kept as they
change instead of counted on every view (forum.models.CategoryCounts).

A write that can move a question into or out of a count takes its standing before and
after, on the locked question, and settles the difference in the same transaction:

    before = counters.standing(question)
    ... change visibility, category or acceptance ...
    counters.settle(before, counters.standing(question))

A question counts in its category while it is visible (visible_to(None), as the lists
show it); it counts as solved while it also has an accepted answer. Writers that bypass
the actions (the benchmark loader, a data migration) call `recount()` afterwards;
`manage.py category_counts_recompute [--check]` reports and fixes drift.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q

from forum.models import CategoryCounts, CategoryPage, Question, Visibility

Standing = tuple[int | None, int, int]  # (category id, counted, solved)


def standing(question: Question) -> Standing:
    """What `question` adds to its category's counts right now."""
    if question.visibility != Visibility.VISIBLE or question.is_private:
        return (question.category_id, 0, 0)
    return (question.category_id, 1, int(question.accepted_answer_id is not None))


def settle(before: Standing | None, after: Standing) -> None:
    """Move the counts from `before` (None: the question is new) to `after`."""
    if before == after:
        return
    if before is not None:
        _add(before[0], -before[1], -before[2])
    _add(after[0], after[1], after[2])


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


def _count(category_id: int) -> tuple[int, int]:
    counts = (
        Question.objects.visible_to(None)
        .filter(category_id=category_id)
        .aggregate(n=Count("pk"), solved=Count("pk", filter=~Q(accepted_answer=None)))
    )
    return (counts["n"], counts["solved"])
