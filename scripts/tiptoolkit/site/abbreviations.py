"""Expand abbreviations on hover across a rendered page: wrap each glossary abbreviation in `<abbr title>`."""

from __future__ import annotations

import functools
import re

from markupsafe import escape

SKIP = {
    "a",
    "abbr",
    "code",
    "pre",
    "script",
    "style",
    "svg",
    "title",
    "textarea",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "button",
}
TAG = r"<(/?)([a-zA-Z0-9]+)[^>]*?(/?)>"


@functools.lru_cache(maxsize=4)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """A tag, or one of `keys` as a whole word (the lookahead skips other characters fast)."""
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    first = re.escape("".join(sorted({"<", *(key[0] for key in keys)})))
    return re.compile(rf"(?=[{first}])(?:{TAG}|(?<![\w-])(?P<word>{alternatives})(?![\w-]))")


def expand_abbreviations(html: str, abbreviations: dict[str, str]) -> str:
    """Wrap abbreviations found in text (not in links, headings, code or SVG) with their expansion.

    One pass over the page: a tag updates the stack of skipped elements, a word outside them is wrapped."""
    if not abbreviations:
        return html
    pattern = _pattern(tuple(abbreviations))
    titles = {key: f'<abbr title="{escape(value)}">{key}</abbr>' for key, value in abbreviations.items()}
    out: list[str] = []
    skipping: list[str] = []
    position = 0
    for match in pattern.finditer(html):
        word = match.group("word")
        if word is None:
            closing, name = match.group(1), match.group(2).lower()
            if name in SKIP and not match.group(3):
                if not closing:
                    skipping.append(name)
                elif name in skipping:
                    del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
        elif not skipping:
            out += (html[position : match.start()], titles[word])
            position = match.end()
    out.append(html[position:])
    return "".join(out)
