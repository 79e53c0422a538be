"""What gets indexed: the documents built from forum rows, the same for every backend.

A question is indexed as one `question` document (its title, body, accepted answer, top
answers and tags, so a thread is found by the words of its solution) plus one `answer`
document per visible answer. A published knowledge-base article (kb.pages.ArticlePage,
live and not behind a view restriction) is one `article` document: its title, summary
and body as plain text, category and tags, counted as solved and boosted above solved
threads.

A *source* ("question:12", "article:40") names the documents indexed together: indexing a
source replaces all of its documents, and a source with nothing visible left is removed.
"""

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from forum.models import Answer, Question, QuestionState
from forum.queries import visible_questions
from search.models import Kind
from search.text import ENGLISH, clean_text, detect_language, heading, join_stored, plain_text

TOP_ANSWERS = 5  # besides the accepted one, the best-voted answers a thread is found by
TEXT_LIMIT = 20_000  # characters per field; the start of a long post says what it is about

# Ranking: relevance times this boost. Knowledge-base articles and solved threads come
# first for equal relevance; votes nudge within that, on a log scale so a popular thread
# cannot bury a better match.
SOLVED_BOOST = 1.25
ARTICLE_BOOST = 1.35
VOTES_WEIGHT = 0.05


@dataclass(frozen=True)
class Document:
    key: str
    source: str
    kind: str
    object_id: int
    title: str
    url: str
    created_at: datetime
    question_id: int | None = None
    body: str = ""
    accepted: str = ""
    answers: str = ""
    tags: tuple[str, ...] = ()
    category_id: int | None = None
    language: str = ENGLISH
    is_solved: bool = False
    answer_count: int = 0
    # An open question (not closed or locked): `is:unanswered` means open with no answer.
    is_open: bool = False
    votes: int = 0
    boost: float = field(default=1.0)
    # Who may find it. Everything indexed today is public: only visible posts are indexed.
    # TODO(#3): hidden and held posts, indexed for moderators only.
    visibility: str = "public"

    @property
    def indexed_title(self) -> str:
        """The title as matched: an answer shows its question's title but is found by its
        own words."""
        return "" if self.kind == Kind.ANSWER else self.title

    @property
    def fingerprint(self) -> str:
        """A digest of everything indexed, to tell a stale document from a current one."""
        # A shallow copy: asdict()'s deep copy gave the same JSON at ten times the cost.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["created_at"] = self.created_at.isoformat()
        payload = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha1(payload, usedforsecurity=False).hexdigest()


def question_source(question_id: int) -> str:
    return f"question:{question_id}"


def article_source(article_id: int) -> str:
    return f"article:{article_id}"


def parse_source(source: str) -> tuple[str, int]:
    kind, _, pk = source.partition(":")
    return kind, int(pk)


def ranking_boost(kind: str, *, is_solved: bool, votes: int) -> float:
    boost = ARTICLE_BOOST if kind == Kind.ARTICLE else SOLVED_BOOST if is_solved else 1.0
    return round(boost * (1 + VOTES_WEIGHT * math.copysign(math.log1p(abs(votes)), votes)), 6)


def _visible_answers() -> QuerySet[Answer]:
    return Answer.objects.visible_to(None).order_by("-score", "created_at")


def indexable_questions() -> QuerySet[Question]:
    """Questions that belong in the index (what everyone may see: held, hidden and
    deleted posts are left out), with what their documents need."""
    return visible_questions().prefetch_related(
        "tags", Prefetch("answers", queryset=_visible_answers())
    )


def indexable_articles() -> QuerySet:
    """Knowledge-base articles that belong in the index: published, and public (a page
    behind a Wagtail view restriction is not for everyone's search)."""
    from kb.pages import ArticlePage  # kb is optional; search works without it

    return ArticlePage.objects.live().public()


def documents_for_source(source: str) -> list[Document]:
    """The documents `source` should have in the index now; empty when it should have none."""
    kind, pk = parse_source(source)
    if kind == "question":
        question = indexable_questions().filter(pk=pk).first()
        return question_documents(question) if question is not None else []
    if kind == "article":
        if not apps.is_installed("kb"):
            return []
        article = indexable_articles().prefetch_related("tags").filter(pk=pk).first()
        return article_documents(article) if article is not None else []
    raise ValueError(f"Unknown search source {source!r}.")


