"""Pure functions from the Dataset to what a reader needs. The site and the PDFs both call these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

from pydantic import BaseModel

from .dataset import Dataset, article_key, walk
from .model import (
    CHECKLIST_ANSWERS,
    ActionPlan,
    Agreement,
    Article,
    Assessment,
    ChecklistAnswers,
    Confidence,
    Contact,
    Country,
    Coverage,
    DifferenceTable,
    FormField,
    FrontlineGuide,
    GuideSection,
    Instrument,
    JoiningStep,
    ModelLaw,
    Obligation,
    Pillar,
    Provision,
    Ratification,
    ReferralForm,
    RegionProfile,
    Reservation,
    SopStep,
    Source,
    SourceKind,
    Standard,
    Term,
    TreatyAction,
    TreatyStatus,
)
from .regions import REGION_NAMES, country_name

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def article_label(instrument: Instrument, article: Article) -> str:
    """`Article 6`, or `Article IX` for an instrument numbered in Roman numerals."""
    number = ROMAN[article.number] if instrument.numerals == "roman" and article.number < len(ROMAN) else article.number
    return f"Article {number}"


def article_ref_label(ds: Dataset, ref: str) -> str | None:
    """`tip-protocol/art-6` -> `TIP Protocol, Article 6`; `tip-protocol/art-6(2)` -> `TIP Protocol, Article 6(2)`."""
    key = article_key(ref)
    if key not in ds.articles or (ref != key and ref not in ds.paragraphs):
        return None
    instrument = ds.article_instrument[key]
    return f"{instrument.abbreviation}, {article_label(instrument, ds.articles[key])}{ref[len(key) :]}"


MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)  # as format_date writes them


def format_date(value: str | date | None, months: Sequence[str] = MONTHS) -> str:
    """`2014-08-14` -> `14 Aug 2014`; `2014-08` -> `Aug 2014`; `2014` -> `2014`; `months`: the names to use."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else value
    parts = text.split("-")
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
    def applicable(self) -> bool:
        """Whether the country may join the instrument at all (a matrix shows the other cells as not applicable)."""
        return open_to(self.instrument, self.country.id.upper())

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
        if not self.applicable:
            return "Not open to it"
        if not self.record:
            return "No record"
        status = {"party": "Party", "signatory": "Signed", "not-party": "Not yet party", "unknown": "Unknown"}[
            self.status.value
        ]
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


def open_to(instrument: Instrument, iso3: str) -> bool:
    """Whether the State `iso3` may join `instrument`: every State may, unless the instrument names who may."""
    return instrument.open_to is None or iso3 in instrument.open_to


def instruments_open_to(ds: Dataset, country: Country) -> list[Instrument]:
    """The instruments `country` may join, in order: the only ones it is assessed, counted and offered kits for."""
    return [instrument for instrument in instruments_in_order(ds) if open_to(instrument, country.id.upper())]


def refs_open_to(ds: Dataset, country: Country | None, refs: Iterable[str]) -> list[str]:
    """`refs` into the instruments `country` may join: the legal basis it can invoke. For a regional edition
    (`country` None, `ds` narrowed by `region_dataset`), the refs into the instruments of its region."""

    def open_here(ref: str) -> bool:
        instrument = ds.article_instrument.get(article_key(ref)) or ds.instruments.get(ref.partition("/")[0])
        if instrument is None:  # not an instrument's article: nothing to filter
            return True
        return instrument.id in ds.instruments and (country is None or open_to(instrument, country.id.upper()))

    return [ref for ref in refs if open_here(ref)]


def glossary_terms(ds: Dataset, country: Country | None) -> list[Term]:
    """The glossary of an edition: without the terms that name an instrument its readers may not join or the
    organisation of a region it does not cover (`country` None: a regional edition, `ds` narrowed)."""
    if ds.glossary is None:
        return []
    # Every instrument of the content: the index of articles is shared by a dataset `region_dataset` narrowed.
    every_instrument = {instrument.id for instrument in ds.article_instrument.values()}
    joinable = {i.id for i in (instruments_open_to(ds, country) if country else ds.instruments.values())}
    covered = {country.region} if country else {c.region for c in ds.countries.values()}
    elsewhere = {o.id for r in ds.regions.values() if r.id not in covered for o in r.organisations}
    hidden = (every_instrument - joinable) | elsewhere
    return [term for term in ds.glossary.terms if term.id not in hidden]


