"""The templates' engine: one Jinja environment per process, with the filters and globals every PDF template uses,
and the text functions of a document's language (`template_functions`)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import analysis
from ..dataset import Dataset
from ..i18n import ENGLISH, Translator
from ..localizer import Localizer
from ..model import Coverage, TreatyStatus
from ..text import inline, markdown_to_html, plain
from ..views.common import COVERAGE_LABELS, ref_label

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        md=markdown_to_html, inline=inline, plain=plain, date=analysis.format_date, clause=clause, legal=legal
    )
    env.globals.update(
        Coverage=Coverage,
        coverage_label=COVERAGE_LABELS.__getitem__,
        status_label=status_label,
    )
    return env


_MARKER = re.compile(r"^\(([a-z]+)\)")
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def legal_levels(lines: list[str]) -> list[int]:
    """1 for subsections and other lines, 2 for paragraphs (a), 3 for subparagraphs (i).

    `(i)`, `(v)` and `(x)` are letters or roman numerals: (i) is roman when (ii) follows,
    (v) and (x) when (iv) and (ix) came just before.
    """
    markers = [match.group(1) if (match := _MARKER.match(line)) else None for line in lines]
    levels = []
    for index, marker in enumerate(markers):
        before = markers[index - 1] if index else None
        after = markers[index + 1] if index + 1 < len(markers) else None
        if marker is None:
            level = 1
        elif marker == "i":
            level = 3 if after == "ii" else 2
        elif marker in ("v", "x"):
            level = 3 if before == {"v": "iv", "x": "ix"}[marker] else 2
        elif marker in _ROMANS:
            level = 3
        else:
            level = 2
        levels.append(level)
    return levels


def legal(text: str) -> Markup:
    """Model legal text: one paragraph per line, indented by level: (1) subsection, (a) paragraph, (i) subparagraph."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Markup("").join(
        Markup('<p class="l{}">{}</p>').format(level, inline(line))
        for line, level in zip(lines, legal_levels(lines), strict=True)
    )


def clause(text: str) -> Markup:
    """A sentence to join with others by `;`: inline Markdown without its final full stop."""
    return inline(text.rstrip().removesuffix("."))


def status_label(cell: analysis.RatificationCell) -> str:
    if cell.record is None:
        return "No record"
    return {
        TreatyStatus.PARTY: "Party",
        TreatyStatus.SIGNATORY: "Signed, not yet ratified",
        TreatyStatus.NOT_PARTY: "Not yet party",
        TreatyStatus.UNKNOWN: "Unknown",
    }[cell.status]


def template_functions(ds: Dataset, lang: str = ENGLISH) -> dict[str, Any]:
    """What the kit and pocket templates call besides the shared filters: text in the document's language
    (`t`, `ts`, `tr`: English marked where not translated, see localizer.Localizer) and reference labels."""
    l10n = Localizer(Translator(ds, lang), plain_fields=True)
    return {
        "t": l10n.t,
        "ts": l10n.ts,
        "tr": l10n.tr,
        "ref_label": functools.partial(ref_label, ds),
        "ref_labels": lambda refs: "; ".join(ref_label(ds, ref) for ref in refs),
    }
