"""The benchmark community at a million questions: PostgreSQL `COPY` instead of the ORM.

`build(questions)` writes the same community as benchmarks/community.py (members, five
categories, thirty tags, questions with five answers each on average, upvotes,
acceptances, the reputation ledger, one thread of 100 answers with two comments each, a
knowledge-base article) with the shape of that loader, but streams the rows: each batch
of BATCH questions is generated, written with `COPY … FROM STDIN` (psycopg's
`cursor.copy`) and forgotten, so memory stays constant at any size. Primary keys are
given, not returned, so votes, ledger entries and search documents can point at rows in
the same pass; the identity sequences are moved past them at the end.

Around the load, the loaded tables' foreign keys, unique constraints and secondary
indexes are dropped and then created again in one pass each (PostgreSQL builds an index
from sorted rows far faster than it maintains one row by row; restoring a foreign key
checks it with one join). The session runs with `synchronous_commit` off and a large
`maintenance_work_mem`. Counters and every member's reputation are then written in one
set-based statement each, from the rows loaded.

The search index. The documents are built with search.documents' own
`question_documents()`, fed the in-memory rows of each thread (prefetch caches filled by
hand, no query), so every field and every fingerprint is exactly what
`search_reindex` would store; they are written with `COPY` as the thread is generated.
The tsvectors are PostgreSQL's (the generated column of migration 0002, computed inside
the `COPY`), their GIN indexes are built once at the end, and the word statistics
(LexemeStat) come from one `ts_stat()` over the whole index, as the backend's rebuild
does. (Computing the documents in SQL instead was ruled out: the fingerprint is a SHA-1
of Python's JSON of the document, which `search_check` compares, and language detection
is Python's.) Vectors (search.vectors) are not loaded: the benchmark serves lexical
search (benchmarks/web.py).

Text. Generating a fresh Markov-chain text for each of six million posts costs more
than the rest of the load together, so after TEXT_POOL distinct texts (and TITLE_POOL
titles) have been generated, later posts draw from them: a post is a pooled text, cut
to a random length half of the time as community.py does, and a title drawn from the pool
carries a product code half of the time ("… (RT-4821)?"), so titles stay varied. Below
the pool sizes (the default 20,000 questions) every text is fresh. Plain text and
language of a pooled post are computed once (memoised around `question_documents`).
"""

import functools
import random
import time
from contextlib import contextmanager
from datetime import timedelta

from benchmarks.community import (
    ANSWERS_PER_QUESTION,
    BIG_THREAD_ANSWERS,
    BIG_THREAD_COMMENTS,
    CATEGORIES,
    MEMBERS_PER_1000_QUESTIONS,
    Community,
    _article,
    _recount,
)

BATCH = 2000
TEXT_POOL = 200_000
TITLE_POOL = 100_000
SESSION_SETTINGS = {
    "synchronous_commit": "off",
    "maintenance_work_mem": "'1GB'",
    "max_parallel_maintenance_workers": "2",
    "work_mem": "'64MB'",
}


class _Texts:
    """Titles and post texts: fresh from the generator until the pools are full, then
    drawn from them."""

    def __init__(self, generator, rng) -> None:
        self.generator, self.rng = generator, rng
        self.titles: list[str] = []
        self.texts: list[str] = []
        self._fresh: list[str] = []

    def _generate(self) -> None:
        title, body, answers = self.generator.thread()
        if len(self.titles) < TITLE_POOL:
            self.titles.append(title)
        self._fresh.extend([body, *answers])

    def title(self) -> str:
        if len(self.titles) < TITLE_POOL:
            self._generate()
            return self.titles[-1]
        from benchmarks.synthetic import _rare_word

        title = self.rng.choice(self.titles)
        if self.rng.random() < 0.5:
            title = f"{title[:-1][:130]} ({_rare_word(self.rng)})?"
        return title

    def text(self) -> str:
        if len(self.texts) < TEXT_POOL:
            while not self._fresh:
                self._generate()
            self.texts.append(self._fresh.pop())
            return self.texts[-1]
        return self.rng.choice(self.texts)

    def body(self, low: int, high: int) -> str:
        """As community.py's more_text: a whole text, or its first `low`-`high` words."""
        text = self.text()
        return text if self.rng.random() < 0.5 else _cut(text, self.rng.randint(low, high))


