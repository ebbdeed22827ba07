"""Generated pages to HTML without Markdown's block parser.

A generated page is headings (`## Title {: #id }`) between blocks of HTML written by our templates. MkDocs
would parse every HTML block again (most of a site build's Markdown time) only to copy it to the output as
it is. Here the headings alone go through the same Markdown (same extensions: ids, permalinks, the table of
contents) and the HTML blocks are copied. A page holding anything else (a paragraph, a list in Markdown, an
inline tag at the start of a block) is left to Markdown. `tests/test_fastpage.py` checks that every page of
the real content comes out exactly as Markdown renders it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown

HEADING = re.compile(r"#{1,6} \S[^\n]*")
START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>/]")
ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class Rendered:
    html: str
    toc_tokens: list[dict[str, Any]]
    anchor_ids: set[str]
    starts_with_h1: bool  # MkDocs takes a page's title from a first-element h1


def blocks_of(text: str, block_tags: set[str]) -> list[tuple[str, str]] | None:
    """The page's blocks, each with what Markdown writes after it (a heading: a line break; HTML: a blank line,
    or a line break when a heading follows with no blank line), or None when a block is neither a heading nor
    block-level HTML."""
    blocks: list[tuple[str, str]] = []
    lines: list[str] = []

    def close(after: str) -> None:
        if lines:
            blocks.append(("\n".join(lines), after))
            lines.clear()

    for line in text.strip("\n").split("\n"):
        if not line.strip():
            close("\n\n")
        elif HEADING.fullmatch(line):
            close("\n")
            blocks.append((line, "\n"))
        else:
            lines.append(line)
    close("")
    for block, _after in blocks:
        if HEADING.fullmatch(block):
            continue
        tag = START_TAG.match(block)
        if tag is None or tag.group(1).lower() not in block_tags:
            return None
    return blocks


def render(
    text: str,
    extensions: list[Any],
    extension_configs: dict[str, Any],
    prepare: Callable[[markdown.Markdown], None] | None = None,
) -> Rendered | None:
    """The page as MkDocs' Markdown would render it, or None when it is not a generated page's shape.
    `prepare` may register more processors on the Markdown instance that renders the headings."""
    md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
    if prepare:
        prepare(md)
    blocks = blocks_of(text, set(md.block_level_elements))
    if blocks is None:
        return None
    headings = [block for block, _after in blocks if HEADING.fullmatch(block)]
    rendered = md.convert("\n\n".join(headings)).split("\n") if headings else []
    if len(rendered) != len(headings):
        return None
    out, position = [], 0
    for block, after in blocks:
        if HEADING.fullmatch(block):
            block = rendered[position]
            position += 1
        out += (block, after)
    html = "".join(out).rstrip("\n")
    starts_with_h1 = bool(blocks) and blocks[0][0].startswith("# ")
    return Rendered(html, getattr(md, "toc_tokens", []), set(ID.findall(html)), starts_with_h1)
