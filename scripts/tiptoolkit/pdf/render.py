"""Render a country toolkit (or the regional edition) to PDF bytes.

    render_country(dataset, "NPL") -> bytes          # one country, A4, English
    render_country(dataset, None, paper="letter")    # the regional edition
    toolkit_html(dataset, "NPL")                     # the HTML WeasyPrint lays out

Cheap to call repeatedly in one process: the Jinja environment, the parsed
stylesheets and WeasyPrint's font configuration are built once per process and
reused. The output is deterministic (dates come from the content, the PDF
identifier from a hash of the input), tagged (PDF/UA-1) and has fillable forms.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import analysis
from ..dataset import Dataset
from ..model import Coverage, TreatyStatus
from ..text import inline, markdown_to_html, plain
from . import context
from .context import UnknownCountry, build_toolkit
from .fetcher import ASSETS, AssetFetcher

LOGGER = logging.getLogger("tiptoolkit.pdf")
TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = ASSETS / "toolkit.css"
LANGUAGES = ("en",)
Paper = Literal["a4", "letter"]
PAPERS: dict[str, tuple[str, str]] = {  # CSS page size, cover height
    "a4": ("A4", "297mm"),
    "letter": ("letter", "279.4mm"),
}
# Everything WeasyPrint may do is listed here; nothing is left to its defaults by accident.
PDF_OPTIONS = {
    "pdf_variant": "pdf/ua-1",  # tagged PDF 1.7 with the PDF/UA identification
    "pdf_forms": True,
    "attachments": [],  # never embed a file
    "custom_metadata": False,
    "presentational_hints": False,
    "optimize_images": True,
    "full_fonts": False,  # subset the fonts (harfbuzz-subset when available)
    "hinting": False,
    "uncompressed_pdf": False,
}

__all__ = [
    "LANGUAGES",
    "PAPERS",
    "UnknownCountry",
    "UnsupportedLanguage",
    "render_country",
    "render_html",
    "toolkit_html",
]


class UnsupportedLanguage(ValueError):
    """No interface strings for that language yet."""


# ---------------------------------------------------------------- per-process caches


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        md=markdown_to_html, inline=inline, plain=plain, date=analysis.format_date, clause=_clause, legal=_legal
    )
    env.globals.update(
        Coverage=Coverage,
        coverage_label=context.COVERAGE_LABELS.__getitem__,
        status_label=_status_label,
    )
    return env


@functools.cache
def _stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _paper_css(paper: str) -> str:
    size, cover_height = PAPERS[paper]
    return (
        f"@page {{ size: {size}; }} @page wide {{ size: {size} landscape; }} "
        f"section.cover {{ height: {cover_height}; }}"
    )


@functools.cache
def _fetcher() -> AssetFetcher:
    return AssetFetcher()


@functools.cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def _stylesheets(paper: str) -> tuple:
    from weasyprint import CSS

    fetcher, fonts = _fetcher(), _font_config()
    return (
        CSS(string=_stylesheet_text(), base_url=STYLESHEET.as_uri(), url_fetcher=fetcher, font_config=fonts),
        CSS(string=_paper_css(paper), base_url=STYLESHEET.as_uri(), url_fetcher=fetcher, font_config=fonts),
    )


# ---------------------------------------------------------------- HTML


_MARKER = re.compile(r"^\(([a-z]+)\)")
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def _legal_levels(lines: list[str]) -> list[int]:
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


def _legal(text: str) -> Markup:
    """Model legal text: one paragraph per line, indented by level: (1) subsection, (a) paragraph, (i) subparagraph."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return Markup("").join(
        Markup('<p class="l{}">{}</p>').format(level, inline(line))
        for line, level in zip(lines, _legal_levels(lines), strict=True)
    )


def _clause(text: str) -> Markup:
    """A sentence to join with others by `;`: inline Markdown without its final full stop."""
    return inline(text.rstrip().removesuffix("."))


def _status_label(cell: analysis.RatificationCell) -> str:
    if cell.record is None:
        return "No record"
    return {
        TreatyStatus.PARTY: "Party",
        TreatyStatus.SIGNATORY: "Signed, not yet ratified",
        TreatyStatus.NOT_PARTY: "Not yet party",
        TreatyStatus.UNKNOWN: "Unknown",
    }[cell.status]


def _check(lang: str, paper: str) -> None:
    if lang not in LANGUAGES:
        raise UnsupportedLanguage(f"no toolkit text in {lang!r} yet: use one of {', '.join(LANGUAGES)}")
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")


def render_html(
    dataset: Dataset, iso3: str | None, lang: str = "en", paper: Paper = "a4", standalone: bool = False
) -> str:
    """The toolkit as HTML. With `standalone`, the stylesheets are inlined in a <style>
    element, so bare `weasyprint.HTML(string=...)` lays out exactly the same document.
    Another language than English gives that country's national-language edition (pdf/edition.py)."""
    if lang not in LANGUAGES:
        return _edition_html(dataset, iso3, lang, paper, standalone)
    _check(lang, paper)
    tk = build_toolkit(dataset, iso3, lang)
    from .products import template_functions  # t, tr, ref_label, ref_labels (here to avoid an import cycle)

    chapters = {(law.id, ch.id): ch.number for law in dataset.model_laws.values() for ch in law.chapters}
    stylesheet = Markup(_stylesheet_text() + "\n" + _paper_css(paper)) if standalone else None
    return (
        _environment()
        .get_template("toolkit.html.j2")
        .render(
            tk=tk,
            stylesheet=stylesheet,
            **template_functions(dataset, lang),
            short_provision_title=lambda row: context.provision_title(row.law, row.provision, several=False),
            provision_label=lambda row: context.provision_title(row.law, row.provision, several=True),
            chapter_number=lambda item: chapters.get((item.law.id, item.provision.chapter), ""),
        )
    )


