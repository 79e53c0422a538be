"""A realistic community of a chosen size, loaded in bulk for `make bench` (benchmarks/web.py).

`build(questions=20_000)` writes members, five categories, thirty tags, questions with
five answers each on average (synthetic support text in English and Bahasa Indonesia,
benchmarks/synthetic.py), votes, acceptances, comments, one thread with 100 answers of
two comments each, and one knowledge-base article promoted from it, into whatever
database Django is configured for (a scratch database: benchmarks/scratch.py).

It bypasses the forum's actions for speed (bulk inserts, no events), so it writes what
the actions would have kept in step itself: each post's score from its vote rows, each
question's answer count, the reputation ledger (a grant per upvote and per acceptance)
and every member's cached reputation from it, and then the search index. `check()` proves
it with the project's own consistency commands (`reputation_recompute --check`,
`category_counts_recompute --check`, `search_check`); tests/benchmarks/test_community.py
runs them at a tiny size. `describe()` finds the same addresses in a community built
earlier (`make bench BENCH_ARGS="--keep"`, then `--reuse URL`), so a million-question
database is loaded once and measured as often as needed.
"""

import io
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

CATEGORIES = ["Billing", "Router and Wi-Fi", "Mobile app", "Account and sign-in", "Orders"]
BIG_THREAD_ANSWERS = 100
BIG_THREAD_COMMENTS = 2
ANSWERS_PER_QUESTION = 5  # on average, as in the 20,000 questions / 100,000 answers
MEMBERS_PER_1000_QUESTIONS = 25
BATCH = 2000


@dataclass
class Community:
    """What the benchmark needs to address: primary keys, slugs and a signed-in member."""

    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    members: int = 0
    big_question_id: int = 0
    category_slug: str = ""
    tag: str = ""
    member_username: str = ""
    article_url: str = ""
    question_ids: list[int] = field(default_factory=list)
    answer_ids: list[int] = field(default_factory=list)


@contextmanager
def _explicit_timestamps(*models):
    """Let bulk_create keep the created_at we give (auto_now_add would overwrite it)."""
    fields = [m._meta.get_field("created_at") for m in models]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved, strict=True):
            f.auto_now_add = value


