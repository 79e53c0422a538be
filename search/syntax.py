"""The query language people type into the search box.

    reset router                 any of the words (ranked by how many match, and where)
    "reset button"               this exact phrase must appear
    -factory  -"factory reset"   leave out results with this word or phrase
    tag:billing                  tagged billing (repeat for several tags: all must apply)
    category:routers             in the category with this slug or title (quote titles
    category:"Mobile apps"       with spaces)
    is:solved  is:unsolved       with or without an accepted answer
    is:unanswered                with no answers yet
    is:question is:answer is:article
                                 one kind of result

Anything else with a colon ("error:404", "http://...") is read as words. Parsing never
fails: unbalanced quotes end at the end of the query.
"""

from dataclasses import dataclass, field

from forum.tags import tag_slug
from search.text import meaningful, words

KINDS = ("question", "answer", "article")
_IS_VALUES = {"solved", "unsolved", "unanswered", *KINDS}


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    solved: bool | None = None
    unanswered: bool = False
    kinds: tuple[str, ...] = ()
    raw: str = field(default="", compare=False)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The free words worth matching: stop words and single letters dropped.

        A query made only of stop words ("how do I") keeps them, so it still finds something.
        """
        return tuple(meaningful(self.terms)) or self.terms

    @property
    def has_text(self) -> bool:
        return bool(self.keywords or self.phrases)

    @property
    def is_empty(self) -> bool:
        return not (
            self.has_text
            or self.tags
            or self.categories
            or self.solved is not None
            or self.unanswered
            or self.kinds
        )


def parse_query(raw: str) -> ParsedQuery:
    """Split `raw` into words, phrases, exclusions and filters (see the module docstring)."""
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    tags: list[str] = []
    categories: list[str] = []
    kinds: list[str] = []
    solved: bool | None = None
    unanswered = False

    for negated, key, value, quoted in _tokens(raw or ""):
        key = key.lower()
        if key == "tag" and value:
            tag = tag_slug(value)
            if tag and tag not in tags:
                tags.append(tag)
            continue
        if key in {"category", "cat"} and value:
            categories.append(value.strip())
            continue
        if key == "is" and value.lower() in _IS_VALUES:
            flag = value.lower()
            if flag == "solved":
                solved = not negated
            elif flag == "unsolved":
                solved = negated
            elif flag == "unanswered":
                unanswered = not negated
            elif flag not in kinds:
                kinds.append(flag)
            continue
        text = f"{key}:{value}" if key else value
        found = tuple(words(text))
        if not found:
            continue
        if negated:
            excluded.append(found)
        elif quoted:
            phrases.append(found)
        else:
            terms.extend(found)

    return ParsedQuery(
        terms=tuple(dict.fromkeys(terms)),
        phrases=tuple(dict.fromkeys(phrases)),
        excluded=tuple(dict.fromkeys(excluded)),
        tags=tuple(tags),
        categories=tuple(categories),
        solved=solved,
        unanswered=unanswered,
        kinds=tuple(kinds),
        raw=raw or "",
    )


def _tokens(raw: str):
    """Yield (negated, key, value, quoted) for each whitespace-separated piece of `raw`."""
    position, length = 0, len(raw)
    while position < length:
        while position < length and raw[position].isspace():
            position += 1
        if position >= length:
            break
        negated = raw[position] == "-" and position + 1 < length and not raw[position + 1].isspace()
        if negated:
            position += 1
        key = ""
        if raw[position] != '"':
            end = position
            while end < length and not raw[end].isspace() and raw[end] not in ':"':
                end += 1
            if end < length and raw[end] == ":" and end > position:
                key, position = raw[position:end], end + 1
        if position < length and raw[position] == '"':
            closing = raw.find('"', position + 1)
            closing = length if closing < 0 else closing
            yield negated, key, raw[position + 1 : closing], True
            position = closing + 1
            continue
        end = position
        while end < length and not raw[end].isspace():
            end += 1
        yield negated, key, raw[position:end], False
        position = end
