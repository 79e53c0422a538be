"""Words, stems and snippets: the language handling shared by the embedded backends.

Tanya's community writes in English and in Bahasa Indonesia, often in the same thread.
SQLite's FTS5 tokenizers stem only English (porter), so the SQLite backend stems text
here, with the Snowball stemmers of PyStemmer, before FTS5 sees it; PostgreSQL does the
same inside the database with its `english` and `indonesian` configurations (also
Snowball). Either way:

- a document is stemmed in its own language (`detect_language`), because running the
  Indonesian stemmer over English words invents matches ("permission" -> "mission",
  "keyboard" -> "yboard") and running both doubles the weight of every such word;
- a query word is stemmed in both languages and either stem may match, so "bayar" finds
  "pembayaran" in an Indonesian thread and "billing" finds "billed" in an English one.

Snippets are built here too, from the stored plain text, so the words shown are the
words written (FTS5's own snippet() would show the stems it indexed).
"""

import re
import threading
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser

import Stemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ENGLISH, INDONESIAN = "en", "id"
_SNOWBALL = {ENGLISH: "english", INDONESIAN: "indonesian"}

# What FTS5's unicode61 tokenizer and PostgreSQL's parser both treat as a word: runs of
# letters and digits. Underscores and apostrophes split words in all three.
_WORD = re.compile(r"[^\W_]+")

# Snowball's English stop list (the one PostgreSQL's `english` configuration uses).
_ENGLISH_STOP = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP.split())
# Function words of Bahasa Indonesia: pronouns, prepositions, conjunctions, particles and
# question words. Kept short on purpose: content words never belong here.
_INDONESIAN_STOP = """
    yang dan di ke dari untuk dengan pada dalam ini itu ada adalah tidak tak bukan saya aku
    kami kita anda kamu dia ia mereka nya apa apakah bagaimana gimana mengapa kenapa kapan
    mana siapa berapa bisa dapat akan sudah telah belum masih sedang juga atau tetapi tapi
    namun karena jika kalau agar supaya oleh sebagai seperti saat ketika hanya lagi pun lah
    kah sih dong ya yg dgn utk tdk gak nggak ga mau harus boleh tolong mohon cara"""
INDONESIAN_STOP_WORDS = frozenset(_INDONESIAN_STOP.split())
STOP_WORDS = ENGLISH_STOP_WORDS | INDONESIAN_STOP_WORDS
# Question words and the auxiliaries and modals a question opens with ("What is…", "Can
# I…", "How do…", "Apakah…", "Bagaimana…"). Stop words, but in a question they say what is
# asked: "What is a VPN?" and "How do I set up a VPN?" share every other word. So a query
# keeps them (`meaningful`): they match and rank like any word, and where they are in a
# large share of all documents they only rank (DatabaseBackend.select). Snippets and
# titles do not mark them (`highlighted`). On the relevance benchmark, lexical only, they
# took CovidFAQ from 0.394 to 0.514 on SQLite and from 0.445 to 0.533 on PostgreSQL (its
# bm25 baseline: 0.492), StackFAQ staying at 0.81 (docs/search.md). PostgreSQL's
# documents hold the English ones by migration 0010, whose copy of them must agree.
_ENGLISH_QUESTION = "what which who when where why how can will should do does did is are"
ENGLISH_QUESTION_WORDS = frozenset(_ENGLISH_QUESTION.split())
_INDONESIAN_QUESTION = """
    apa apakah bagaimana gimana mengapa kenapa kapan mana siapa berapa bisa dapat akan harus
    boleh"""
INDONESIAN_QUESTION_WORDS = frozenset(_INDONESIAN_QUESTION.split())
QUESTION_WORDS = ENGLISH_QUESTION_WORDS | INDONESIAN_QUESTION_WORDS

