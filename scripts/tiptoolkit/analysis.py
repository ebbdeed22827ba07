"""Pure functions from the Dataset to what a reader needs. The site and the PDFs both call these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from .dataset import Dataset, walk
from .model import (
    ActionPlan,
    Agreement,
    Article,
    Assessment,
    Confidence,
    Contact,
    Country,
    Coverage,
    Instrument,
    ModelLaw,
    Pillar,
    Provision,
    Ratification,
    Source,
    TreatyStatus,
)

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def article_label(instrument: Instrument, article: Article) -> str:
    """`Article 6`, or `Article IX` for an instrument numbered in Roman numerals."""
    number = ROMAN[article.number] if instrument.kind == "regional-convention" and article.number < len(ROMAN) else article.number
    return f"Article {number}"


def format_date(value: str | date | None) -> str:
    """`2014-08-14` -> `14 Aug 2014`; `2014-08` -> `Aug 2014`; `2014` -> `2014`."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else value
    parts = text.split("-")
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


# ---------------------------------------------------------------- ratifications


@dataclass(frozen=True)
class RatificationCell:
    country: Country
    instrument: Instrument
    record: Ratification | None

    @property
    def status(self) -> TreatyStatus:
        return self.record.status if self.record else TreatyStatus.UNKNOWN

    @property
    def joined(self) -> bool:
        return self.status is TreatyStatus.PARTY

    @property
    def date(self) -> str | None:
        """The date that made the State a party (deposit), or of its signature if it has only signed."""
        if not self.record:
            return None
        if self.status is TreatyStatus.SIGNATORY:
            return self.record.signed
        return self.record.deposited

    @property
    def label(self) -> str:
        """Short text for a matrix cell: `Party (accession, Aug 2014)`."""
        if not self.record:
            return "No record"
        status = {"party": "Party", "signatory": "Signed", "not-party": "Not yet party", "unknown": "Unknown"}[self.status.value]
        details = []
        if self.record.action:
            details.append(self.record.action.value)
        if self.date:
            details.append(format_date(self.date))
        return f"{status} ({', '.join(details)})" if details else status

    @property
    def uncertain(self) -> bool:
        return bool(self.record and self.record.confidence is Confidence.LOW)


def instruments_in_order(ds: Dataset) -> list[Instrument]:
    """UNTOC first, then its Protocols, then regional conventions."""
    rank = {"convention": 0, "protocol": 1, "regional-convention": 2}
    return sorted(ds.instruments.values(), key=lambda i: (rank[i.kind], i.entry_into_force, i.id))


def countries_in_order(ds: Dataset) -> list[Country]:
    return sorted(ds.countries.values(), key=lambda c: c.name)


def ratification(ds: Dataset, country: Country, instrument: Instrument) -> RatificationCell:
    record = next((r for r in country.ratifications if r.instrument == instrument.id), None)
    return RatificationCell(country, instrument, record)


def ratification_matrix(ds: Dataset) -> list[list[RatificationCell]]:
    """One row per country, one cell per instrument."""
    instruments = instruments_in_order(ds)
    return [[ratification(ds, country, instrument) for instrument in instruments] for country in countries_in_order(ds)]


def not_joined(ds: Dataset, country: Country) -> list[RatificationCell]:
    """Instruments the country is not (yet) party to, from its records."""
    return [cell for cell in (ratification(ds, country, i) for i in instruments_in_order(ds)) if not cell.joined]


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    instrument: Instrument
    what: str  # "signed", "ratification", "accession", ...
    uncertain: bool


def timeline(ds: Dataset, country: Country) -> list[TimelineEvent]:
    """Signatures and deposits in date order."""
    events = []
    for cell in (ratification(ds, country, i) for i in instruments_in_order(ds)):
        record = cell.record
        if not record:
            continue
        low = record.confidence is Confidence.LOW
        if record.signed:
            events.append(TimelineEvent(record.signed, cell.instrument, "signature", low))
        if record.deposited and record.action:
            events.append(TimelineEvent(record.deposited, cell.instrument, record.action.value, low))
    return sorted(events, key=lambda e: (e.date, e.instrument.id))


# ---------------------------------------------------------------- coverage and gaps


@dataclass(frozen=True)
class CoverageRow:
    key: str  # full provision id
    law: ModelLaw
    provision: Provision
    assessment: Assessment | None

    @property
    def coverage(self) -> Coverage:
        return self.assessment.coverage if self.assessment else Coverage.UNKNOWN

    @property
    def is_gap(self) -> bool:
        """Known not to be (fully) covered."""
        return self.coverage in (Coverage.NONE, Coverage.PARTIAL)

    @property
    def needs_assessment(self) -> bool:
        return self.coverage is Coverage.UNKNOWN


def all_provisions(ds: Dataset) -> list[tuple[str, ModelLaw, Provision]]:
    return [
        (f"{law.id}/{provision.id}", law, provision)
        for law in sorted(ds.model_laws.values(), key=lambda law: law.id, reverse=True)  # trafficking first
        for provision in sorted(law.provisions, key=lambda p: p.number)
    ]


