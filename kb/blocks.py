"""StreamField blocks for knowledge-base articles, and the conversion of a forum post's
Markdown into those blocks (used when a solved thread is promoted).

Fenced and indented code at the top level of a post becomes a `code` block that keeps its
language; everything between becomes a `rich_text` block holding the forum's own
sanitized HTML (forum.markdown.render_markdown), so nothing a member wrote reaches an
article without passing the same allowlist as the thread page.
"""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from forum.markdown import render_markdown

#: Formatting editors may use in an article's rich text. Promoted posts may also hold
#: tables and images from Markdown: those display as they are, but Wagtail's editor keeps
#: only these features once an editor opens the block.
RICH_TEXT_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "strikethrough",
    "code",
    "ol",
    "ul",
    "blockquote",
    "hr",
    "link",
]
INLINE_FEATURES = ["bold", "italic", "code", "link"]

#: The same language names the forum keeps on ``<code class="language-...">``.
LANGUAGE_RE = re.compile(r"[A-Za-z0-9_+-]{1,30}")
language_validator = RegexValidator(
    rf"^{LANGUAGE_RE.pattern}$", _("Use a language name such as python, bash or json.")
)


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "kb/blocks/heading.html"


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(
        label=_("Language"),
        required=False,
        max_length=30,
        validators=[language_validator],
        help_text=_("For example python, bash, json. Leave empty for plain text."),
    )
    code = blocks.TextBlock(label=_("Code"))

    class Meta:
        icon = "code"
        label = _("Code")
        template = "kb/blocks/code.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("note", _("Note")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="note",
    )
    text = blocks.RichTextBlock(label=_("Text"), features=[*INLINE_FEATURES, "ul", "ol"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "kb/blocks/callout.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alt text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who can't see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "kb/blocks/figure.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=200)
    detail = blocks.RichTextBlock(label=_("Detail"), required=False, features=INLINE_FEATURES)


class StepsBlock(blocks.ListBlock):
    def __init__(self, **kwargs):
        super().__init__(StepBlock(), **kwargs)

    class Meta:
        icon = "list-ol"
        label = _("Steps")
        template = "kb/blocks/steps.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    rich_text = blocks.RichTextBlock(label=_("Text"), icon="pilcrow", features=RICH_TEXT_FEATURES)
    code = CodeBlock()
    callout = CalloutBlock()
    image = FigureBlock()
    steps = StepsBlock()


# --- Markdown to blocks -----------------------------------------------------------------

# Parsed with the same rules as forum.markdown renders with, so the split below sees the
# fences the thread page shows as code.
_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
_CODE_TOKENS = frozenset({"fence", "code_block"})


def markdown_to_blocks(source: str) -> list[tuple[str, object]]:
    """Turn a post's Markdown into ``(block_type, value)`` pairs for ArticleBodyBlock.

    Top-level code (fenced or indented) becomes ``code`` with the fence's language when it
    is a plain language name; the Markdown between code becomes ``rich_text`` with the
    sanitized HTML. Link reference definitions apply to the whole post, so each text part
    gets them all back before it is rendered on its own.
    """
    env: dict = {}
    tokens = _PARSER.parse(source or "", env)
    lines = (source or "").splitlines()
    references = _reference_definitions(env)
    result: list[tuple[str, object]] = []
    position = 0
    for token in tokens:
        if token.type not in _CODE_TOKENS or token.level != 0 or token.map is None:
            continue
        start, end = token.map
        _append_text(result, "\n".join(lines[position:start]), references)
        language = (token.info or "").split(maxsplit=1)[0] if token.info else ""
        if not LANGUAGE_RE.fullmatch(language):
            language = ""
        result.append(("code", {"language": language, "code": token.content.rstrip("\n")}))
        position = end
    _append_text(result, "\n".join(lines[position:]), references)
    return result


def _append_text(result: list[tuple[str, object]], markdown: str, references: str) -> None:
    if not markdown.strip():
        return
    html = render_markdown(f"{markdown}\n\n{references}" if references else markdown).strip()
    if html:
        result.append(("rich_text", html))


def _reference_definitions(env: dict) -> str:
    lines = []
    for label, reference in (env.get("references") or {}).items():
        href = reference.get("href", "").replace(">", "%3E")
        title = reference.get("title") or ""
        suffix = ' "{}"'.format(title.replace('"', '\\"')) if title else ""
        lines.append(f"[{label}]: <{href}>{suffix}")
    return "\n".join(lines)
