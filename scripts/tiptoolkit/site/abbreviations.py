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
TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*?(/?)>")


@functools.lru_cache(maxsize=4)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def expand_abbreviations(html: str, abbreviations: dict[str, str]) -> str:
    """Wrap abbreviations found in text (not in links, headings, code or SVG) with their expansion."""
    if not abbreviations:
        return html
    pattern = _pattern(tuple(abbreviations))
    titles = {key: str(escape(value)) for key, value in abbreviations.items()}
    out: list[str] = []
    skipping: list[str] = []
    position = 0
    for match in TAG.finditer(html):
        text = html[position : match.start()]
        out.append(
            text if skipping else pattern.sub(lambda m: f'<abbr title="{titles[m.group(1)]}">{m.group(1)}</abbr>', text)
        )
        out.append(match.group(0))
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in SKIP and not self_closing:
            if closing:
                if name in skipping:
                    del skipping[len(skipping) - 1 - skipping[::-1].index(name) :]
            else:
                skipping.append(name)
        position = match.end()
    tail = html[position:]
    out.append(
        tail if skipping else pattern.sub(lambda m: f'<abbr title="{titles[m.group(1)]}">{m.group(1)}</abbr>', tail)
    )
    return "".join(out)
