"""What a delivery carries: `{id, type, created, data}`, built when it is sent.

`data` is re-read at each attempt through the public's querysets (`visible_to(None)`,
Wagtail's `live().public()`), so a post held, hidden, deleted or made private since the
event, or an article unpublished, is not sent: `build` returns None and the delivery is
skipped. Only what any visitor could read goes out (docs/webhooks.md, "Payloads").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from core.models import Event
from forum.models import Answer, Comment, Question
from kb.pages import ArticlePage
from webhooks.models import TEST_EVENT_TYPE, Endpoint

# Facts from an event's payload that are safe to pass on, per event type.
PUBLIC_PAYLOAD_KEYS = {
    "question.overdue": ("target_minutes", "waited_minutes"),
    "answer.accepted": ("verified",),
}


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _author(post) -> str | None:
    author = post.author
    return author.username if author is not None and author.is_active else None


def question_data(question: Question) -> dict:
    category = question.category
    return {
        "id": question.pk,
        "title": question.title,
        "body": question.body,
        "url": absolute(question.get_absolute_url()),
        "category": {"id": category.pk, "title": category.title} if category else None,
        "tags": sorted(tag.name for tag in question.tags.all()),
        "author": _author(question),
        "created": question.created_at.isoformat(),
        "state": question.state,
        "answer_count": question.answer_count,
        "accepted_answer_id": question.accepted_answer_id,
    }


def answer_data(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "body": answer.body,
        "url": absolute(answer.get_absolute_url()),
        "author": _author(answer),
        "created": answer.created_at.isoformat(),
        "score": answer.score,
        "is_accepted": answer.question.accepted_answer_id == answer.pk,
    }


def comment_data(comment: Comment, question: Question) -> dict:
    return {
        "id": comment.pk,
        "url": absolute(f"{question.get_absolute_url()}#comment-{comment.pk}"),
        "author": _author(comment),
        "created": comment.created_at.isoformat(),
    }


def article_data(article: ArticlePage) -> dict:
    category = article.category
    published = article.first_published_at
    return {
        "id": article.pk,
        "title": article.title,
        "summary": article.summary,
        "url": absolute(article.get_url() or article.url_path),
        "category": {"id": category.pk, "title": category.title} if category else None,
        "published": published.isoformat() if published else None,
    }


def _public_question(question_id: int | None) -> Question | None:
    if question_id is None:
        return None
    return (
        Question.objects.visible_to(None)
        .select_related("author", "category")
        .prefetch_related("tags")
        .filter(pk=question_id)
        .first()
    )


def _subject_model(event: Event):
    if event.subject_type_id is None:
        return None
    return ContentType.objects.get_for_id(event.subject_type_id).model_class()


def thread_data(event: Event) -> dict | None:
    """The thread (and the answer or comment) an event is about, if the public sees it."""
    question = _public_question(event.question_id)
    if question is None:
        return None
    data = {"question": question_data(question)}
    model = _subject_model(event)
    if model is Answer:
        answer = (
            Answer.objects.visible_to(None)
            .select_related("author", "question")
            .filter(pk=event.subject_id, question=question)
            .first()
        )
        if answer is None:
            return None
        data["answer"] = answer_data(answer)
    elif model is Comment:
        comment = (
            Comment.objects.visible_to(None)
            .select_related("author")
            .filter(pk=event.subject_id)
            .first()
        )
        if comment is None:
            return None
        data["comment"] = comment_data(comment, question)
    return data


def article_event_data(event: Event) -> dict | None:
    article = (
        ArticlePage.objects.live()
        .public()
        .select_related("category")
        .filter(pk=event.subject_id)
        .first()
    )
    return None if article is None else {"article": article_data(article)}


def sample_data(endpoint: Endpoint) -> dict:
    return {
        "endpoint": {"id": endpoint.pk, "name": endpoint.name},
        "message": "This is a test delivery from Tanya.",
    }


def build(event: Event, endpoint: Endpoint, event_type: str) -> dict | None:
    """The body of a delivery of `event`, or None when what it is about isn't public now."""
    if event_type == TEST_EVENT_TYPE:
        data = sample_data(endpoint)
    elif event_type.startswith("article."):
        data = article_event_data(event)
    else:
        data = thread_data(event)
    if data is None:
        return None
    facts = {
        k: event.payload[k] for k in PUBLIC_PAYLOAD_KEYS.get(event_type, ()) if k in event.payload
    }
    if facts:
        data["details"] = facts
    return {
        "id": event.pk,
        "type": event_type,
        "created": event.created_at.isoformat(),
        "data": data,
    }
