"""schema.org JSON-LD for search engines: QAPage on solved threads, Article on articles,
FAQPage on the FAQ page.

Each function returns plain data; `render_jsonld` (also the `jsonld` template filter in
kb_tags) turns it into a ``<script type="application/ld+json">`` element whose content
can't close the element or start markup, whatever members wrote.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from forum.markdown import html_to_text
from forum.permissions import can_see_post

CONTEXT = "https://schema.org"

# The characters that could end the script element or open a comment inside it, written
# as JSON escapes instead (the same set Django's json_script escapes).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def render_jsonld(data: dict | None, nonce: str = "") -> SafeString:
    """A ``<script type="application/ld+json">`` element for `data` (empty for None),
    carrying the request's CSP nonce when given (docs/security-headers.md)."""
    if not data:
        return mark_safe("")
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload)
        )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _absolute(path: str, request: HttpRequest | None) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _person(user, request: HttpRequest | None) -> dict:
    return {
        "@type": "Person",
        "name": user.name,
        "url": _absolute(user.get_absolute_url(), request),
    }


def _answer(answer, request: HttpRequest | None) -> dict:
    return {
        "@type": "Answer",
        "text": html_to_text(answer.body_html),
        "dateCreated": answer.created_at.isoformat(),
        "upvoteCount": answer.score,
        "url": _absolute(answer.get_absolute_url(), request),
        "author": _person(answer.author, request),
    }


def qa_page_jsonld(question, *, request: HttpRequest | None = None) -> dict | None:
    """QAPage data for a solved question everyone may see; None for any other. Only
    answers everyone may see go in: search engines read what an anonymous reader would,
    even when a moderator or the author renders the page.

    Costs no query for a question from forum.queries.question_page (which loads the
    accepted answer, the other answers and their authors); for another question it reads
    the accepted answer and its author.
    """
    if not can_see_post(None, question) or question.accepted_answer_id is None:
        return None
    accepted = getattr(question, "accepted", None) or question.accepted_answer
    if accepted is not None:
        accepted.question = question  # the same row: spares can_see_post a query
    if accepted is None or not can_see_post(None, accepted):
        return None
    others = [
        answer
        for answer in getattr(question, "ordered_answers", [])
        if answer.pk != accepted.pk and can_see_post(None, answer)
    ]
    main = {
        "@type": "Question",
        "name": question.title,
        "text": html_to_text(question.body_html),
        "answerCount": question.answer_count,
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        "author": _person(question.author, request),
        "url": _absolute(question.get_absolute_url(), request),
        "acceptedAnswer": _answer(accepted, request),
    }
    if others:
        main["suggestedAnswer"] = [_answer(answer, request) for answer in others]
    return {"@context": CONTEXT, "@type": "QAPage", "mainEntity": main}


def article_jsonld(article, *, credited: list, request: HttpRequest | None = None) -> dict:
    """Article data: headline, dates, the credited members as authors (else the site)."""
    authors = [_person(user, request) for user in credited] or [
        {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}
    ]
    published = article.first_published_at or article.latest_revision_created_at
    modified = article.last_published_at or published
    data = {
        "@context": CONTEXT,
        "@type": "Article",
        "headline": article.title[:110],
        "description": article.summary,
        "author": authors,
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
        "mainEntityOfPage": article.get_full_url(request),
    }
    if published is not None:
        data["datePublished"] = published.isoformat()
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    return data


def faq_page_jsonld(faq_page, articles: list, *, request: HttpRequest | None = None) -> dict:
    """FAQPage data: each article a Question whose accepted answer is its summary, which
    is what the FAQ page itself shows when a question is opened."""
    return {
        "@context": CONTEXT,
        "@type": "FAQPage",
        "url": faq_page.get_full_url(request),
        "mainEntity": [
            {
                "@type": "Question",
                "name": article.title,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": article.summary,
                    "url": article.get_full_url(request),
                },
            }
            for article in articles
        ],
    }