def iter_documents(batch_size: int = 500) -> Iterator[list[Document]]:
    """Every document that belongs in the index, in batches of about `batch_size` sources."""
    ids = list(indexable_questions().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = indexable_questions().filter(pk__in=ids[start : start + batch_size])
        batch: list[Document] = []
        for question in chunk.order_by("pk"):
            batch.extend(question_documents(question))
        yield batch
    if not apps.is_installed("kb"):
        return
    ids = list(indexable_articles().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = (
            indexable_articles()
            .prefetch_related("tags")
            .filter(pk__in=ids[start : start + batch_size])
        )
        yield [doc for article in chunk.order_by("pk") for doc in article_documents(article)]


def article_documents(article) -> list[Document]:
    """A published knowledge-base article's one document (none if it has no URL).

    `article` comes from `indexable_articles()` with its tags prefetched.
    """
    from kb.queries import article_body_parts

    url = article.get_url()
    if not url:
        return []
    summary = clean_text(article.summary, TEXT_LIMIT)
    body = join_stored(
        [summary]
        + [
            heading(text) if kind == "heading" else clean_text(text)
            for kind, text in article_body_parts(article)
        ],
        TEXT_LIMIT,
    )
    return [
        Document(
            key=article_source(article.pk),
            source=article_source(article.pk),
            kind=Kind.ARTICLE,
            object_id=article.pk,
            title=article.title,
            url=url,
            created_at=article.first_published_at,
            body=body,
            tags=tuple(sorted(tag.slug for tag in article.tags.all())),
            category_id=article.category_id,
            language=detect_language(f"{article.title} {body}"),
            is_solved=True,  # an article is an answer checked by staff
            boost=ranking_boost(Kind.ARTICLE, is_solved=True, votes=0),
        )
    ]


def question_documents(question: Question) -> list[Document]:
    """A question's thread document and one document per visible answer.

    `question` comes from `indexable_questions()`, so its tags and visible answers (best
    first) are prefetched.
    """
    answers = list(question.answers.all())
    accepted = next((a for a in answers if a.pk == question.accepted_answer_id), None)
    others = [a for a in answers if a is not accepted]
    tags = tuple(sorted(tag.slug for tag in question.tags.all()))
    url = question.get_absolute_url()
    body = plain_text(question.body_html, TEXT_LIMIT)
    accepted_text = plain_text(accepted.body_html, TEXT_LIMIT) if accepted else ""
    answers_text = join_stored(
        (plain_text(a.body_html, TEXT_LIMIT) for a in others[:TOP_ANSWERS]), TEXT_LIMIT
    )
    language = detect_language(" ".join([question.title, body, accepted_text, answers_text]))
    solved = accepted is not None
    thread = Document(
        key=f"question:{question.pk}",
        source=question_source(question.pk),
        kind=Kind.QUESTION,
        object_id=question.pk,
        question_id=question.pk,
        title=question.title,
        url=url,
        created_at=question.created_at,
        body=body,
        accepted=accepted_text,
        answers=answers_text,
        tags=tags,
        category_id=question.category_id,
        language=language,
        is_solved=solved,
        answer_count=len(answers),
        is_open=question.state == QuestionState.OPEN,
        votes=question.score,
        boost=ranking_boost(Kind.QUESTION, is_solved=solved, votes=question.score),
    )
    documents = [thread]
    for answer in answers:
        text = plain_text(answer.body_html, TEXT_LIMIT)
        is_accepted = answer is accepted
        documents.append(
            Document(
                key=f"answer:{answer.pk}",
                source=thread.source,
                kind=Kind.ANSWER,
                object_id=answer.pk,
                question_id=question.pk,
                title=question.title,
                url=f"{url}#answer-{answer.pk}",
                created_at=answer.created_at,
                body=text,
                tags=tags,
                category_id=question.category_id,
                language=detect_language(text, default=language),
                is_solved=is_accepted,
                votes=answer.score,
                boost=ranking_boost(Kind.ANSWER, is_solved=is_accepted, votes=answer.score),
            )
        )
    return documents