_local = threading.local()  # PyStemmer's stemmers are not thread-safe: one per thread.


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(_SNOWBALL[language])
    return stemmers[language]


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, in order."""
    return _WORD.findall(text.lower())


def stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def stem_all(tokens: Iterable[str], language: str) -> list[str]:
    return _stemmer(language).stemWords(list(tokens))


def query_stems(word: str) -> tuple[str, ...]:
    """Every stem a query word may match: its English and its Indonesian stem."""
    english, indonesian = stem(word, ENGLISH), stem(word, INDONESIAN)
    return (english,) if english == indonesian else (english, indonesian)


def meaningful(tokens: Iterable[str]) -> list[str]:
    """Query words worth matching on their own: no stop words but the question words,
    nothing one letter long."""
    return [
        t
        for t in tokens
        if (t not in STOP_WORDS or t in QUESTION_WORDS) and (len(t) > 1 or t.isdigit())
    ]


def highlighted(tokens: Iterable[str], alongside: Iterable[str] = ()) -> list[str]:
    """The query words to mark in snippets and titles (and to check for typos): the
    question words only when neither they nor `alongside` (the phrases' words) hold
    anything else ("is" and "can" are in nearly every sentence)."""
    tokens = list(tokens)
    others = [t for t in tokens if t not in QUESTION_WORDS]
    return others if others or list(alongside) else tokens


def detect_language(text: str, default: str = ENGLISH) -> str:
    """`id` when Indonesian function words outnumber English ones, `en` when the reverse,
    else `default`.

    Function words are the most frequent words of any text, so a few hundred words are
    plenty to tell the two languages apart.
    """
    english = indonesian = 0
    for word in words(text[:4000]):
        if word in ENGLISH_STOP_WORDS:
            english += 1
        elif word in INDONESIAN_STOP_WORDS:
            indonesian += 1
    if indonesian == english:
        return default
    return INDONESIAN if indonesian > english else ENGLISH


def stemmed_text(text: str, language: str) -> str:
    """`text` as the words FTS5 indexes: each word replaced by its stem, in order."""
    return " ".join(stem_all(words(text), language))


# --- Plain text from rendered Markdown ---------------------------------------------------

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5",
    "h6", "tr", "td", "th", "table", "hr", "dt", "dd",
}  # fmt: skip


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\uf8ff]")
# A section heading in stored text sits between these two (private-use characters, which
# plain_text and clean_text strip from whatever a member or an editor wrote, so only our
# own markers are ever found). Every engine reads them as spaces; snippets leave the
# heading out (`without_headings`), so "Problem" never runs into the sentence under it.
HEADING_START, HEADING_END = "\ue010", "\ue011"
SECTION_BREAK = " … "  # what a heading inside a snippet becomes


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append(" ")
        if tag in _HEADINGS:
            self.parts.append(f" {HEADING_START}")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HEADINGS:
            self.parts.append(f"{HEADING_END} ")
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(_CONTROL.sub(" ", unescape(data)))


def plain_text(html: str, limit: int = 20_000) -> str:
    """Readable text of sanitized HTML: tags dropped, blocks separated, whitespace folded,
    headings between HEADING_START and HEADING_END.

    Control and private-use characters are removed from the text, so the markers snippet
    builders put around matches and headings can never come from a post.
    """
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    return _fold(" ".join("".join(extractor.parts).split()), limit)


def heading(text: str) -> str:
    """`text` (anything) as a marked section heading of stored text."""
    text = clean_text(text)
    return f"{HEADING_START}{text}{HEADING_END}" if text else ""


def _fold(text: str, limit: int) -> str:
    """Cut at `limit` without leaving half a heading marker pair behind."""
    text = text[:limit]
    if text.rfind(HEADING_START) > text.rfind(HEADING_END):
        text = text[: text.rfind(HEADING_START)].rstrip()
    return text


def without_headings(text: str) -> str:
    """`text` (stored text, or fragments of it joined by " … ") with its headings left
    out: a heading between two passages becomes SECTION_BREAK; a heading cut by a
    fragment's start or end goes with the cut."""
    kept = []
    for fragment in text.split(SECTION_BREAK):
        pieces = []
        for index, piece in enumerate(fragment.split(HEADING_START)):
            if index == 0:
                # Before any heading; an end marker means the fragment began inside one.
                pieces.append(piece.rsplit(HEADING_END, 1)[-1])
            elif HEADING_END in piece:
                pieces.append(piece.split(HEADING_END, 1)[1])
            # else: the fragment ended inside this heading.
        kept += [" ".join(p.replace(HEADING_END, " ").split()) for p in pieces]
    return SECTION_BREAK.join(piece for piece in kept if piece)


def clean_text(text: str, limit: int = 20_000) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())[:limit]


def join_stored(parts, limit: int = 20_000) -> str:
    """Stored text made of pieces already cleaned (clean_text, heading, plain_text)."""
    return _fold(" ".join(" ".join(parts).split()), limit)


# --- Snippets ---------------------------------------------------------------------------


SNIPPET_CHARS = 220


SENTENCE_LEAD = 120  # how far before the first match a snippet may start at a sentence
_SENTENCE_END = re.compile(r"(?:[.!?…]|" + re.escape(SECTION_BREAK.strip()) + r")[\"')\]]*\s+")