@functools.lru_cache(maxsize=400_000)
def _cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


@functools.lru_cache(maxsize=400_000)
def _html(text: str) -> str:
    from django.utils.html import escape

    return f"<p>{escape(text)}</p>"


class _Copier:
    """Rows per table, written with one COPY per table per batch."""

    def __init__(self, connection, model, provided: list[str]) -> None:
        from django.db import connection as django_connection

        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.connection = connection
        self.table = model._meta.db_table
        self.columns = [fields[name].column for name in provided]
        rest = [f for name, f in fields.items() if name not in provided]
        self.columns += [f.column for f in rest]
        values = [f.get_db_prep_save(f.get_default(), django_connection) for f in rest]
        # Choices are str subclasses: COPY wants their plain values.
        self.defaults = tuple(str(v) if isinstance(v, str) else v for v in values)
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *values) -> None:
        self.rows.append(values)

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        defaults = self.defaults
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy,
        ):
            for row in self.rows:
                copy.write_row(row + defaults)
        self.written += len(self.rows)
        self.rows = []


def _next_id(cursor, table: str) -> int:
    cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608
    return cursor.fetchone()[0]


def _constraints_and_indexes(cursor, tables: list[str]) -> tuple[list, list]:
    """(ALTER TABLE … ADD CONSTRAINT, CREATE INDEX) statements for the tables' foreign
    keys, unique and check constraints and secondary indexes (primary keys stay)."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype <> 'p'",
        [tables],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype <> 'f')",
        [tables],
    )
    return constraints, cursor.fetchall()


@contextmanager
def _without_constraints(connection, tables: list[str], log):
    with connection.cursor() as cursor:
        constraints, indexes = _constraints_and_indexes(cursor, tables)
        for table, name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    connection.commit()
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _, statement in indexes:
            cursor.execute(statement)
            connection.commit()
        # Unique constraints first: the foreign keys need their indexes.
        for table, name, definition in sorted(constraints, key=lambda c: "FOREIGN" in c[2]):
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            connection.commit()
    log(
        f"  {len(indexes)} indexes and {len(constraints)} constraints built "
        f"in {time.perf_counter() - started:.0f} s"
    )


@contextmanager
def _memoised_text():
    """question_documents() with plain_text and detect_language computed once per text
    (pooled posts repeat); the functions themselves are search.text's."""
    from search import documents

    plain, detect = documents.plain_text, documents.detect_language
    documents.plain_text = functools.lru_cache(maxsize=400_000)(plain)
    documents.detect_language = functools.lru_cache(maxsize=400_000)(detect)
    try:
        yield
    finally:
        documents.plain_text, documents.detect_language = plain, detect