def build(questions: int = 20_000, *, seed: int = 11, log=print) -> Community:
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.html import escape
    from django.utils.text import slugify
    from taggit.models import Tag

    from accounts.models import User
    from benchmarks.synthetic import ThreadGenerator
    from forum.management.commands.reputation_recompute import recompute_reputation
    from forum.models import (
        Answer,
        CategoryPage,
        Comment,
        CommunityIndexPage,
        Question,
        ReputationEntry,
        TaggedQuestion,
        Vote,
    )

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    generator = ThreadGenerator(seed=seed)
    rep = settings.TANYA_REPUTATION
    now = timezone.now()
    community = Community()

    def html(text: str) -> str:
        return f"<p>{escape(text)}</p>"

    def more_text(low: int, high: int) -> str:
        _, body, _ = generator.thread()
        return body if rng.random() < 0.5 else " ".join(body.split()[: rng.randint(low, high)])

    # Members: a few hundred regulars answer most questions, as in a real community.
    count = max(10, questions * MEMBERS_PER_1000_QUESTIONS // 1000)
    existing = User.objects.filter(username__startswith="bench").count()
    members = User.objects.bulk_create(
        [
            User(username=f"bench{i}", email=f"bench{i}@example.com", reputation=1)
            for i in range(existing, existing + count)
        ]
    )
    community.members = len(members)
    signed_in = members[0]
    community.member_username = signed_in.username

    index = CommunityIndexPage.objects.get()
    categories = []
    for name in CATEGORIES:
        slug = f"bench-{slugify(name)}"
        page = CategoryPage.objects.filter(slug=slug).first()
        if page is None:
            page = index.add_child(instance=CategoryPage(title=name, slug=slug))
        categories.append(page)
    community.category_slug = categories[0].slug
    tags = [Tag.objects.get_or_create(name=f"topic{i}", slug=f"topic{i}")[0] for i in range(30)]
    community.tag = tags[0].slug

    def answers_for(n_answers: int) -> list[str]:
        return [more_text(10, 60) for _ in range(n_answers)]

    log(f"generating {questions} threads")
    total_answers = 0
    with _explicit_timestamps(Question, Answer, Comment):
        for start in range(0, questions, BATCH):
            size = min(BATCH, questions - start)
            threads = []
            for n in range(size):
                title, body, _ = generator.thread()
                if start == 0 and n == 0:
                    n_answers = BIG_THREAD_ANSWERS
                else:
                    n_answers = min(12, int(rng.expovariate(1 / ANSWERS_PER_QUESTION)))
                threads.append((title, body, answers_for(n_answers)))
            # Position 0 is the newest; older questions further down the list.
            rows = Question.objects.bulk_create(
                [
                    Question(
                        title=title[:150],
                        slug=slugify(title, allow_unicode=True)[:160] or "question",
                        body=body,
                        body_html=html(body),
                        category=categories[(start + n) % len(categories)],
                        author=rng.choice(members),
                        answer_count=len(answers),
                        created_at=now - timedelta(minutes=5 * (start + n) + 30),
                        last_activity_at=now - timedelta(minutes=5 * (start + n)),
                    )
                    for n, (title, body, answers) in enumerate(threads)
                ]
            )
            TaggedQuestion.objects.bulk_create(
                [
                    TaggedQuestion(content_object=q, tag=tag)
                    for q in rows
                    for tag in rng.sample(tags, rng.randint(1, 3))
                ]
            )
            answer_rows = Answer.objects.bulk_create(
                [
                    Answer(
                        question=q,
                        body=text,
                        body_html=html(text),
                        author=rng.choice([m for m in members[:50] if m.pk != q.author_id]),
                        created_at=q.created_at + timedelta(minutes=rank + 1),
                    )
                    for q, (_, _, answers) in zip(rows, threads, strict=True)
                    for rank, text in enumerate(answers)
                ]
            )
            total_answers += len(answer_rows)
            _votes_and_acceptances(rng, rows, answer_rows, members, rep, now)
            if start == 0:
                big = rows[0]
                community.big_question_id = big.pk
                big_answers = [a for a in answer_rows if a.question_id == big.pk]
                Comment.objects.bulk_create(
                    [
                        Comment(
                            question=None,
                            answer=a,
                            body=(text := more_text(5, 25)),
                            body_html=html(text),
                            author=rng.choice(members),
                            created_at=a.created_at + timedelta(minutes=c + 1),
                        )
                        for a in big_answers
                        for c in range(BIG_THREAD_COMMENTS)
                    ]
                )
                community.comments += len(big_answers) * BIG_THREAD_COMMENTS
            community.question_ids.extend(q.pk for q in rows[:200])
            community.answer_ids.extend(a.pk for a in answer_rows[:400])
            log(f"  {start + size} questions, {total_answers} answers")
    community.questions = questions
    community.answers = total_answers
    community.votes = Vote.objects.count()
    assert ReputationEntry.objects.exists() or questions < 2
    drifts = recompute_reputation(fix=True)
    log(f"reputation cached for {len(drifts)} members")
    _recount(log)
    community.article_url = _article(community.big_question_id)
    log("indexing for search")
    call_command("search_reindex", stdout=io.StringIO())
    return community


def _votes_and_acceptances(rng, questions, answers, members, rep, now) -> None:
    """Upvotes (score = vote rows), the first answer of two threads in three accepted."""
    from forum.models import Answer, Question, ReputationEntry, ReputationReason, Vote

    votes, entries = [], []
    voters = members[50:] or members
    by_question: dict[int, list] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
        n = min(len(voters), int(rng.expovariate(1 / 1.5)))
        for voter in rng.sample(voters, n):
            if voter.pk == answer.author_id:
                continue
            votes.append(Vote(voter=voter, answer=answer, value=1))
    Vote.objects.bulk_create(votes, batch_size=BATCH)
    score: dict[int, int] = {}
    for vote in votes:
        score[vote.answer_id] = score.get(vote.answer_id, 0) + 1
        entries.append(
            ReputationEntry(
                user_id=vote.answer.author_id,
                amount=rep["ANSWER_UPVOTED"],
                reason=ReputationReason.ANSWER_UPVOTED,
                answer_id=vote.answer_id,
                question_id=vote.answer.question_id,
                vote=vote,
                actor_id=vote.voter_id,
            )
        )
    for answer in answers:
        answer.score = score.get(answer.pk, 0)
    Answer.objects.bulk_update(answers, ["score"], batch_size=BATCH)
    accepted = []
    for n, question in enumerate(questions):
        thread = by_question.get(question.pk)
        if not thread or n % 3 == 2:
            continue
        answer = thread[0]
        question.accepted_answer_id = answer.pk
        question.accepted_by_id = question.author_id
        question.accepted_at = answer.created_at + timedelta(hours=2)
        accepted.append(question)
        entries.append(
            ReputationEntry(
                user_id=answer.author_id,
                amount=rep["ANSWER_ACCEPTED"],
                reason=ReputationReason.ANSWER_ACCEPTED,
                answer_id=answer.pk,
                question_id=question.pk,
                actor_id=question.author_id,
            )
        )
        if question.author_id != answer.author_id:
            entries.append(
                ReputationEntry(
                    user_id=question.author_id,
                    amount=rep["ACCEPTED_AN_ANSWER"],
                    reason=ReputationReason.ACCEPTED_AN_ANSWER,
                    answer_id=answer.pk,
                    question_id=question.pk,
                    actor_id=question.author_id,
                )
            )
    Question.objects.bulk_update(
        accepted, ["accepted_answer", "accepted_by", "accepted_at"], batch_size=BATCH
    )
    ReputationEntry.objects.bulk_create(entries, batch_size=BATCH)


def _recount(log) -> None:
    """Counters kept by the actions that the bulk load must write itself."""
    from accounts.models import User
    from forum import counters

    drifts = counters.recount(fix=True)
    tags = counters.recount_tags(fix=True)
    # The profile's counts (forum.models.MemberCounts), which the worker keeps after events.
    members = list(User.objects.filter(username__startswith="bench").values_list("pk", flat=True))
    stored = counters.store_member_counts(members)
    log(
        f"category, tag and member counters recounted ({len(drifts)} categories, "
        f"{len(tags)} tags, {stored} members)"
    )


def _article(question_id: int) -> str:
    """Promote the big solved thread to the knowledge base and publish it."""
    from accounts.models import User
    from forum.models import Question
    from kb.actions import promote_question
    from kb.demo import ensure_kb_index

    staff = User.objects.filter(username="bench-staff").first()
    if staff is None:
        staff = User.objects.create_superuser("bench-staff", "bench-staff@example.com", None)
    ensure_kb_index()
    question = Question.objects.get(pk=question_id)
    article = promote_question(staff, question)
    article.save_revision(user=staff).publish()
    article.refresh_from_db()
    return article.url


def describe() -> Community:
    """The addresses of a community that `build()` loaded earlier into this database."""
    from django.db.models import Max
    from django.utils.text import slugify

    from accounts.models import User
    from forum.models import Answer, Comment, Question
    from kb.models import ArticlePage

    community = Community()
    community.questions = Question.objects.count()
    community.answers = Answer.objects.count()
    community.comments = Comment.objects.count()
    community.members = User.objects.filter(username__startswith="bench").count()
    top = Question.objects.aggregate(top=Max("answer_count"))["top"]
    big = Question.objects.filter(answer_count=top).order_by("pk").first()
    if big is None:
        raise SystemExit("This database holds no benchmark community: build one first.")
    community.big_question_id = big.pk
    community.category_slug = f"bench-{slugify(CATEGORIES[0])}"
    community.tag = "topic0"
    community.member_username = "bench0"
    article = ArticlePage.objects.live().order_by("-pk").first()
    community.article_url = article.url if article else "/"
    newest = Question.objects.order_by("-created_at", "-pk")
    community.question_ids = list(newest.values_list("pk", flat=True)[:200])
    community.answer_ids = list(
        Answer.objects.filter(question_id__in=community.question_ids[:100])
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    return community


def check(*, sample: int = 0) -> list[str]:
    """The project's own consistency checks; returns the problems (empty when all is well).

    With `sample`, `search_check --sample N` (N random threads and stored documents and
    the document count) instead of rebuilding the whole index in memory: at a million
    questions the full check would build six million documents. The ledger and counter
    checks are one aggregate query each and always run whole.
    """
    from django.core.management import call_command
    from django.core.management.base import CommandError

    problems = []
    for command in ("reputation_recompute", "category_counts_recompute", "search_check"):
        out = io.StringIO()
        if command == "search_check":
            args = ["--sample", str(sample)] if sample else []
        else:
            args = ["--check"]
        try:
            call_command(command, *args, stdout=out, stderr=out)
        except CommandError as error:
            problems.append(f"{command}: {error}\n{out.getvalue()}")
    return problems


__all__ = ["Community", "build", "check", "describe"]