def coverage(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Every model provision with the country's assessment of it (None if not assessed)."""
    assessed = {assessment.provision: assessment for assessment in country.coverage}
    return [CoverageRow(key, law, provision, assessed.get(key)) for key, law, provision in all_provisions(ds)]


def coverage_counts(rows: Iterable[CoverageRow], mandatory_only: bool = True) -> Counter[Coverage]:
    return Counter(row.coverage for row in rows if row.provision.mandatory or not mandatory_only)


def gaps(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Provisions the country's law is known not to cover, or covers only in part."""
    return [row for row in coverage(ds, country) if row.is_gap]


def to_assess(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Mandatory provisions whose coverage nobody has assessed yet."""
    return [row for row in coverage(ds, country) if row.needs_assessment and row.provision.mandatory]


def gaps_by_pillar(ds: Dataset, country: Country) -> dict[Pillar, tuple[int, int]]:
    """Pillar -> (known gaps, mandatory provisions not yet assessed)."""
    rows = coverage(ds, country)
    return {
        pillar: (
            sum(1 for r in rows if r.provision.pillar is pillar and r.is_gap),
            sum(1 for r in rows if r.provision.pillar is pillar and r.needs_assessment and r.provision.mandatory),
        )
        for pillar in Pillar
        if any(r.provision.pillar is pillar for r in rows)
    }


def heatmap(ds: Dataset) -> list[tuple[str, Provision, list[CoverageRow]]]:
    """One row per mandatory provision, one cell per country (in country order)."""
    countries = countries_in_order(ds)
    per_country = {c.id: {row.key: row for row in coverage(ds, c)} for c in countries}
    return [
        (key, provision, [per_country[c.id][key] for c in countries])
        for key, _law, provision in all_provisions(ds)
        if provision.mandatory
    ]


def implementing(ds: Dataset, article_key: str) -> list[tuple[str, Provision]]:
    """Model provisions that implement an article."""
    return [(key, provision) for key, _law, provision in all_provisions(ds) if article_key in provision.implements]


# ---------------------------------------------------------------- plans, agreements, contacts


def plans_newest_first(country: Country) -> list[ActionPlan]:
    return sorted(country.action_plans, key=lambda p: (p.start or p.end or 0, p.end or 0), reverse=True)


def current_plan(country: Country) -> ActionPlan | None:
    """The plan in force, else the most recent one."""
    plans = sorted(country.action_plans, key=lambda p: (p.status == "in-force", p.end or 0, p.start or 0))
    return plans[-1] if plans else None


def agreements(ds: Dataset, country: Country) -> list[Agreement]:
    """Agreements the country is party to, recorded in its file or a partner's, once each."""
    found: dict[str, Agreement] = {}
    for other in countries_in_order(ds):
        for agreement in other.agreements:
            if country.id.upper() in agreement.parties:
                found.setdefault(agreement.id, agreement)
    return sorted(found.values(), key=lambda a: (a.signed or "", a.id))


def neighbour_contacts(ds: Dataset, country: Country) -> list[tuple[Country, list[Contact]]]:
    """Contact agencies of the country's neighbours that are in the data."""
    neighbours = [ds.countries[code.lower()] for code in country.neighbours if code.lower() in ds.countries]
    return [(neighbour, neighbour.contacts) for neighbour in neighbours]


# ---------------------------------------------------------------- provenance


def sources(*items: BaseModel) -> list[Source]:
    """Every distinct source cited in `items` and everything nested in them, in first-seen order."""
    seen: dict[tuple, Source] = {}
    for item in items:
        for node in walk(item):
            for source in getattr(node, "sources", None) or []:
                seen.setdefault((source.title, source.url, source.locator), source)
            if isinstance(getattr(node, "source", None), Source):
                seen.setdefault((node.source.title, node.source.url, node.source.locator), node.source)
    return list(seen.values())


def last_reviewed(*items: BaseModel) -> date | None:
    """The oldest review date among `items` and what they contain: the page is as fresh as its stalest fact."""
    dates = [node.last_reviewed for item in items for node in walk(item) if getattr(node, "last_reviewed", None)]
    return min(dates) if dates else None


def newest_reviewed(*items: BaseModel) -> date | None:
    """The newest review date among `items` and what they contain: the edition date of a document built from them."""
    dates = [node.last_reviewed for item in items for node in walk(item) if getattr(node, "last_reviewed", None)]
    return max(dates) if dates else None


# ---------------------------------------------------------------- freshness

STALE_AFTER_DAYS = 365


def stale_since(item: BaseModel | None, now: date, days: int = STALE_AFTER_DAYS) -> date | None:
    """The item's `last_reviewed` when that is more than `days` days before `now`, else None."""
    reviewed = getattr(item, "last_reviewed", None)
    if not isinstance(reviewed, date):
        return None
    return reviewed if (now - reviewed).days > days else None
