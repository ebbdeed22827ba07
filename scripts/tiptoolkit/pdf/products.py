"""The two short products built from the same views as the toolkit: accession kits and pocket guides.

    accession_html(dataset, "NPL", "som-protocol")  # stand-alone kit, A4: <iso3>-accession-<instrument>-<lang>.pdf
    pocket_html(dataset, "NPL")                     # frontline pocket guide, A6: <iso3>-pocket-<lang>.pdf
    kit_views(dataset, country, outline)            # the kits as a chapter of the country toolkit

Every sentence comes from the YAML: content through `analysis` (accession_kits, pocket_guide), interface
labels through the interface strings (`toolkit_data/i18n/<lang>.yaml`). The templates hold layout only.
Checklist checkboxes are fillable form fields named `accession.<instrument>.<step>`.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import __version__, analysis
from ..dataset import Dataset
from ..i18n import ENGLISH, Translator
from ..localizer import Localizer
from ..model import Country, Instrument, JoiningStep
from ..text import plain
from . import render
from .context import AUTHOR, FieldView, Heading, Outline, SourceView, UnknownCountry, merge_sources, ref_label
from .edition import DIGITS, css_fonts
from .fetcher import ASSETS

POCKET_STYLESHEET = ASSETS / "pocket.css"
POCKET_PAPER = "a6"  # the `paper` of a pocket guide job: A6, laid out with pocket.css instead of toolkit.css


class UnknownInstrument(LookupError):
    """No instrument with that id in the content."""


# ---------------------------------------------------------------- text in the document's language


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


# ---------------------------------------------------------------- accession kits


@dataclass(frozen=True)
class KitView:
    kit: analysis.AccessionKit
    heading: Heading | None  # in the country toolkit; None in the stand-alone kit
    checklist: tuple[tuple[FieldView, JoiningStep], ...]  # a checkbox per step

    @property
    def instrument(self) -> Instrument:
        return self.kit.instrument


def kit_view(kit: analysis.AccessionKit, heading: Heading | None = None) -> KitView:
    instrument = kit.instrument
    checklist = tuple(
        (
            FieldView(
                f"accession.{instrument.id}.{step.id}",
                f"{plain(instrument.abbreviation)}: {plain(step.title)}",
                "checkbox",
            ),
            step,
        )
        for step in kit.steps
    )
    return KitView(kit, heading, checklist)


def kit_views(ds: Dataset, country: Country, outline: Outline) -> list[KitView]:
    """The country's kits as sections of its toolkit, registered in its outline."""
    return [
        kit_view(kit, outline.add(2, f"accession-{kit.instrument.id}", plain(kit.instrument.short_title)))
        for kit in analysis.accession_kits(ds, country)
    ]


@dataclass
class ProductDoc:
    """What a short product PDF shows besides its body: metadata, running title, sources."""

    lang: str
    country: Country
    title: str
    running_title: str
    subject: str
    keywords: tuple[str, ...]
    edition: date | None
    version: str = __version__
    author: str = AUTHOR
    sources: list[SourceView] = field(default_factory=list)
    direction: str = "ltr"


def _country(ds: Dataset, iso3: str) -> Country:
    country = ds.countries.get(iso3.lower())
    if country is None:
        raise UnknownCountry(iso3)
    return country


