"""What search adds to the forum's pages (core.panels): "Related questions" on a thread."""

import logging

from django.utils.translation import gettext_lazy as _

from core import panels
from search.errors import SearchUnavailable
from search.text import detect_language

logger = logging.getLogger(__name__)

LANGUAGES = {"en": _("English"), "id": _("Bahasa Indonesia")}
RELATED_LIMIT = 5


def language_marks(results, own_language: str) -> list[tuple]:
    """(result, label of its language, or None when it is the reader's own)."""
    return [
        (r, LANGUAGES.get(r.language, r.language) if r.language != own_language else None)
        for r in results
    ]


@panels.provides("forum.question")
def related_questions(viewer, question) -> dict:
    """Threads and articles like this one, by words and meaning, in either language; a
    match in the other language is marked with it. Nothing when search is down, and
    nothing for a thread not everyone may see (it is not in the index either)."""
    from search.queries import related_questions as related

    if not question.is_visible:
        return {"related_questions": []}
    try:
        results = related(question, limit=RELATED_LIMIT)
    except SearchUnavailable:
        logger.info("Search is unavailable: no related questions for %s", question.pk)
        return {"related_questions": []}
    own = detect_language(f"{question.title} {question.body}")
    return {"related_questions": language_marks(results, own)}