def region_name(ds: Dataset, region: str) -> str:
    """A region's name for readers: from its file when it has one (`South-East Asia`), else its UN M49 name."""
    profile = ds.regions.get(region)
    return profile.name if profile else REGION_NAMES.get(region, region)


def region_names(ds: Dataset) -> list[str]:
    """The names of the regions the content's countries are in, alphabetically."""
    return sorted({region_name(ds, country.region) for country in ds.countries.values()})


def region_dataset(ds: Dataset, region: str) -> Dataset:
    """The content narrowed to one region: its countries, and the instruments open to any of them. What a regional
    edition and a region's comparisons are made from; everything else (model laws, shared texts) is shared."""
    countries = {key: c for key, c in ds.countries.items() if c.region == region}
    members = {key.upper() for key in countries}
    instruments = {key: i for key, i in ds.instruments.items() if i.open_to is None or members.intersection(i.open_to)}
    return replace(ds, countries=countries, instruments=instruments)


@dataclass(frozen=True)
class RegionView:
    """A region as readers meet it: what its file says (when it has one) and its part of the content. Its lists are
    computed once: templates read them several times."""

    id: str
    name: str
    profile: RegionProfile | None
    dataset: Dataset  # narrowed by `region_dataset`

    @cached_property
    def countries(self) -> list[Country]:
        return countries_in_order(self.dataset)

    @cached_property
    def instruments(self) -> list[Instrument]:
        return instruments_in_order(self.dataset)

    @cached_property
    def regional_instruments(self) -> list[Instrument]:
        """The instruments only some States may join: the region's own treaties."""
        return [i for i in self.instruments if i.open_to is not None]

    @cached_property
    def matrix(self) -> list[list[RatificationCell]]:
        return ratification_matrix(self.dataset)

    @property
    def pdf_stems(self) -> list[str]:
        """The names its regional toolkit is published under: `region-<id>`, and its older name if it has one."""
        alias = [self.profile.pdf_alias] if self.profile and self.profile.pdf_alias else []
        return [region_stem(self.id), *alias]


def region_stem(region: str) -> str:
    """`region-south-asia`: the file stem of a region's toolkit (before the language)."""
    return f"region-{region}"


def regions(ds: Dataset) -> list[RegionView]:
    """Every region the content's countries are in, by name."""
    ids = {country.region for country in ds.countries.values()}
    views = [RegionView(r, region_name(ds, r), ds.regions.get(r), region_dataset(ds, r)) for r in ids]
    return sorted(views, key=lambda view: view.name)


def countries_in_order(ds: Dataset) -> list[Country]:
    return sorted(ds.countries.values(), key=lambda c: c.name)


def ratification(country: Country, instrument: Instrument) -> RatificationCell:
    record = next((r for r in country.ratifications if r.instrument == instrument.id), None)
    return RatificationCell(country, instrument, record)


def ratification_matrix(ds: Dataset) -> list[list[RatificationCell]]:
    """One row per country, one cell per instrument."""
    instruments = instruments_in_order(ds)
    return [[ratification(country, instrument) for instrument in instruments] for country in countries_in_order(ds)]


def not_joined(ds: Dataset, country: Country) -> list[RatificationCell]:
    """Instruments the country is not (yet) party to, from its records."""
    return [cell for cell in (ratification(country, i) for i in instruments_open_to(ds, country)) if not cell.joined]


@dataclass(frozen=True)
class TimelineEvent:
    date: str
    instrument: Instrument
    what: str  # "signed", "ratification", "accession", ...
    uncertain: bool


def timeline(ds: Dataset, country: Country) -> list[TimelineEvent]:
    """Signatures and deposits in date order."""
    events = []
    for cell in (ratification(country, i) for i in instruments_open_to(ds, country)):
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

    @property
    def uncertain(self) -> bool:
        """An assessment made with low confidence: the one case where a reader needs the warning."""
        return self.assessment is not None and self.is_assessed and self.assessment.confidence is Confidence.LOW

    @property
    def is_assessed(self) -> bool:
        return self.coverage in (Coverage.FULL, Coverage.PARTIAL, Coverage.NONE)

    @property
    def from_statute(self) -> bool:
        """Assessed (full, partial or none) against the text of the law itself, not only reports about it."""
        return (
            self.assessment is not None
            and self.is_assessed
            and any(source.kind is SourceKind.STATUTE for source in self.assessment.sources)
        )


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