def accession_context(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> dict[str, Any]:
    """Everything the stand-alone kit shows."""
    country = _country(ds, iso3)
    instrument = ds.instruments.get(instrument_id)
    if instrument is None:
        raise UnknownInstrument(instrument_id)
    l10n = Localizer(Translator(ds, lang), plain_fields=True)
    kit = analysis.accession_kit(ds, country, instrument)
    rows = [item.row.assessment for item in kit.prerequisites if item.row.assessment]
    items = [instrument, kit.cell.record, *(p.row.provision for p in kit.prerequisites), *rows]
    items = [item for item in items if item is not None]
    name = l10n.trs(country, "name")
    title = l10n.ts("kit.pdf_title", instrument=plain(instrument.short_title), country=name)
    doc = ProductDoc(
        lang=lang,
        country=country,
        title=title,
        running_title=f"{name}: {plain(instrument.abbreviation)}",
        subject=l10n.ts("kit.doc_subject", instrument=plain(instrument.title), country=name),
        keywords=(
            "accession",
            "ratification",
            plain(instrument.abbreviation),
            name,
            country.id.upper(),
            "legislative prerequisites",
        ),
        edition=analysis.newest_reviewed(*items),
        sources=merge_sources(analysis.sources(*items)),
        direction=l10n.translator.direction,
    )
    return {"doc": doc, "kv": kit_view(kit), "joined": kit.cell.joined}


# ---------------------------------------------------------------- pocket guide


def pocket_context(ds: Dataset, iso3: str, lang: str = ENGLISH) -> dict[str, Any]:
    """Everything a country's pocket guide shows."""
    country = _country(ds, iso3)
    guide = analysis.pocket_guide(ds, country)
    if guide is None:
        raise LookupError("no frontline guide in the content (toolkit_data/frontline/frontline.yaml)")
    l10n = Localizer(Translator(ds, lang), plain_fields=True)
    name = l10n.trs(country, "name")
    doc = ProductDoc(
        lang=lang,
        country=country,
        title=l10n.ts("pocket.doc_title", country=name),
        running_title=name,
        subject=l10n.ts("pocket.doc_subject", country=name),
        keywords=(
            "trafficking in persons",
            "smuggling of migrants",
            "frontline",
            "border",
            "indicators",
            name,
            country.id.upper(),
        ),
        edition=analysis.newest_reviewed(guide.guide, *guide.contacts, *(c for _, cs in guide.neighbours for c in cs)),
        sources=merge_sources(analysis.sources(guide.guide)),
        direction=l10n.translator.direction,
    )
    sections = analysis.frontline_sections(guide.guide)
    unconfirmed = guide.guide.confidence.value == "low" or any(s.confidence.value == "low" for _, s in sections)
    return {
        "doc": doc,
        "g": guide,
        "sections": sections,
        "unconfirmed": unconfirmed,
        "fonts": css_fonts(lang),
        "digits": DIGITS.get(lang, "decimal"),
    }


# ---------------------------------------------------------------- HTML and PDF


def accession_html(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> str:
    """The stand-alone accession kit as HTML (A4, laid out with the toolkit's stylesheet)."""
    context = accession_context(ds, iso3, instrument_id, lang)
    return render._environment().get_template("accession_kit.html.j2").render(**context, **template_functions(ds, lang))


def pocket_html(ds: Dataset, iso3: str, lang: str = ENGLISH) -> str:
    """A country's pocket guide as HTML (A6, laid out with pocket.css)."""
    context = pocket_context(ds, iso3, lang)
    return render._environment().get_template("pocket.html.j2").render(**context, **template_functions(ds, lang))


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
            url_fetcher=render._fetcher(),
            font_config=render._font_config(),
        ),
    )


def pocket_to_pdf(html: str) -> bytes:
    """Lay out pocket guide HTML: A6, pocket.css, the toolkit's fetcher, fonts and PDF options."""
    digest = hashlib.sha256(html.encode("utf-8") + b"\0" + _pocket_text().encode("utf-8")).hexdigest()[:32]
    return render.lay_out(html, POCKET_STYLESHEET, _pocket_stylesheets(), digest.encode("ascii"))


def layout(html: str, paper: str) -> bytes:
    """PDF bytes for any job's HTML: the pocket guide's own layout for `a6`, the toolkit's for the rest."""
    return pocket_to_pdf(html) if paper == POCKET_PAPER else render.html_to_pdf(html, paper)


def render_accession(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> bytes:
    return render.html_to_pdf(accession_html(ds, iso3, instrument_id, lang), "a4")


def render_pocket(ds: Dataset, iso3: str, lang: str = ENGLISH) -> bytes:
    return pocket_to_pdf(pocket_html(ds, iso3, lang))
