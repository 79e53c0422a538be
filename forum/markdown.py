"""Markdown to safe HTML for everything members write.

Two stages, and the second never trusts the first:

1. markdown-it-py renders CommonMark (plus the GFM ``table`` and ``strikethrough`` rules).
2. bleach re-parses that HTML with html5lib (the browser's parsing algorithm) and keeps only
   the tags, attributes and URL schemes listed in the constants below.

Raw HTML in the source is passed through by the parser (``html: True``, the CommonMark
preset's own setting) and then sanitized like everything else. We chose that over
``html: False`` because:

* it is what CommonMark specifies, so inline ``<em>``, ``<del>`` or ``<a href>`` written by
  hand render the way the spec (and GitHub, and Stack Overflow) say they do;
* the security boundary is bleach's allowlist either way (we would not trust the renderer's
  output unsanitized even with ``html: False``), and bleach exists to take arbitrary hostile
  HTML. Its three mutation-XSS advisories (fixed in 3.1.1, 3.1.2 and 3.3.0) each needed
  ``svg``/``math`` or ``noscript`` plus raw-text elements such as ``style`` in the
  allowlist; we allow none of those, and strip comments. ``tests/forum/test_markdown.py``
  runs 510 public XSS vectors through both render functions;
* disallowed tags are *escaped* (``strip=False``), not deleted, so a member who types
  ``<iframe src=...>`` outside a code span sees exactly what they typed instead of losing it,
  which matters on a support forum where people quote markup all the time.

Everything here is plain Python (no Django), so it can be used from tasks, commands and
tests without settings.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

from bleach.html5lib_shim import Filter
from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: Tags a rendered post may contain. No ``div``/``span``/``id``/``name``: nothing a member
#: writes can restyle the page or clobber DOM globals the site's own scripts look up.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p", "br", "hr", "em", "strong", "del", "s",
        "ul", "ol", "li",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "code", "pre",
        "table", "thead", "tbody", "tr", "th", "td",
        "a", "img",
    }
)  # fmt: skip

#: Tags a comment (``render_inline_markdown``) may contain: inline formatting only.
INLINE_ALLOWED_TAGS: frozenset[str] = frozenset({"em", "strong", "del", "s", "code", "a"})

#: Attributes per tag. Names alone are not enough: each value is also checked by
#: ``_allow_attribute`` (URL schemes, ``language-*`` classes, numbers, alignments).
#: ``style`` is never allowed; table alignment travels as ``align`` instead.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "rel"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "code": frozenset({"class"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
}

#: Schemes allowed in ``a href``. URLs without a scheme (``/questions/1``, ``#answer-3``,
#: ``../faq``, ``//host/path``) are allowed too: a browser resolves them against the page's
#: own http(s) address, so they can never become ``javascript:`` or ``data:``.
LINK_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})

#: Schemes allowed in ``img src`` (plus scheme-less URLs, for the same reason as links).
IMAGE_PROTOCOLS: frozenset[str] = frozenset({"http", "https"})

#: Every link is member-written content: search engines get no endorsement from it, and
#: the target page gets no ``window.opener`` (``target`` is not allowed anyway).
LINK_REL = "nofollow ugc noopener"

_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+-]+")
_OL_START_RE = re.compile(r"[0-9]{1,9}")  # CommonMark caps list numbers at nine digits
_TABLE_ALIGNMENTS = frozenset({"left", "center", "right"})

# Characters a browser ignores, or that we refuse to guess about, when it reads a URL's
# scheme: all controls and whitespace (ASCII and Unicode) and the backtick. Removing more
# than the browser does can only make us see a scheme where it sees none, never the reverse.
_URL_IGNORED_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s`]+")
_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.-]*):")

# Bare URLs in text become links only with an explicit http(s):// or www. prefix, as in
# GitHub's autolink extension. Linking bare domains too (bleach's default) would turn file
# names like "settings.py" (.py is Paraguay) into links, and a support forum is full of them.
_BARE_URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_URL_TRAILING_PUNCTUATION = ".,:;!?*_~"

# ``@name``: not after a word character or another name character (so emails and
# ``a@b`` stay text); Django's username characters, ending with a letter or digit so a
# sentence's full stop is not part of the name.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([\w.+-]*\w)")
_RAW_LINK_OR_CODE_OPEN = re.compile(r"<(a|code|pre)[\s>]", re.IGNORECASE)
_RAW_LINK_OR_CODE_CLOSE = re.compile(r"</(a|code|pre)\s*>", re.IGNORECASE)


def render_markdown(source: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Render a question, answer or knowledge-base body: CommonMark, tables, strikethrough.

    `mentions` maps lower-cased usernames to profile URLs: each ``@name`` in text (not in
    code or a link) whose name is a key becomes a link to that URL (forum/mentions.py
    looks the names up once, when the post is saved).
    """
    return _sanitize(_MARKDOWN.render(source, {"mentions": mentions or {}}), ALLOWED_TAGS)