def build(questions: int = 1_000_000, *, seed: int = 11, log=print) -> Community:
    """Load the community into the PostgreSQL database Django is configured for."""
    import psycopg
    from django.conf import settings
    from django.db import connection as django_connection
    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag

    from accounts.models import User
    from benchmarks.synthetic import ThreadGenerator
    from forum.models import (
        Answer,
        CategoryPage,
        Comment,
        CommunityIndexPage,
        Question,
        QuestionState,
        ReputationEntry,
        ReputationReason,
        TaggedQuestion,
        Vote,
    )
    from search.documents import question_documents
    from search.models import DocumentTag, SearchDocument

    if django_connection.vendor != "postgresql":
        raise SystemExit("benchmarks/bulkload.py loads PostgreSQL only (community.py: any).")
    stages: dict[str, float] = {}
    clock = time.perf_counter()

    def stage(name: str) -> None:
        nonlocal clock
        now_ = time.perf_counter()
        stages[name] = now_ - clock
        clock = now_
        log(f"{name}: {stages[name]:.0f} s")

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    texts = _Texts(ThreadGenerator(seed=seed), rng)
    rep = settings.TANYA_REPUTATION
    now = timezone.now()
    community = Community()

    # Members, categories and tags: a few thousand rows, through the ORM.
    count = max(10, questions * MEMBERS_PER_1000_QUESTIONS // 1000)
    existing = User.objects.filter(username__startswith="bench").count()
    User.objects.bulk_create(
        [
            User(username=f"bench{i}", email=f"bench{i}@example.com", reputation=1)
            for i in range(existing, existing + count)
        ],
        batch_size=5000,
    )
    members = list(
        User.objects.filter(username__startswith="bench")
        .exclude(username="bench-staff")
        .order_by("pk")
        .values_list("pk", flat=True)[existing : existing + count]
    )
    community.members = len(members)
    community.member_username = f"bench{existing}"
    index = CommunityIndexPage.objects.get()
    categories = []
    for name in CATEGORIES:
        slug = f"bench-{slugify(name)}"
        page = CategoryPage.objects.filter(slug=slug).first()
        if page is None:
            page = index.add_child(instance=CategoryPage(title=name, slug=slug))
        categories.append(page.pk)
    community.category_slug = f"bench-{slugify(CATEGORIES[0])}"
    tags = [Tag.objects.get_or_create(name=f"topic{i}", slug=f"topic{i}")[0] for i in range(30)]
    community.tag = tags[0].slug
    answerers = members[:50]
    voters = members[50:] or members

    params = django_connection.get_connection_params()
    copy_connection = psycopg.connect(**params)
    with copy_connection.cursor() as cursor:
        for name, value in SESSION_SETTINGS.items():
            cursor.execute(f"SET {name} = {value}")
    tables = [
        m._meta.db_table
        for m in (
            Question,
            Answer,
            Comment,
            Vote,
            ReputationEntry,
            TaggedQuestion,
            SearchDocument,
            DocumentTag,
        )
    ]
    with copy_connection.cursor() as cursor:
        ids = {table: _next_id(cursor, table) for table in tables}
    copiers = {
        "question": _Copier(
            copy_connection,
            Question,
            [
                "id",
                "title",
                "slug",
                "body",
                "body_html",
                "category_id",
                "author_id",
                "answer_count",
                "created_at",
                "updated_at",
                "last_activity_at",
                "accepted_answer_id",
                "accepted_by_id",
                "accepted_at",
            ],
        ),
        "answer": _Copier(
            copy_connection,
            Answer,
            [
                "id",
                "question_id",
                "body",
                "body_html",
                "author_id",
                "score",
                "created_at",
                "updated_at",
            ],
        ),
        "comment": _Copier(
            copy_connection,
            Comment,
            ["id", "answer_id", "body", "body_html", "author_id", "created_at"],
        ),
        "vote": _Copier(
            copy_connection,
            Vote,
            ["id", "voter_id", "answer_id", "value", "created_at", "updated_at"],
        ),
        "ledger": _Copier(
            copy_connection,
            ReputationEntry,
            [
                "user_id",
                "amount",
                "reason",
                "question_id",
                "answer_id",
                "vote_id",
                "actor_id",
                "created_at",
                "id",
            ],
        ),
        "tagged": _Copier(copy_connection, TaggedQuestion, ["id", "tag_id", "content_object_id"]),
        "document": _Copier(
            copy_connection,
            SearchDocument,
            [
                "id",
                "key",
                "source",
                "kind",
                "object_id",
                "question_id",
                "title",
                "body",
                "accepted",
                "answers",
                "tags",
                "category_id",
                "language",
                "is_solved",
                "answer_count",
                "is_open",
                "votes",
                "boost",
                "url",
                "created_at",
                "fingerprint",
                "indexed_at",
            ],
        ),
        "document_tag": _Copier(copy_connection, DocumentTag, ["id", "document_id", "name"]),
    }
    next_id = {
        "question": ids[Question._meta.db_table],
        "answer": ids[Answer._meta.db_table],
        "comment": ids[Comment._meta.db_table],
        "vote": ids[Vote._meta.db_table],
        "ledger": ids[ReputationEntry._meta.db_table],
        "tagged": ids[TaggedQuestion._meta.db_table],
        "document": ids[SearchDocument._meta.db_table],
        "document_tag": ids[DocumentTag._meta.db_table],
    }

    def take(kind: str) -> int:
        value = next_id[kind]
        next_id[kind] += 1
        return value

    stage("members, categories, tags")
    log(f"generating and copying {questions} threads")
    with _without_constraints(copy_connection, tables, log), _memoised_text():
        for start in range(0, questions, BATCH):
            size = min(BATCH, questions - start)
            for n in range(start, start + size):
                _thread(
                    n,
                    texts=texts,
                    rng=rng,
                    take=take,
                    copiers=copiers,
                    community=community,
                    now=now,
                    rep=rep,
                    members=members,
                    answerers=answerers,
                    voters=voters,
                    categories=categories,
                    tags=tags,
                    models=(Question, Answer, QuestionState, ReputationReason),
                    question_documents=question_documents,
                )
            for copier in copiers.values():
                copier.flush()
            copy_connection.commit()
            if (start // BATCH) % 25 == 0 or start + size == questions:
                log(
                    f"  {start + size} questions, {copiers['answer'].written} answers, "
                    f"{copiers['document'].written} documents, {time.perf_counter() - clock:.0f} s"
                )
        stage("generate and COPY")
    stage("indexes and constraints")
    with copy_connection.cursor() as cursor:
        for kind, table in zip(next_id, tables, strict=True):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [f'"{table}"', next_id[kind]],
            )
        floor = rep["FLOOR"]
        cursor.execute(
            f"UPDATE {User._meta.db_table} u SET reputation = %s + s.total "  # noqa: S608
            f"FROM (SELECT user_id, SUM(amount) AS total FROM {ReputationEntry._meta.db_table} "
            "GROUP BY user_id) s WHERE s.user_id = u.id",
            [floor],
        )
    copy_connection.commit()
    copy_connection.close()
    stage("sequences and reputation")
    community.questions = questions
    community.answers = copiers["answer"].written
    community.votes = copiers["vote"].written
    _recount(log)
    stage("counters")
    from search import indexing
    from search.backends import get_backend
    from search.documents import article_source

    community.article_url = _article(community.big_question_id)
    from kb.models import ArticlePage

    for article in ArticlePage.objects.all():
        indexing.sync_source(article_source(article.pk))
    stage("knowledge-base article")
    backend = get_backend()
    with django_connection.cursor() as cursor:
        backend._optimize(cursor)
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')
    stage("ANALYZE")
    backend.refresh_statistics()
    stage("word statistics (ts_stat)")
    with django_connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    log(f"database size {size}; stages: " + ", ".join(f"{k} {v:.0f} s" for k, v in stages.items()))
    community.stages = stages  # type: ignore[attr-defined]
    community.database_size = size  # type: ignore[attr-defined]
    return community


def _thread(
    n: int,
    *,
    texts,
    rng,
    take,
    copiers,
    community,
    now,
    rep,
    members,
    answerers,
    voters,
    categories,
    tags,
    models,
    question_documents,
) -> None:
    """Generate question `n` (0 is the newest) with its answers, votes, acceptance and
    ledger, add its rows and its search documents to the copiers."""
    from django.utils.text import slugify

    Question, Answer, QuestionState, ReputationReason = models
    title = texts.title()[:150]
    body = texts.text()
    n_answers = (
        BIG_THREAD_ANSWERS if n == 0 else min(12, int(rng.expovariate(1 / ANSWERS_PER_QUESTION)))
    )
    qid = take("question")
    author = rng.choice(members)
    category = categories[n % len(categories)]
    created = now - timedelta(minutes=5 * n + 30)
    thread_tags = rng.sample(tags, rng.randint(1, 3))
    for tag in thread_tags:
        copiers["tagged"].add(take("tagged"), tag.pk, qid)
    others = [m for m in answerers if m != author]
    answers = []
    for rank in range(n_answers):
        text = texts.body(10, 60)
        answer_author = rng.choice(others)
        aid = take("answer")
        answer_created = created + timedelta(minutes=rank + 1)
        k = min(len(voters), int(rng.expovariate(1 / 1.5)))
        score = 0
        for voter in rng.sample(voters, k):
            if voter == answer_author:
                continue
            vid = take("vote")
            copiers["vote"].add(vid, voter, aid, 1, now, now)
            copiers["ledger"].add(
                answer_author,
                rep["ANSWER_UPVOTED"],
                ReputationReason.ANSWER_UPVOTED.value,
                qid,
                aid,
                vid,
                voter,
                now,
                take("ledger"),
            )
            score += 1
        answers.append(
            Answer(
                id=aid,
                question_id=qid,
                body_html=_html(text),
                author_id=answer_author,
                score=score,
                created_at=answer_created,
            )
        )
        copiers["answer"].add(
            aid, qid, text, _html(text), answer_author, score, answer_created, now
        )
        if n == 0:
            for c in range(BIG_THREAD_COMMENTS):
                comment = texts.body(5, 25)
                copiers["comment"].add(
                    take("comment"),
                    aid,
                    comment,
                    _html(comment),
                    rng.choice(members),
                    answer_created + timedelta(minutes=c + 1),
                )
                community.comments += 1
    accepted = answers[0] if answers and n % 3 != 2 else None
    if accepted is not None:
        for user, amount, reason in (
            (accepted.author_id, rep["ANSWER_ACCEPTED"], ReputationReason.ANSWER_ACCEPTED),
            (author, rep["ACCEPTED_AN_ANSWER"], ReputationReason.ACCEPTED_AN_ANSWER),
        ):
            if reason == ReputationReason.ACCEPTED_AN_ANSWER and author == accepted.author_id:
                continue
            copiers["ledger"].add(
                user, amount, reason.value, qid, accepted.id, None, author, now, take("ledger")
            )
    slug = slugify(title, allow_unicode=True)[:160] or "question"
    accepted_at = accepted.created_at + timedelta(hours=2) if accepted else None
    copiers["question"].add(
        qid,
        title,
        slug,
        body,
        _html(body),
        category,
        author,
        len(answers),
        created,
        now,
        now - timedelta(minutes=5 * n),
        accepted.id if accepted else None,
        author if accepted else None,
        accepted_at,
    )
    if n == 0:
        community.big_question_id = qid
    if len(community.question_ids) < 200:
        community.question_ids.append(qid)
    for answer in answers:
        if len(community.answer_ids) < 400:
            community.answer_ids.append(answer.id)

    # The thread's search documents, by search.documents itself.
    question = Question(
        id=qid,
        title=title,
        slug=slug,
        body_html=_html(body),
        category_id=category,
        created_at=created,
        accepted_answer_id=accepted.id if accepted else None,
        score=0,
        state=QuestionState.OPEN,
    )
    best_first = sorted(answers, key=lambda a: (-a.score, a.created_at))
    question._prefetched_objects_cache = {"answers": best_first, "tags": thread_tags}
    for doc in question_documents(question):
        did = take("document")
        copiers["document"].add(
            did,
            doc.key,
            doc.source,
            str(doc.kind),
            doc.object_id,
            doc.question_id,
            doc.title,
            doc.body,
            doc.accepted,
            doc.answers,
            " ".join(doc.tags),
            doc.category_id,
            doc.language,
            doc.is_solved,
            doc.answer_count,
            doc.is_open,
            doc.votes,
            doc.boost,
            doc.url,
            doc.created_at,
            doc.fingerprint,
            now,
        )
        for tag in doc.tags:
            copiers["document_tag"].add(take("document_tag"), did, tag)


__all__ = ["build"]
