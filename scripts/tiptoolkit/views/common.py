"""What every view shares: headings and their outline, form fields, cited sources, reference labels, errors.

Engine-free: nothing here imports a template engine, WeasyPrint or MkDocs; the PDF, Word and spreadsheet code
and the site all build on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import analysis
from ..dataset import Dataset, site_url
from ..model import CHECKLIST_ANSWERS, ChecklistAnswers, Country, Coverage, ModelLaw, Provision, Source, Standard
from ..selfassessment import NOTES, checklist_field_name
from ..text import plain

AUTHOR = "Counter-Trafficking Toolkit project"
COVERAGE_LABELS = {
    Coverage.FULL: "Covered",
    Coverage.PARTIAL: "Partly covered",
    Coverage.NONE: "Not covered",
    Coverage.NOT_APPLICABLE: "Not applicable",
    Coverage.UNKNOWN: "Not yet assessed",
}


class UnknownCountry(LookupError):
    """No country with that code in the content."""


class UnknownInstrument(LookupError):
    """No instrument with that id in the content."""


class UnsupportedLanguage(ValueError):
    """No document in that language for that country (or the region) yet."""


def find_country(ds: Dataset, iso3: str) -> Country:
    """The country of an ISO3 code in any case, or UnknownCountry."""
    country = ds.countries.get(iso3.lower())
    if country is None:
        raise UnknownCountry(iso3)
    return country


# ---------------------------------------------------------------- headings


@dataclass(frozen=True)
class Heading:
    level: int  # 1 chapter, 2 section, 3 entry (a model provision)
    id: str  # anchor, unique in the document
    number: str  # "4.2", or "" for level 3
    title: str  # plain text

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    @property
    def href(self) -> str:
        return f"#{self.id}"


class Outline:
    """Every heading that appears in the table of contents and the PDF bookmarks, in order."""

    def __init__(self) -> None:
        self.entries: list[Heading] = []
        self._ids: set[str] = set()
        self._chapter = 0
        self._section = 0

    def add(self, level: int, anchor: str, title: str) -> Heading:
        if anchor in self._ids:
            raise ValueError(f"duplicate anchor {anchor!r}")
        self._ids.add(anchor)
        if level == 1:
            self._chapter, self._section = self._chapter + 1, 0
            number = f"{self._chapter}"
        elif level == 2:
            self._section += 1
            number = f"{self._chapter}.{self._section}"
        else:
            number = ""
        heading = Heading(level, anchor, number, title)
        self.entries.append(heading)
        return heading


# ---------------------------------------------------------------- form fields and sources


@dataclass(frozen=True)
class FieldView:
    """One fillable PDF form field."""

    name: str
    label: str
    kind: str  # text, multiline, date, choice, checkbox
    value: str = ""
    choices: tuple[str, ...] = ()
    hint: str = ""
    required: bool = False
    sensitive: bool = False
    choice_labels: tuple[str, ...] = ()  # what a choice shows, when it differs from the value it saves

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-").replace("_", "-")


@dataclass(frozen=True)
class SourceView:
    """A source cited somewhere in the toolkit, with every pinpoint cited in it."""

    title: str
    issuer: str | None
    year: int | None
    url: str | None
    locators: tuple[str, ...]


@dataclass
class _Cited:
    title: str
    issuer: str | None
    year: int | None
    url: str | None
    locators: list[str]


def merge_sources(sources: list[Source]) -> list[SourceView]:
    """One entry per document, in first-seen order, its pinpoints merged.

    The same address is the same document whatever its title; the same title is the same document unless the two
    give different addresses (two copies of a statute stay two entries). Missing issuer, year or address is taken
    from a later citation of the same document.
    """
    cited: list[_Cited] = []
    by_url: dict[str, _Cited] = {}
    by_title: dict[str, _Cited] = {}
    for source in sources:
        url = source.url.rstrip("/") if source.url else None
        title = " ".join(source.title.casefold().split())
        entry = by_url.get(url) if url else None
        if entry is None and title in by_title and (url is None or by_title[title].url in (None, source.url)):
            entry = by_title[title]
        if entry is None:
            entry = _Cited(source.title, source.issuer, source.year, source.url, [])
            cited.append(entry)
        entry.issuer, entry.year, entry.url = (
            entry.issuer or source.issuer,
            entry.year or source.year,
            entry.url or source.url,
        )
        if url:
            by_url.setdefault(url, entry)
        by_title.setdefault(title, entry)
        if source.locator and source.locator not in entry.locators:
            entry.locators.append(source.locator)
    return [SourceView(e.title, e.issuer, e.year, e.url, tuple(e.locators)) for e in cited]


# ---------------------------------------------------------------- labels


def implements_labels(ds: Dataset, country: Country | None, provision: Provision) -> tuple[str, ...]:
    """The articles a model provision implements, as readers know them, among the instruments `country` may join
    (a regional edition: those of its region)."""
    return tuple(ref_label(ds, ref) for ref in analysis.refs_open_to(ds, country, provision.implements))


def ref_label(ds: Dataset, ref: str) -> str:
    """`tip-protocol/art-10` -> `TIP Protocol, Article 10` (`art-6(2)`: `Article 6(2)`); other ids as they are."""
    article = analysis.article_ref_label(ds, ref)
    if article:
        return article
    if ref in ds.provisions:
        return provision_title(ds.provision_law[ref], ds.provisions[ref], several=len(ds.model_laws) > 1)
    if ref in ds.standards:
        return ds.standards[ref].title
    return ref


def provision_url(law: ModelLaw, provision: Provision) -> str:
    """The provision's full text on the site."""
    return f"{site_url()}model-law/{law.id}/{provision.chapter}/#{provision.id}"


def provision_title(law: ModelLaw, provision: Provision, several: bool) -> str:
    prefix = f"{law.short_title}, art. {provision.number}" if several else f"Art. {provision.number}"
    return f"{prefix}: {plain(provision.title)}"


# ---------------------------------------------------------------- the victim protection checklist


CHECKLIST_CHOICES = ("", *CHECKLIST_ANSWERS)  # unanswered, yes, partly, no


def checklist_field(
    standard: Standard, item: str, label: str, answered: ChecklistAnswers | None, labels: tuple[str, ...] = ()
) -> FieldView:
    """A checklist item's answer (or, for `NOTES`, the standard's notes), pre-filled with the country's last answers."""
    name = checklist_field_name(standard.id, item)
    if item == NOTES:
        return FieldView(name, label, "multiline", (answered.note or "") if answered else "")
    value = answered.answers.get(item, "") if answered else ""
    return FieldView(name, label, "choice", value, choices=CHECKLIST_CHOICES, choice_labels=labels)
