"""Light Markdown in content -> safe HTML, shared by the site and the PDFs.

Content strings are data, never markup or templates. Two layers keep them inert:

1. Markdown runs with its raw-HTML passes removed, so `<img>`, `<link>`, `<script>`
   typed into a YAML value come out as escaped text, not as elements;
2. nh3 then keeps only simple block and inline tags, drops every attribute except
   `href`/`title` on links, and drops any `href` that is not http(s), mailto or a
   `#fragment` (no `file:`, no relative paths, no `data:`, no `javascript:`).

No images, no ids, no classes, no styles, no headings (a heading in a definition
would become a PDF bookmark and break the outline).
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import threading

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "strong", "sub", "sup", "ul"}
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
SAFE_HREF = re.compile(r"^(?:https?://[^\s]+|mailto:[^\s]+|#[A-Za-z0-9_./:-]+)$", re.IGNORECASE)

_local = threading.local()


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href" and not SAFE_HREF.match(value.strip()):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style", "template", "iframe", "object", "svg", "math"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_attribute,
    link_rel=None,
    url_schemes={"http", "https", "mailto"},
    strip_comments=True,
)


def _markdown() -> markdown.Markdown:
    """One converter per thread, with raw HTML turned off (it is escaped as text instead)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
        _local.converter = converter
    return converter


def sanitize_html(html: str) -> Markup:
    """Keep only the allowed tags and safe links of an HTML fragment."""
    return Markup(_CLEANER.clean(html).strip())


# A text Markdown would leave as it is: one line, no character any Markdown or HTML syntax starts with, not
# starting like a block (list, heading, quote, rule...), no non-printing character the sanitiser would rewrite.
_PLAIN = re.compile(r"[^\\`*_\[\]!<>&#~|{}=+\-\d\s][^\\`*_\[\]!<>&]*(?<=\S)")


def _is_plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None and text.isprintable()


@functools.lru_cache(maxsize=8192)
def markdown_to_html(text: str, inline: bool = False) -> Markup:
    """Render light Markdown (emphasis, lists, links) to sanitised HTML.

    With `inline=True`, a text that makes a single paragraph is returned without
    its `<p>` wrapper, for table cells and other inline places.
    """
    if not text:
        return Markup("")
    if _is_plain(text):  # most content is plain sentences: the same HTML as Markdown's, without running it
        return Markup(text if inline else f"<p>{text}</p>")
    return _render_markdown(text, inline)


def _render_markdown(text: str, inline: bool) -> Markup:
    converter = _markdown()
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
    clean = sanitize_html(html)
    if inline and clean.startswith("<p>") and clean.endswith("</p>"):
        # Paragraphs become line breaks so the result can sit inside a <p>, <td> or <li>.
        body = str(clean)[3:-4]
        clean = Markup(body.replace("</p>\n<p>", "<br>").replace("</p><p>", "<br>"))
    # On one line: the same HTML once parsed, and no line of content can start a line of the page around it
    # (where `# text` would read as a heading: site/fastpage.py).
    return Markup(str(clean).replace("\n", "&#10;"))


def inline(text: str | None) -> Markup:
    """Markdown for an inline place (inside a sentence, a table cell, a list item): no `<p>` wrapper."""
    return markdown_to_html(text, inline=True) if text else Markup("")


_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=4096)
def plain(text: str | None) -> str:
    """The words of a Markdown text without any markup, on one line (for metadata and descriptions).

    The result is plain text, not HTML: let the template's autoescaping escape it.
    """
    if not text:
        return ""
    words = nh3.clean(str(markdown_to_html(text)), tags=set(), clean_content_tags=set())
    return _SPACES.sub(" ", html_lib.unescape(words)).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?।۔])\s+")
# Abbreviations of legal citations that end in a full stop without ending the sentence: `Law No. 12`, `art. 5`.
_ABBREVIATION = re.compile(r"\b(?:No|Nos|art|arts|Art|Arts|s|ss|para|paras|e\.g|i\.e|cf|p|pp|v|vol)\.$")


def _sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if pieces and _ABBREVIATION.search(pieces[-1]):
            pieces[-1] += " " + piece
        else:
            pieces.append(piece)
    return pieces


def sentences(text: str, limit: int) -> str:
    """As many whole sentences of plain `text` as fit in `limit` characters; the first sentence alone when even it
    does not fit (a summary is never cut in the middle of a sentence, nor after `Law No.` or `art.`)."""
    kept = ""
    for sentence in _sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if kept and len(candidate) > limit:
            break
        kept = candidate
    return kept