def mention_candidates(source: str) -> set[str]:
    """The names written as ``@name`` anywhere in `source` (a superset: some are in code)."""
    return {match.group(1) for match in MENTION_RE.finditer(source)}


def render_inline_markdown(source: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Render a comment: emphasis, strong, code spans, links and strikethrough only.

    The source is parsed as one run of inline text, so headings, lists, quotes and tables
    stay as the characters that were typed. Images are not recognised, so ``![alt](url)``
    becomes ``!`` followed by a link to the image; no ``<p>`` wraps the result.
    """
    env = {"mentions": mentions or {}}
    return _sanitize(_INLINE_MARKDOWN.renderInline(source, env), INLINE_ALLOWED_TAGS)


def markdown_to_text(source: str) -> str:
    """Plain text of rendered Markdown, whitespace collapsed, for excerpts and search.

    The result is *unescaped* text (``<`` is ``<``), so a template must autoescape it.
    """
    return html_to_text(render_markdown(source))


def html_to_text(rendered: str) -> str:
    """Plain text of HTML this module already rendered (a post's stored ``body_html``),
    the same as ``markdown_to_text`` of its source, without rendering it again: pages
    read this (schema.org JSON-LD), so they cost a parse, not markdown-it plus bleach.
    """
    extractor = _TextExtractor()
    extractor.feed(rendered or "")
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def _sanitize(rendered: str, tags: frozenset[str]) -> str:
    return _cleaner(tags).clean(rendered)


# Cleaner holds html5lib parser state and is documented as not thread-safe, so each thread
# (Django may serve requests from several) builds its own, once.
_thread_state = threading.local()


def _cleaner(tags: frozenset[str]) -> Cleaner:
    cleaners: dict[frozenset[str], Cleaner] | None = getattr(_thread_state, "cleaners", None)
    if cleaners is None:
        cleaners = _thread_state.cleaners = {}
    if tags not in cleaners:
        cleaners[tags] = Cleaner(
            tags=tags,
            attributes=_allow_attribute,
            # bleach checks URL attributes against these on its own as well, after
            # _allow_attribute; images get the narrower IMAGE_PROTOCOLS there.
            protocols=LINK_PROTOCOLS,
            strip=False,
            strip_comments=True,
            filters=[_FinishLinksAndImages],
        )
    return cleaners[tags]


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """bleach's per-attribute gate; ``value`` still has its character references undecoded."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "a" and name == "href":
        return _url_is_allowed(value, LINK_PROTOCOLS)
    if tag == "img" and name == "src":
        return _url_is_allowed(value, IMAGE_PROTOCOLS)
    if tag == "code":
        # markdown-it puts the first word of a fence's info string here, escaped but
        # otherwise as typed; anything but a plain language name loses the class.
        return _CODE_CLASS_RE.fullmatch(value) is not None
    if tag == "ol":
        return _OL_START_RE.fullmatch(value) is not None
    if tag in ("th", "td"):
        return value in _TABLE_ALIGNMENTS
    return True


def _url_is_allowed(value: str, protocols: frozenset[str]) -> bool:
    """True if ``value`` has no scheme or one of ``protocols``, however it is spelled.

    The value is decoded again and again (``&amp;#106;`` -> ``&#106;`` -> ``j``) and every
    layer must pass: a browser decodes once, but refusing a link that only turns hostile
    after a second decoding costs nothing, and it spares us reasoning about which layer a
    browser, a feed reader or an email client will see.
    """
    layer = value
    for _ in range(4):
        found = _SCHEME_RE.match(_URL_IGNORED_RE.sub("", layer).lower())
        if found is not None and found.group(1) not in protocols:
            return False
        decoded = html.unescape(layer)
        if decoded == layer:
            return True
        layer = decoded
    return False  # still changing after four decodings: nobody writes that by accident


class _FinishLinksAndImages(Filter):
    """Runs on bleach's sanitized token stream, before it is serialized.

    * Every ``<a>`` gets ``rel``; one whose ``href`` the sanitizer removed is unwrapped.
    * Bare http(s):// and www. URLs in text become links, except inside code and links.
    * ``<img>`` whose ``src`` the sanitizer removed is dropped instead of showing as broken.

    We don't use bleach's ``LinkifyFilter`` here: after the sanitizer it decodes character
    references a second time, so a member who writes ``&amp;lt;`` (to show ``&lt;``) would
    see ``<``, and ``&amp;#87654321;`` turns into a replacement character.
    """

    def __iter__(self) -> Iterator[dict[str, Any]]:
        no_autolink_depth = 0  # inside <a>, <pre> or <code>
        unwrapping = False
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if kind in ("StartTag", "EmptyTag") and name == "img":
                if not token["data"].get((None, "src")):
                    continue
            elif kind == "StartTag" and name == "a":
                # html5lib never nests <a> in <a>, so one flag pairs this with its end tag.
                if (None, "href") not in token["data"]:
                    unwrapping = True
                    continue
                token["data"][(None, "rel")] = LINK_REL
            elif kind == "EndTag" and name == "a" and unwrapping:
                unwrapping = False
                continue

            if kind == "StartTag" and name in ("a", "pre", "code"):
                no_autolink_depth += 1
            elif kind == "EndTag" and name in ("a", "pre", "code"):
                no_autolink_depth -= 1
            elif kind == "Characters" and no_autolink_depth == 0:
                yield from _autolink(token["data"])
                continue
            yield token


def _autolink(text: str) -> Iterator[dict[str, Any]]:
    """Split a run of text into text and link tokens for the bare URLs in it."""
    position = 0
    for match in _BARE_URL_RE.finditer(text):
        url = _trim_url(match.group(0))
        if url.lower() in ("http://", "https://", "www."):
            continue
        if match.start() > position:
            yield {"type": "Characters", "data": text[position : match.start()]}
        # www. links get https: the GitHub rule says http, but nearly every site that
        # still answers on http redirects to https, and the reverse is a downgrade.
        href = url if url.lower().startswith(("http://", "https://")) else f"https://{url}"
        attributes = {(None, "href"): href, (None, "rel"): LINK_REL}
        yield {"type": "StartTag", "name": "a", "namespace": None, "data": attributes}
        yield {"type": "Characters", "data": url}
        yield {"type": "EndTag", "name": "a", "namespace": None}
        position = match.start() + len(url)
    if position < len(text):
        yield {"type": "Characters", "data": text[position:]}


def _trim_url(url: str) -> str:
    """Drop the sentence's punctuation from a URL's end: "(see https://x.org/a)." -> ".../a".

    A closing parenthesis stays when it has a partner inside the URL, as in Wikipedia's
    ``https://en.wikipedia.org/wiki/Fork_(software)``.
    """
    unpaired = url.count(")") - url.count("(")
    end = len(url)
    while end:
        if url[end - 1] in _URL_TRAILING_PUNCTUATION:
            end -= 1
        elif url[end - 1] == ")" and unpaired > 0:
            end -= 1
            unpaired -= 1
        else:
            break
    return url[:end]


def _table_alignment_as_attribute(state: StateCore) -> None:
    """Turn markdown-it's ``style="text-align:x"`` on table cells into ``align="x"``.

    We allow no ``style`` attribute at all (there is no CSS sanitizer to make one safe), and
    ``align`` with three fixed values cannot carry anything else.
    """
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrs["align"] = style.removeprefix("text-align:")


def _link_mentions(state: StateCore) -> None:
    """Turn ``@name`` in text into a link to the member's profile, for the names in
    ``env["mentions"]`` only; never inside code spans, links (Markdown or raw HTML)."""
    known: Mapping[str, str] = state.env.get("mentions") or {}
    if not known:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "html_inline":
                if _RAW_LINK_OR_CODE_OPEN.match(token.content):
                    depth += 1
                elif _RAW_LINK_OR_CODE_CLOSE.match(token.content):
                    depth -= 1
            elif token.type == "text" and depth <= 0 and "@" in token.content:
                children.extend(_split_mentions(token, known))
                continue
            children.append(token)
        block.children = children


def _split_mentions(token: Token, known: Mapping[str, str]) -> list[Token]:
    out, position, text = [], 0, token.content
    for match in MENTION_RE.finditer(text):
        url = known.get(match.group(1).lower())
        if url is None:
            continue
        if match.start() > position:
            out.append(_text_token(text[position : match.start()], token))
        link = Token("link_open", "a", 1, attrs={"href": url}, level=token.level)
        out += [link, _text_token(match.group(0), token), Token("link_close", "a", -1)]
        position = match.end()
    if position < len(text):
        out.append(_text_token(text[position:], token))
    return out


def _text_token(content: str, like: Token) -> Token:
    return Token("text", "", 0, content=content, level=like.level)


def _render_hardbreak_as_newline(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Render a hard line break in a comment as a plain newline: comments have no ``<br>``."""
    return "\n"


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.core.ruler.push("table_alignment_as_attribute", _table_alignment_as_attribute)
    md.core.ruler.push("link_mentions", _link_mentions)
    return md


def _build_inline_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("strikethrough").disable("image")
    md.add_render_rule("hardbreak", _render_hardbreak_as_newline)
    md.core.ruler.push("link_mentions", _link_mentions)
    return md


# Built once: markdown-it keeps parsing state per call (StateCore, StateBlock, ...) and
# only reads its options and rules, so one instance serves every thread.
_MARKDOWN = _build_markdown()
_INLINE_MARKDOWN = _build_inline_markdown()


class _TextExtractor(HTMLParser):
    """Collect the text of sanitized HTML, with a space wherever a block or line ends."""

    _BREAKS = frozenset(ALLOWED_TAGS - INLINE_ALLOWED_TAGS - {"img"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            alt = dict(attrs).get("alt")
            self.parts.append(f" {alt} " if alt else " ")
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