toolkit_html = render_html  # the name used by benchmarks


# ---------------------------------------------------------------- PDF


def _identifier(html: str, paper: str) -> bytes:
    digest = hashlib.sha256()
    for part in (html, _stylesheet_text(), _paper_css(paper)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32].encode("ascii")


def _nest_form_fields(document: object, pdf: object) -> None:
    """WeasyPrint finisher: turn dotted field names into the PDF's field hierarchy.

    A PDF partial field name may not contain a period: the period joins the partial names
    of a field and its ancestors into its fully qualified name. So `nap.prevention.obj-1.act-2.lead`
    becomes the field `lead` under `act-2` under ... under `nap`, whose qualified name is exactly
    that string in every viewer (and in pypdf's `get_fields()`).
    """
    import pydyf

    acroform = pdf.catalog.get("AcroForm")
    if not acroform:
        return
    objects = {obj.reference: obj for obj in pdf.objects[1:]}
    roots = pydyf.Array()
    parents: dict[tuple[str, ...], pydyf.Dictionary] = {}

    def parent(path: tuple[str, ...]) -> pydyf.Dictionary:
        if path not in parents:
            node = pydyf.Dictionary({"T": pydyf.String(path[-1]), "Kids": pydyf.Array()})
            pdf.add_object(node)
            parents[path] = node
            if len(path) == 1:
                roots.append(node.reference)
            else:
                above = parent(path[:-1])
                node["Parent"] = above.reference
                above["Kids"].append(node.reference)
        return parents[path]

    for reference in acroform["Fields"]:
        field = objects[reference]
        name = str(field["T"].string)
        if "." not in name:
            roots.append(reference)
            continue
        *path, leaf = name.split(".")
        above = parent(tuple(path))
        field["T"] = pydyf.String(leaf)
        field["Parent"] = above.reference
        above["Kids"].append(reference)
    acroform["Fields"] = roots


def _edition_html(dataset: Dataset, iso3: str | None, lang: str, paper: str, standalone: bool) -> str:
    """A national-language edition (pdf/edition.py): the translated parts of a country toolkit."""
    from . import edition

    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")
    if iso3 is None or (iso3.lower(), lang) not in edition.editions(dataset):
        known = ", ".join(f"{c.upper()} --lang {code}" for c, code in edition.editions(dataset))
        raise UnsupportedLanguage(f"no {lang!r} edition for {iso3 or 'the region'}: editions are {known}")
    ed, l10n = edition.build_edition(dataset, iso3, lang)
    months = edition.months(l10n.translator)
    english = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    def date(value: object) -> str:
        return " ".join(months[english.index(w)] if w in english else w for w in analysis.format_date(value).split(" "))

    def status(cell: analysis.RatificationCell) -> Markup:
        if not cell.record:
            return l10n.t("ratification.no_record")
        label = l10n.t("ratification." + cell.status.value.replace("-", "_"))
        details = [l10n.ts("action." + cell.record.action.value)] if cell.record.action else []
        if cell.date:
            details.append(date(cell.date))
        return Markup("{} ({})").format(label, ", ".join(details)) if details else label

    stylesheet = Markup(_stylesheet_text() + "\n" + _paper_css(paper)) if standalone else None
    return (
        _environment()
        .get_template("edition.html.j2")
        .render(
            ed=ed,
            t=l10n.t,
            ts=l10n.ts,
            tr=l10n.tr,
            d=date,
            status=status,
            Coverage=Coverage,
            stylesheet=stylesheet,
            css=edition.css_string,
            fonts=edition.css_fonts(lang),
        )
    )


def install_writer_changes() -> None:
    """What every layout in this process needs first (idempotent): Devanagari, Bengali... lines carry their text
    as /ActualText, copyable and searchable (pdf/actualtext.py); pydyf's speed-ups (pdf/speedups.py)."""
    from . import actualtext, speedups

    actualtext.install()
    speedups.install()


def html_to_pdf(html: str, paper: Paper = "a4") -> bytes:
    """Lay out toolkit HTML with our stylesheets, fetcher and fonts; return the PDF bytes."""
    _check("en", paper)
    return lay_out(html, STYLESHEET, _stylesheets(paper), _identifier(html, paper), finisher=_nest_form_fields)


def lay_out(
    html: str, base: Path, stylesheets: Iterable[object], identifier: bytes, finisher: Callable | None = None
) -> bytes:
    """The one call into WeasyPrint for every PDF: our fetcher, fonts, PDF options and writer changes, laid out
    with the garbage collector paused (speedups.gc_paused)."""
    from weasyprint import HTML

    from . import speedups

    install_writer_changes()
    with speedups.gc_paused():
        document = HTML(string=html, base_url=base.as_uri(), url_fetcher=_fetcher(), media_type="print")
        return document.write_pdf(
            stylesheets=list(stylesheets),
            font_config=_font_config(),
            pdf_identifier=identifier,
            finisher=finisher,
            **PDF_OPTIONS,
        )


def render_country(dataset: Dataset, iso3: str | None, lang: str = "en", paper: Paper = "a4") -> bytes:
    """The toolkit PDF of one country (ISO3 code, any case), or of the region when `iso3` is None.

    Raises UnknownCountry, UnsupportedLanguage or ValueError (paper) before any layout work.
    """
    html = render_html(dataset, iso3, lang, paper)
    return html_to_pdf(html, paper)