@dataclass(frozen=True)
class Assessed:
    """How much of a country's law has been read against the mandatory provisions: `n` of `m`."""

    from_statute: int
    mandatory: int


def assessed(ds: Dataset, country: Country) -> Assessed:
    mandatory = [
        row for row in coverage(ds, country) if row.provision.mandatory and row.coverage is not Coverage.NOT_APPLICABLE
    ]
    return Assessed(sum(1 for row in mandatory if row.from_statute), len(mandatory))


def coverage_table(ds: Dataset, country: Country) -> list[CoverageRow]:
    """What a country's coverage table shows: every mandatory provision, and recommended ones that were assessed."""
    return [row for row in coverage(ds, country) if row.provision.mandatory or row.is_assessed]


def gaps(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Provisions the country's law is known not to cover, or covers only in part."""
    return [row for row in coverage(ds, country) if row.is_gap]


def to_assess(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Mandatory provisions whose coverage nobody has assessed yet."""
    return [row for row in coverage(ds, country) if row.needs_assessment and row.provision.mandatory]


def checklist_answers(country: Country) -> dict[str, ChecklistAnswers]:
    """The country's own answers to the victim protection checklist, by standard (`vps/<id>`)."""
    return {record.standard: record for record in country.protection_checklist}


@dataclass(frozen=True)
class AnsweredStandard:
    standard: Standard
    record: ChecklistAnswers

    @property
    def counts(self) -> tuple[int, ...]:
        """How many items were answered yes, partly and no (`CHECKLIST_ANSWERS` order)."""
        given = list(self.record.answers.values())
        return tuple(given.count(answer) for answer in CHECKLIST_ANSWERS)


def answered_checklist(ds: Dataset, country: Country) -> list[AnsweredStandard]:
    """The standards the country has answered the checklist of, in the standards' order."""
    answers = checklist_answers(country)
    return [AnsweredStandard(ds.standards[key], answers[key]) for key in ds.standards if key in answers]


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


def articles_implemented(provision: Provision) -> set[str]:
    """The articles a provision implements, whole or in one of their paragraphs."""
    return {article_key(ref) for ref in provision.implements}


def implementing(ds: Dataset, article_id: str) -> list[tuple[str, Provision]]:
    """Model provisions that implement an article."""
    return [
        (key, provision) for key, _law, provision in all_provisions(ds) if article_id in articles_implemented(provision)
    ]


# Criminalisation and victim protection first: what a State is most often found in breach of, and what protects people.
PILLAR_PRIORITY = {
    Pillar.PROSECUTION: 0,
    Pillar.PROTECTION: 1,
    Pillar.PREVENTION: 2,
    Pillar.PARTNERSHIP: 3,
    Pillar.COORDINATION: 4,
    Pillar.MONITORING: 5,
}


def ranked_gaps(ds: Dataset, country: Country) -> list[CoverageRow]:
    """Known gaps, most pressing first: mandatory before recommended, criminalisation and victim protection before
    the other pillars, a provision with no coverage before one covered in part, then the model laws' own order."""
    rows = coverage(ds, country)
    order = {row.key: index for index, row in enumerate(rows)}
    return sorted(
        (row for row in rows if row.is_gap),
        key=lambda row: (
            not row.provision.mandatory,
            PILLAR_PRIORITY[row.provision.pillar],
            row.coverage is not Coverage.NONE,
            order[row.key],
        ),
    )


@dataclass(frozen=True)
class Step:
    """A recommended next step. `topic` says where a document develops it: `accession/<instrument id>`, `gaps`,
    `action-plan` or `self-assessment`; each output format maps it to its own page or anchor."""

    topic: str
    title: str
    detail: str


def next_steps(ds: Dataset, country: Country, limit: int = 5) -> list[Step]:
    """Three to five things the government can decide next, from its own data, most pressing first."""
    steps = []
    gaps = [row for row in ranked_gaps(ds, country) if row.provision.mandatory]
    if gaps:
        first = "; ".join(
            f"{row.law.short_title} art. {row.provision.number} ({row.provision.title})" for row in gaps[:3]
        )
        steps.append(
            Step("gaps", f"Amend the law to close {len(gaps)} gaps in mandatory provisions", f"Start with {first}.")
        )
    for cell in not_joined(ds, country):
        route = (
            "Ratify" if cell.record and (cell.record.signed or cell.status is TreatyStatus.SIGNATORY) else "Accede to"
        )
        steps.append(
            Step(
                f"accession/{cell.instrument.id}",
                f"{route} the {cell.instrument.short_title}",
                f"{cell.label}. The accession kit sets out the steps, the declarations allowed and the laws needed first.",
            )
        )
    plan = current_plan(country)
    if plan is None or plan.status != "in-force":
        why = (
            f"The last plan recorded, {plan.title}, is {plan.status}."  # expired, draft or unknown: not in force
            if plan
            else "No plan is recorded."
        )
        steps.append(Step("action-plan", "Adopt a national action plan that addresses the gaps", why))
    unknown = to_assess(ds, country)
    if unknown:
        steps.append(
            Step(
                "self-assessment",
                f"Assess the {len(unknown)} mandatory provisions not yet assessed",
                "Record the national provision and how far it goes in the self-assessment table, and send it back.",
            )
        )
    return steps[:limit]


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


# ---------------------------------------------------------------- accession kits


def binding_articles(instrument: Instrument) -> list[Article]:
    """Articles that bind a party: obligation `mandatory`, or at least one paragraph that is."""
    return [
        article
        for article in instrument.articles
        if article.obligation is Obligation.MANDATORY
        or any(paragraph.obligation is Obligation.MANDATORY for paragraph in article.paragraphs)
    ]


IN_PLACE, TO_PASS, TO_VERIFY = "in-place", "to-pass", "to-verify"


@dataclass(frozen=True)
class Prerequisite:
    """A mandatory model provision that implements a binding article, against the country's law."""

    row: CoverageRow
    articles: tuple[str, ...]  # full ids of the instrument's binding articles it implements

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def state(self) -> str:
        """`in-place` (covered in full), `to-pass` (not or partly covered), `to-verify` (not assessed)."""
        return {Coverage.FULL: IN_PLACE, Coverage.UNKNOWN: TO_VERIFY}.get(self.row.coverage, TO_PASS)


@dataclass(frozen=True)
class AccessionKit:
    """What joining one instrument involves for one country that has not joined it."""

    country: Country
    instrument: Instrument
    cell: RatificationCell  # the country's record for the instrument
    route: TreatyAction  # ratification when the country signed (a signature date, or status signatory), else accession
    steps: tuple[JoiningStep, ...]  # the instrument's steps for that route, in order
    reservations: tuple[Reservation, ...]
    prerequisites: tuple[Prerequisite, ...]
    unimplemented: tuple[str, ...]  # binding articles that no mandatory model provision implements
    precondition: RatificationCell | None  # for a Protocol: the country's record for the parent Convention

    @property
    def id(self) -> str:
        return self.instrument.id

    @property
    def precondition_met(self) -> bool:
        return self.precondition is None or self.precondition.joined

    def by_state(self, state: str) -> list[Prerequisite]:
        return [item for item in self.prerequisites if item.state == state]

    @property
    def in_place(self) -> list[Prerequisite]:
        return self.by_state(IN_PLACE)

    @property
    def to_pass(self) -> list[Prerequisite]:
        return self.by_state(TO_PASS)

    @property
    def to_verify(self) -> list[Prerequisite]:
        return self.by_state(TO_VERIFY)


def accession_kit(ds: Dataset, country: Country, instrument: Instrument) -> AccessionKit:
    """The kit for one instrument (whether or not the country has joined it: see `accession_kits`)."""
    cell = ratification(country, instrument)
    signed = cell.record is not None and (cell.record.signed is not None or cell.status is TreatyStatus.SIGNATORY)
    route = TreatyAction.RATIFICATION if signed else TreatyAction.ACCESSION
    binding = [f"{instrument.id}/{article.id}" for article in binding_articles(instrument)]
    rows = {row.key: row for row in coverage(ds, country)}
    prerequisites, implemented = [], set()
    for key, _law, provision in all_provisions(ds):
        articles = tuple(ref for ref in binding if ref in articles_implemented(provision))
        if not (provision.mandatory and articles):
            continue
        implemented.update(articles)
        if rows[key].coverage is not Coverage.NOT_APPLICABLE:  # sea measures in a landlocked State: no prerequisite
            prerequisites.append(Prerequisite(rows[key], articles))
    parent = ds.instruments.get(instrument.parent)  # None for a convention (no parent) or one not in the content
    return AccessionKit(
        country=country,
        instrument=instrument,
        cell=cell,
        route=route,
        steps=tuple(step for step in instrument.joining_steps if step.route in ("any", route.value)),
        reservations=tuple(instrument.reservations_allowed),
        prerequisites=tuple(prerequisites),
        unimplemented=tuple(ref for ref in binding if ref not in implemented),
        precondition=ratification(country, parent) if parent else None,
    )


def accession_kits(ds: Dataset, country: Country) -> list[AccessionKit]:
    """One kit per instrument the country is not (yet) party to, from its ratification records, in instrument order."""
    return [accession_kit(ds, country, cell.instrument) for cell in not_joined(ds, country)]


def accession_stem(country: Country, instrument: Instrument, lang: str = "en") -> str:
    """File stem of a stand-alone accession kit PDF: `npl-accession-som-protocol-en`."""
    return f"{country.id}-accession-{instrument.id}-{lang}"


# ---------------------------------------------------------------- frontline pocket guide


FRONTLINE_SECTIONS = (
    "trafficking_indicators",
    "smuggling_indicators",
    "differences",
    "first_steps",
    "never",
    "child_safeguards",
)


def frontline_sections(guide: FrontlineGuide) -> list[tuple[str, GuideSection | DifferenceTable]]:
    """The guide's shared sections in reading order, each with a stable anchor (`trafficking-indicators`)."""
    return [(name.replace("_", "-"), getattr(guide, name)) for name in FRONTLINE_SECTIONS]


@dataclass(frozen=True)
class PocketGuide:
    """A country's frontline pocket guide: the shared guide plus whom to call and what the form asks."""

    country: Country
    guide: FrontlineGuide
    contacts: tuple[Contact, ...]  # agencies in the country
    neighbours: tuple[tuple[Country, tuple[Contact, ...]], ...]  # neighbours in the data, with their agencies
    missing_neighbours: tuple[str, ...]  # names of neighbours the toolkit has no data for
    form: ReferralForm
    essential_fields: tuple[FormField, ...]  # the referral form's fields marked `essential`, in form order
    steps: tuple[SopStep, ...]  # the cooperation procedure's steps the frontline officer takes

    @property
    def items(self) -> list[BaseModel]:
        """Everything the guide shows, for its sources and review dates."""
        return [self.guide, self.country, *(c for _, contacts in self.neighbours for c in contacts)]


def frontline_steps(ds: Dataset) -> list[SopStep]:
    """The cooperation procedure's steps that the frontline guide lists (`sop_steps`), in its order."""
    if ds.frontline is None or ds.cooperation is None:
        return []
    steps = {step.id: step for step in ds.cooperation.steps}
    return [steps[step] for step in ds.frontline.sop_steps if step in steps]


def essential_fields(ds: Dataset) -> list[FormField]:
    """The referral form's fields marked `essential` (filled in at the point of detection), in form order."""
    if ds.cooperation is None:
        return []
    return [f for section in ds.cooperation.referral_form.sections for f in section.fields if f.essential]


def pocket_guide(ds: Dataset, country: Country) -> PocketGuide | None:
    """The pocket guide of a country, or None when the frontline guide or the cooperation procedure is missing."""
    guide, coop = ds.frontline, ds.cooperation
    if guide is None or coop is None:
        return None
    return PocketGuide(
        country=country,
        guide=guide,
        contacts=tuple(country.contacts),
        neighbours=tuple((neighbour, tuple(contacts)) for neighbour, contacts in neighbour_contacts(ds, country)),
        missing_neighbours=tuple(country_name(code) for code in country.neighbours if code.lower() not in ds.countries),
        form=coop.referral_form,
        essential_fields=tuple(essential_fields(ds)),
        steps=tuple(frontline_steps(ds)),
    )


def pocket_stem(country: Country, lang: str = "en") -> str:
    """File stem of a pocket guide PDF: `npl-pocket-en`."""
    return f"{country.id}-pocket-{lang}"


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
