"""The views of the two short products, and of the accession kits inside a country toolkit.

    kit_views(dataset, country, outline)            # the kits as a chapter of the country toolkit
    accession_view(dataset, "NPL", "som-protocol")  # what the stand-alone kit shows
    pocket_view(dataset, "NPL", "ne")               # what the frontline pocket guide shows

Every sentence comes from the YAML: content through `analysis` (accession_kits, pocket_guide), interface
labels through the interface strings (`toolkit_data/i18n/<lang>.yaml`). Checklist checkboxes are fillable form
fields named `accession.<instrument>.<step>`. Engine-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import __version__, analysis
from ..dataset import Dataset
from ..i18n import ENGLISH, Translator, review_counts
from ..localizer import Localizer
from ..model import Country, Instrument, JoiningStep
from ..text import plain
from .common import (
    AUTHOR,
    FieldView,
    Heading,
    Outline,
    SourceView,
    UnknownInstrument,
    find_country,
    merge_sources,
)


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


def accession_view(ds: Dataset, iso3: str, instrument_id: str, lang: str = ENGLISH) -> dict[str, Any]:
    """Everything the stand-alone accession kit shows."""
    country = find_country(ds, iso3)
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


def pocket_view(ds: Dataset, iso3: str, lang: str = ENGLISH) -> dict[str, Any]:
    """Everything a country's pocket guide shows (its layout adds the script's fonts)."""
    country = find_country(ds, iso3)
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
    review = review_counts(ds, lang) if lang != ENGLISH else None  # a translation says how far it was checked
    return {"doc": doc, "g": guide, "sections": sections, "unconfirmed": unconfirmed, "review": review}
