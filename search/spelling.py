"""Typo tolerance: corrections of a query's unknown or rare words ("did you mean").

Each query word is compared with the vocabulary of indexed words (search/vocabulary.py,
one query for all the words): a word the index does not know, or knows far less often
than a word one or two edits away (Damerau: a swapped pair of letters is one edit;
words of four letters or fewer get one), is replaced by the most frequent of its
nearest words, the closer distance first. `corrections()` returns a few corrected
queries, the most likely first; search() (search/queries.py) runs them in that order and
keeps the first that finds something the viewer may see, so a correction is always
checked by the same permission re-check as any result, and a word that only a private,
held or hidden post uses is never offered (the vocabulary does not have it either).
"""

import re
from dataclasses import dataclass

from search import vocabulary
from search.syntax import parse_query
from search.text import highlighted

RARE_RATIO = 5  # a known word is corrected only to a word this many times as common
MAX_WORDS = 8  # query words looked up
OPTIONS_PER_WORD = 2
MAX_CORRECTIONS = 3


@dataclass(frozen=True)
class Correction:
    query: str  # the whole query with the words corrected
    changes: tuple[tuple[str, str], ...]  # (word typed, word meant)


def _options(word: str, known: dict[str, int]) -> list[str]:
    """The words `word` may have meant, best first; none when it looks right."""
    if not vocabulary.is_term(word):
        return []
    own = known.get(word, 0)
    limit = vocabulary.max_distance(word)
    ranked = []
    for term, count in known.items():
        if term == word or count < RARE_RATIO * own:
            continue
        distance = vocabulary.damerau(word, term, limit)
        if distance <= limit:
            ranked.append((distance, -count, term))
    return [term for _, _, term in sorted(ranked)[:OPTIONS_PER_WORD]]


def corrections(query: str) -> list[Correction]:
    """Up to three corrected versions of `query`, the most likely first; empty when every
    word looks right. One query (the vocabulary lookup)."""
    parsed = parse_query(query)
    # Not the question words queries keep ("what", "does"): they are no typos, and the
    # looked-up words are MAX_WORDS at most.
    typed = highlighted(parsed.keywords) + [w for phrase in parsed.phrases for w in phrase]
    typed = [w for w in dict.fromkeys(typed) if vocabulary.is_term(w)][:MAX_WORDS]
    if not typed:
        return []
    known = vocabulary.neighbours(typed)
    options = {word: found for word in typed if (found := _options(word, known))}
    if not options:
        return []
    best = {word: found[0] for word, found in options.items()}
    choices = [best]
    for word, found in options.items():  # then one word at a time on its second choice
        for other in found[1:]:
            choices.append({**best, word: other})
    return [_apply(query, choice) for choice in choices[:MAX_CORRECTIONS]]


def _apply(query: str, changes: dict[str, str]) -> Correction:
    text = query
    for word, meant in changes.items():
        # The word where it stands alone, not a filter's value (tag:..., category:...).
        pattern = re.compile(rf"(?<![\w:]){re.escape(word)}(?!\w)", re.IGNORECASE)
        text = pattern.sub(meant, text)
    return Correction(" ".join(text.split()), tuple(changes.items()))
