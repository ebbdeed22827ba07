"""Layout: the one call into WeasyPrint for every PDF, with what it is given.

    lay_out(html, base, stylesheets, identifier, finisher)   # the call itself
    html_to_pdf(html, "a4")                                  # toolkit HTML: toolkit.css, the paper's page size
    pocket_to_pdf(html)                                      # pocket guide HTML: A6, pocket.css
    layout_job(html, paper)                                  # either, by the job's paper

Our asset fetcher (nothing outside the package is read), one font configuration per process, the PDF options
(PDF/UA-1, forms, no attachments), the finisher (table headers' scope, nested form fields), and the fonts of each script.
It imports no views and no templates: what it lays out is HTML.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from . import actualtext, speedups, structlang
from .fetcher import ASSETS, AssetFetcher

STYLESHEET = ASSETS / "toolkit.css"
POCKET_STYLESHEET = ASSETS / "pocket.css"
POCKET_PAPER = "a6"  # the `paper` of a pocket guide job: A6, laid out with pocket.css instead of toolkit.css
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

# The face of each script, also for the running heads (page margin boxes do not match `:lang()`).
FONTS = {
    "ne": ("Noto Sans Devanagari", "Noto Sans"),
    "hi": ("Noto Sans Devanagari", "Noto Sans"),
    "bn": ("Noto Sans Bengali", "Noto Sans"),
    "ur": ("Noto Naskh Arabic", "Noto Sans"),  # Naskh, not Nastaliq: see pdf/actualtext.py
}


def css_string(text: str) -> Markup:
    """A CSS string literal for a `<style>` element (never HTML-escaped: `<` cannot close it, see below)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " ")
    return Markup(f'"{escaped}"')


def css_fonts(lang: str) -> Markup:
    return Markup(", ").join(css_string(name) for name in FONTS.get(lang, ("Noto Sans",))) + Markup(", sans-serif")


def inline_css(paper: str) -> Markup:
    """Both stylesheets as one text for a `<style>` element: bare WeasyPrint then lays out the same document."""
    return Markup(stylesheet_text() + "\n" + paper_css(paper))


def check_paper(paper: str) -> None:
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}")


# ---------------------------------------------------------------- per-process caches


@functools.cache
def stylesheet_text() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def paper_css(paper: str) -> str:
    size, cover_height = PAPERS[paper]
    return (
        f"@page {{ size: {size}; }} @page wide {{ size: {size} landscape; }} "
        f"section.cover {{ height: {cover_height}; }}"
    )


@functools.cache
def asset_fetcher() -> AssetFetcher:
    return AssetFetcher()


@functools.cache
def font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def toolkit_stylesheets(paper: str) -> tuple:
    from weasyprint import CSS

    fetcher, fonts = asset_fetcher(), font_config()
    return (
        CSS(string=stylesheet_text(), base_url=STYLESHEET.as_uri(), url_fetcher=fetcher, font_config=fonts),
        CSS(string=paper_css(paper), base_url=STYLESHEET.as_uri(), url_fetcher=fetcher, font_config=fonts),
    )


# ---------------------------------------------------------------- PDF


def _identifier(html: str, paper: str) -> bytes:
    digest = hashlib.sha256()
    for part in (html, stylesheet_text(), paper_css(paper)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:32].encode("ascii")


def _finish(document: object, pdf: object) -> None:
    """WeasyPrint finisher of every PDF: table headers given their scope, link annotations on their links and
    described, form fields nested."""
    _scope_table_headers(pdf)
    _link_annotations(document, pdf)
    _nest_form_fields(pdf)


def _link_annotations(document: object, pdf: object) -> None:
    """Hang every link annotation on its link's Link element and describe it by the link's text (PDF/UA-1
    7.18.5). WeasyPrint gives each box inside a link an annotation of its own, tagged under that box's element
    (a contents entry's number is a Span inside the Link), and describes each by its target (`#term-victim`)."""
    import pydyf

    objects = {obj.reference: obj for obj in pdf.objects[1:] if isinstance(obj, pydyf.Dictionary)}
    texts = {  # a link's text, or its title when its text is made by the stylesheet (`page <a class=pageref>`)
        box.link_annotation.reference: " ".join("".join(box.element.itertext()).split()) or box.element.get("title", "")
        for page in document.pages
        for _kind, _target, _area, box in page.links
        if getattr(box, "link_annotation", None) is not None and box.element is not None
    }
    tree = objects.get(pdf.catalog.get("StructTreeRoot"))
    if tree is None:
        return
    nums = objects[tree["ParentTree"]]["Nums"]
    annotations = {obj.get("StructParent"): obj for obj in objects.values() if obj.get("Subtype") == "/Link"}
    described: dict[str, str] = {}  # Link element -> the longest text of its annotations' boxes
    placed = []
    for index in range(0, len(nums), 2):
        annotation = annotations.get(nums[index])
        if annotation is None:
            continue
        link = _link_ancestor(objects, objects[nums[index + 1]])
        if link is None:
            continue
        if link.reference != nums[index + 1]:  # move its object reference from the inner element to the Link
            inner = objects[nums[index + 1]]
            kept = [kid for kid in inner["K"] if objects.get(kid, {}).get("Obj") != annotation.reference]
            moved = [kid for kid in inner["K"] if kid not in kept]
            inner["K"] = pydyf.Array(kept)
            link["K"].extend(moved)
            nums[index + 1] = link.reference
        text = texts.get(annotation.reference, "")
        if len(text) > len(described.get(link.reference, "")):
            described[link.reference] = text
        placed.append((annotation, link.reference))
    for annotation, link in placed:
        if described.get(link):
            annotation["Contents"] = pydyf.String(described[link])