def highlight(text: str, language: str, wanted: Iterable[str]) -> SafeString:
    """Escaped `text` around its best match, with matching words wrapped in <mark>.

    A word matches when its stem (in `language`) is in `wanted`. Only words containing the
    first letters of a wanted stem are stemmed at all, so long posts cost little. Shows
    about SNIPPET_CHARS characters around the densest cluster of distinct matches, from
    the start of its sentence when that is near (else from the start of a word), with an
    ellipsis where it was cut. Headings are left out (without_headings). Only escaped
    text and <mark> tags reach the output.
    """
    text = without_headings(text)
    wanted = {w for w in wanted if w}
    hits = _hits(text, language, wanted) if wanted else []
    if not hits:
        end = _word_end(text, SNIPPET_CHARS)
        return mark_safe(escape(text[:end]) + ("…" if end < len(text) else ""))
    start = _best_start(hits)
    first = next((h[0] for h in hits if h[0] >= start), hits[0][0])
    start = 0 if start <= 0 else _snippet_start(text, start, first)
    end = _word_end(text, max(start + SNIPPET_CHARS, first + 40))
    out = ["…"] if start > 0 else []
    position = start
    for hit_start, hit_end, _ in hits:
        if hit_start < start or hit_end > end:
            continue
        out.append(escape(text[position:hit_start]))
        out.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    out.append(escape(text[position:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # built from escaped text and <mark> only


def mark_words(text: str, language: str, wanted: Iterable[str]) -> SafeString:
    """The whole of `text` (a title) escaped, with the words whose stem is wanted in <mark>."""
    wanted = {w for w in wanted if w}
    out, position = [], 0
    for hit_start, hit_end, _ in _hits(text, language, wanted) if wanted else []:
        out.append(escape(text[position:hit_start]))
        out.append(f"<mark>{escape(text[hit_start:hit_end])}</mark>")
        position = hit_end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # built from escaped text and <mark> only


def _snippet_start(text: str, start: int, first: int) -> int:
    """Where a snippet meant to start near `start` (before its first match at `first`)
    starts: the latest sentence start within SENTENCE_LEAD before the match, else the
    start of the word at `start`; never inside a word."""
    lead = max(0, first - SENTENCE_LEAD)
    sentence = None
    for found in _SENTENCE_END.finditer(text, lead, first):
        sentence = found.end()
    if sentence is not None:
        return sentence
    position = min(start, first)
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


def _hits(text: str, language: str, wanted: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each word of `text` whose stem is wanted."""
    # Snowball keeps a stem's first letters inside the word (English suffixes, Indonesian
    # prefixes and suffixes around the root), so the words to stem contain them: find
    # those letters (a plain alternation over the lowercased text, which the regex engine
    # scans quickly), then widen each find to its word. One pattern for the whole word
    # ("letters, then a piece, then letters", case-insensitive) backtracked through every
    # word of the text: 0.3 ms a field, 12 ms of a search's 20 snippets at 100,000 threads
    # (docs/search.md, "Latency").
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets move
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    pieces = sorted({re.escape(w[:4].lower()) for w in wanted}, key=len, reverse=True)
    stems: dict[str, str] = {}
    hits = []
    end = 0
    for found in re.finditer("|".join(pieces), lowered):
        start = found.start()
        if start < end:  # inside the word found last
            continue
        while start > 0 and lowered[start - 1].isalnum():
            start -= 1
        end = _WORD_REST.match(lowered, found.end()).end()
        word = lowered[start:end]
        if word not in stems:
            stems[word] = stem(word, language)
        if stems[word] in wanted:
            hits.append((start, end, stems[word]))
    return hits


_WORD_REST = re.compile(r"[^\W_]*")  # the rest of a word: letters and digits


def _best_start(hits: list[tuple[int, int, str]]) -> int:
    """Where to start so the snippet holds the most distinct matched stems (then most hits)."""
    best, best_key = 0, (0, 0)
    right = 0
    counts: dict[str, int] = {}
    for left, (first, _, word) in enumerate(hits):
        start = first - 40
        while right < len(hits) and hits[right][1] <= start + SNIPPET_CHARS:
            counts[hits[right][2]] = counts.get(hits[right][2], 0) + 1
            right += 1
        key = (len(counts), right - left)
        if key > best_key:
            best, best_key = start, key
        if right > left:
            counts[word] -= 1
            if not counts[word]:
                del counts[word]
    return best


def _word_end(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position)
    return position if space < 0 or position - space > 20 else space