def _link_ancestor(objects: dict, element: object) -> object | None:
    """The element itself if it is a Link, else its nearest Link ancestor, or None."""
    while element is not None and element.get("S") != "/Link":
        element = objects.get(element.get("P"))
    return element


def _scope_table_headers(pdf: object) -> None:
    """Give each table header cell (/TH) the /Scope that ties it to its data cells (PDF/UA-1 7.5), which WeasyPrint
    does not write: a header in a table's head row heads its column; one that opens a body row heads that row
    (our templates write `<th scope="col">` and `<th scope="row">` exactly so)."""
    import pydyf

    objects = {obj.reference: obj for obj in pdf.objects[1:] if isinstance(obj, pydyf.Dictionary)}
    for element in objects.values():
        if element.get("S") != "/TH":
            continue
        row = objects.get(element.get("P"))
        section = objects.get(row.get("P")) if row is not None else None
        kids = list(row.get("K", [])) if row is not None else []
        opens_row = bool(kids) and kids[0] == element.reference
        in_head = section is not None and section.get("S") == "/THead"
        scope = "/Column" if in_head or not opens_row else "/Row"
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


def _nest_form_fields(pdf: object) -> None:
    """Turn dotted field names into the PDF's field hierarchy.

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


def install_writer_changes() -> None:
    """What every layout in this process needs first (idempotent): Devanagari, Bengali... lines carry their text
    as /ActualText, copyable and searchable (pdf/actualtext.py); passages in another language carry their /Lang
    (pdf/structlang.py); pydyf's speed-ups (pdf/speedups.py)."""

    actualtext.install()
    structlang.install()
    speedups.install()


def html_to_pdf(html: str, paper: Paper = "a4") -> bytes:
    """Lay out toolkit HTML with our stylesheets, fetcher and fonts; return the PDF bytes."""
    check_paper(paper)
    return lay_out(html, STYLESHEET, toolkit_stylesheets(paper), _identifier(html, paper), finisher=_finish)


def lay_out(
    html: str, base: Path, stylesheets: Iterable[object], identifier: bytes, finisher: Callable | None = None
) -> bytes:
    """The one call into WeasyPrint for every PDF: our fetcher, fonts, PDF options and writer changes, laid out
    with the garbage collector paused (speedups.gc_paused)."""
    from weasyprint import HTML

    install_writer_changes()
    with speedups.gc_paused():
        document = HTML(string=html, base_url=base.as_uri(), url_fetcher=asset_fetcher(), media_type="print")
        return document.write_pdf(
            stylesheets=list(stylesheets),
            font_config=font_config(),
            pdf_identifier=identifier,
            finisher=finisher,
            **PDF_OPTIONS,
        )


@functools.cache
def _pocket_text() -> str:
    return POCKET_STYLESHEET.read_text(encoding="utf-8")


@functools.cache
def _pocket_stylesheets() -> tuple:
    from weasyprint import CSS

    return (
        CSS(
            string=_pocket_text(),
            base_url=POCKET_STYLESHEET.as_uri(),
            url_fetcher=asset_fetcher(),
            font_config=font_config(),
        ),
    )


def pocket_to_pdf(html: str) -> bytes:
    """Lay out pocket guide HTML: A6, pocket.css, the toolkit's fetcher, fonts and PDF options."""
    digest = hashlib.sha256(html.encode("utf-8") + b"\0" + _pocket_text().encode("utf-8")).hexdigest()[:32]
    return lay_out(html, POCKET_STYLESHEET, _pocket_stylesheets(), digest.encode("ascii"), finisher=_finish)


def layout_job(html: str, paper: str) -> bytes:
    """PDF bytes for any job's HTML: the pocket guide's own layout for `a6`, the toolkit's for the rest."""
    return pocket_to_pdf(html) if paper == POCKET_PAPER else html_to_pdf(html, paper)
