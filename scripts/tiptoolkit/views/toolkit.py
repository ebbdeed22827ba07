"""The view model of one country toolkit (or the regional edition): everything its templates show, decided here.

Templates hold layout; this module holds the choices: which sections a country
edition has, what each heading is called and numbered, which provisions are
shown, what every form field is named. Headings are registered in one `Outline`
so the printed table of contents and the PDF bookmarks come from one list.

Form field names are stable and meaningful; readers' tools and our tests rely on them:
- `nap.body.name`, `nap.body.lead`, `nap.plan.title`, ... (pre-filled facts, editable)
- `nap.<pillar>.<objective>.<activity>.{lead,partners,timeline,budget,status}`
- `vps.<standard>.<checklist item>` (yes, partly or no) and `vps.<standard>.notes`
- `referral.<field id>`
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .. import __version__, analysis
from ..dataset import Dataset, site_url
from ..model import (
    ActionPlanTemplate,
    Agreement,
    Contact,
    Country,
    Coverage,
    FormField,
    Instrument,
    ModelLaw,
    Organisation,
    Pillar,
    Provision,
    Standard,
    Term,
)
from ..regions import country_name
from ..selfassessment import NOTES, field_name
from ..text import plain
from .common import (
    AUTHOR,
    FieldView,
    Heading,
    Outline,
    SourceView,
    checklist_field,
    find_country,
    implements_labels,
    merge_sources,
    provision_title,
    provision_url,
    ref_label,
)
from .kits import kit_views

PLAN_STATUSES = ("", "Not started", "In progress", "Completed", "Delayed", "Dropped")


# ---------------------------------------------------------------- view items


@dataclass(frozen=True)
class ProvisionItem:
    heading: Heading
    key: str
    law: ModelLaw
    provision: Provision
    row: analysis.CoverageRow | None  # None in the regional edition
    implements: tuple[str, ...]  # readable labels of the articles it implements


@dataclass(frozen=True)
class ProvisionGroup:
    heading: Heading | None
    intro: str
    items: tuple[ProvisionItem, ...]


@dataclass(frozen=True)
class ActivityRow:
    id: str
    title: str
    description: str | None
    indicators: tuple[str, ...]
    verification: tuple[str, ...]
    suggested: tuple[tuple[str, str], ...]  # (what, suggestion) printed under the fields
    fields: tuple[FieldView, ...]  # lead, partners, timeline, budget, status
    url: str  # the activity on the site, with its description, indicators and means of verification


@dataclass(frozen=True)
class ObjectiveView:
    id: str
    title: str
    description: str | None
    activities: tuple[ActivityRow, ...]


@dataclass(frozen=True)
class PillarView:
    heading: Heading
    summary: str
    objectives: tuple[ObjectiveView, ...]


@dataclass(frozen=True)
class StandardView:
    heading: Heading
    standard: Standard
    checklist: tuple[tuple[FieldView, str], ...]  # (answer, question)
    notes: FieldView
    law: tuple[analysis.CoverageRow, ...] = ()  # a country's coverage of the model provisions the standard rests on


@dataclass(frozen=True)
class ContactGroup:
    country_name: str
    country_code: str
    contacts: tuple[Contact, ...]


@dataclass(frozen=True)
class FormSectionView:
    title: str
    fields: tuple[FieldView, ...]


@dataclass(frozen=True)
class StepView:
    number: int
    title: str
    actor: str
    action: str
    time_limit: str | None
    legal_basis: tuple[str, ...]


@dataclass(frozen=True)
class NextStepView:
    step: analysis.Step
    anchor: str | None  # the heading in this document that develops it


@dataclass(frozen=True)
class ExecutiveSummary:
    """The decision page: where the country stands, its gaps in order of priority, what to do next."""

    joined: tuple[analysis.RatificationCell, ...]
    instruments: int
    laws: tuple  # the laws in force, as recorded
    plan: object
    gaps: tuple[analysis.CoverageRow, ...]  # the most pressing, in order
    more_gaps: int  # gaps not listed on the summary page
    steps: tuple[NextStepView, ...]
    unknown: int  # mandatory provisions not yet assessed
    assessed: analysis.Assessed


@dataclass(frozen=True)
class SelfAssessmentRow:
    """A provision not yet assessed, with the fields a ministry fills in and sends back."""

    row: analysis.CoverageRow
    implements: tuple[str, ...]
    url: str  # the provision's full text on the site
    coverage: FieldView
    citation: FieldView
    note: FieldView


@dataclass(frozen=True)
class Reviewed:
    what: str
    oldest: date | None
    newest: date | None


@dataclass
class Toolkit:
    """Everything one PDF shows. `country` is None for the regional edition."""

    lang: str
    country: Country | None
    title: str
    cover_title: str
    subtitle: str
    running_title: str
    subject: str
    keywords: tuple[str, ...]
    edition: date | None
    version: str
    author: str = AUTHOR
    outline: Outline = field(default_factory=Outline)
    chapters: dict[str, Heading] = field(default_factory=dict)
    sections: dict[str, Heading] = field(default_factory=dict)
    # country edition
    position: Position | None = None
    ratifications: list[analysis.RatificationCell] = field(default_factory=list)
    kits: list = field(default_factory=list)  # kits.KitView: the accession kits, one per instrument not joined
    coverage_rows: list[analysis.CoverageRow] = field(default_factory=list)
    summary: ExecutiveSummary | None = None
    self_assessment: list[SelfAssessmentRow] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    # regional edition
    matrix_instruments: list = field(default_factory=list)
    matrix: list[list[analysis.RatificationCell]] = field(default_factory=list)
    # both
    provision_groups: list[ProvisionGroup] = field(default_factory=list)
    provision_anchor: dict[str, str] = field(default_factory=dict)
    nap: ActionPlanTemplate | None = None
    nap_facts: tuple[FieldView, ...] = ()
    nap_pillars: list[PillarView] = field(default_factory=list)
    vps_intro: str = ""
    vps: list[StandardView] = field(default_factory=list)
    cooperation_intro: tuple[str, str] = ("", "")
    legal_basis: tuple[str, ...] = ()
    agreements: list[Agreement] = field(default_factory=list)
    contact_groups: list[ContactGroup] = field(default_factory=list)
    missing_contacts: tuple[str, ...] = ()
    principles: list = field(default_factory=list)
    steps: list[StepView] = field(default_factory=list)
    referral_title: str = ""
    referral_instructions: str = ""
    referral: list[FormSectionView] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    term_names: dict[str, str] = field(default_factory=dict)
    sources: list[SourceView] = field(default_factory=list)
    reviewed: list[Reviewed] = field(default_factory=list)
    region_intro: str = ""  # a regional edition of one region that has a file: its introduction
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def regional(self) -> bool:
        return self.country is None

    @property
    def description(self) -> str:
        return self.subject


@dataclass(frozen=True)
class Position:
    """A country's position at a glance."""

    summary: str
    instruments: tuple[analysis.RatificationCell, ...]
    by_pillar: tuple[tuple[Pillar, int, int], ...]  # pillar, known gaps, mandatory not yet assessed
    total_gaps: int
    total_to_assess: int
    mandatory_counts: dict[Coverage, int]
    mandatory_total: int
    assessed: analysis.Assessed
    laws: tuple
    coordination_body: object
    plan: object
    plans: tuple


# ---------------------------------------------------------------- helpers


def _provision_items(
    ds: Dataset,
    country: Country | None,
    outline: Outline,
    rows: list[tuple[str, ModelLaw, Provision, analysis.CoverageRow | None]],
) -> tuple[ProvisionItem, ...]:
    several = len(ds.model_laws) > 1
    return tuple(
        ProvisionItem(
            heading=outline.add(3, "p-" + key.replace("/", "-"), provision_title(law, provision, several)),
            key=key,
            law=law,
            provision=provision,
            row=row,
            implements=implements_labels(ds, country, provision),
        )
        for key, law, provision, row in rows
    )


def _gap_provisions(ds: Dataset, tk: Toolkit, country: Country) -> None:
    """The full text of the provisions that close the country's assessed gaps, and of those only."""
    tk.chapters["provisions"] = tk.outline.add(1, "provisions", "Model provisions to close the gaps")
    gaps = analysis.gaps(ds, country)
    if gaps:
        heading = tk.outline.add(2, "gaps", "Gaps: provisions not covered or covered in part")
        items = _provision_items(ds, country, tk.outline, [(r.key, r.law, r.provision, r) for r in gaps])
        tk.provision_groups.append(ProvisionGroup(heading, "gaps", items))


COVERAGE_CHOICES = ("", Coverage.FULL.value, Coverage.PARTIAL.value, Coverage.NONE.value)


def _self_assessment(ds: Dataset, tk: Toolkit, country: Country) -> None:
    """Mandatory provisions nobody has assessed: a compact table the ministry fills in and sends back."""
    unknown = analysis.to_assess(ds, country)
    if not unknown:
        return
    tk.chapters["self-assessment"] = tk.outline.add(1, "self-assessment", "Provisions not yet assessed")
    for row in unknown:
        label = provision_title(row.law, row.provision, several=len(ds.model_laws) > 1)
        tk.self_assessment.append(
            SelfAssessmentRow(
                row=row,
                implements=implements_labels(ds, country, row.provision),
                url=provision_url(row.law, row.provision),
                coverage=FieldView(
                    field_name(row.key, "coverage"), f"{label}: coverage", "choice", choices=COVERAGE_CHOICES
                ),
                citation=FieldView(field_name(row.key, "citation"), f"{label}: national provision", "text"),
                note=FieldView(field_name(row.key, "note"), f"{label}: what it does, what is missing", "text"),
            )
        )


def abbreviations(instruments: list[Instrument], terms: list[Term]) -> list[tuple[str, str]]:
    """The abbreviations the toolkit uses: the glossary's and the instruments' own, alphabetically."""
    found = {i.abbreviation: plain(i.title) for i in instruments}
    for term in terms:
        if term.abbreviation:
            found.setdefault(term.abbreviation, plain(term.term))
    return sorted(found.items(), key=lambda pair: pair[0].casefold())


SUMMARY_GAPS = 10  # gaps listed on the summary page; the rest are in the gap analysis


def _summary(ds: Dataset, tk: Toolkit, country: Country) -> ExecutiveSummary:
    """The executive summary, from the same analysis as the rest of the toolkit; steps point at their chapters."""
    gaps = analysis.ranked_gaps(ds, country)
    anchors = {"gaps": "gaps", "action-plan": "nap", "self-assessment": "self-assessment"}
    anchors |= {f"accession/{kit.kit.instrument.id}": kit.heading.id for kit in tk.kits}
    known = {h.id for h in tk.outline.entries}
    cells = tk.position.instruments if tk.position else ()
    return ExecutiveSummary(
        joined=tuple(cell for cell in cells if cell.joined),
        instruments=len(cells),
        laws=tuple(law for law in country.laws if law.status in ("in-force", "amended")),
        plan=analysis.current_plan(country),
        gaps=tuple(gaps[:SUMMARY_GAPS]),
        more_gaps=max(0, len(gaps) - SUMMARY_GAPS),
        steps=tuple(
            NextStepView(step, anchors.get(step.topic) if anchors.get(step.topic) in known else None)
            for step in analysis.next_steps(ds, country)
        ),
        unknown=len(tk.self_assessment),
        assessed=tk.position.assessed if tk.position else analysis.assessed(ds, country),
    )


def _nap(ds: Dataset, tk: Toolkit, country: Country | None) -> None:
    plan = analysis.current_plan(country) if country else None
    body = country.coordination_body if country else None
    period = ""
    if plan and (plan.start or plan.end):
        period = f"{plan.start or '?'}–{plan.end or '?'}" if plan.end != plan.start else str(plan.start)
    tk.nap_facts = (
        FieldView("nap.body.name", "National coordination body", "text", body.name if body else ""),
        FieldView(
            "nap.body.lead",
            "Lead agency of the coordination body",
            "text",
            (body.lead_agency or "") if body else "",
        ),
        FieldView("nap.plan.title", "Current or most recent national action plan", "text", plan.title if plan else ""),
        FieldView("nap.plan.period", "Period", "text", period),
        FieldView("nap.plan.status", "Status", "text", plan.status.replace("-", " ") if plan else ""),
        FieldView("nap.plan.next", "Next plan: period and responsible body", "text", ""),
    )
    template = ds.action_plan
    tk.nap = template
    if template is None:
        return
    site = site_url()
    for pillar in template.pillars:
        heading = tk.outline.add(2, f"nap-{pillar.id.value}", plain(pillar.title))
        objectives = []
        for objective in pillar.objectives:
            activities = []
            for activity in objective.activities:
                base = f"nap.{pillar.id.value}.{objective.id}.{activity.id}"
                where = f"{plain(pillar.title)}, {objective.id}, {activity.id}"
                activities.append(
                    ActivityRow(
                        id=activity.id,
                        title=activity.title,
                        description=activity.description,
                        indicators=tuple(activity.indicators),
                        verification=tuple(activity.means_of_verification),
                        suggested=(
                            ("Lead", activity.lead),
                            ("Partners", ", ".join(activity.partners)),
                            ("Timing", activity.timeline),
                            ("Budget covers", activity.budget),
                        ),
                        fields=(
                            FieldView(f"{base}.lead", f"{where}: lead agency", "multiline"),
                            FieldView(f"{base}.partners", f"{where}: partners", "multiline"),
                            FieldView(f"{base}.timeline", f"{where}: timeline", "multiline"),
                            FieldView(f"{base}.budget", f"{where}: budget and source", "multiline"),
                            FieldView(f"{base}.status", f"{where}: status", "choice", choices=PLAN_STATUSES),
                        ),
                        url=f"{site}action-plan/{pillar.id.value}/#{objective.id}-{activity.id}",
                    )
                )
            objectives.append(ObjectiveView(objective.id, objective.title, objective.description, tuple(activities)))
        tk.nap_pillars.append(PillarView(heading, pillar.summary, tuple(objectives)))


def _vps(ds: Dataset, tk: Toolkit, country: Country | None) -> None:
    standards = ds.victim_protection
    if standards is None:
        return
    tk.vps_intro = standards.introduction
    rows = {row.key: row for row in analysis.coverage(ds, country)} if country else {}
    answers = analysis.checklist_answers(country) if country else {}
    for standard in standards.standards:
        heading = tk.outline.add(2, f"vps-{standard.id}", plain(standard.title))
        answered = answers.get(f"vps/{standard.id}")
        checklist = tuple(
            (checklist_field(standard, item.id, f"{plain(standard.title)}: {plain(item.text)}", answered), item.text)
            for item in standard.checklist
        )
        notes = checklist_field(standard, NOTES, f"{plain(standard.title)}: notes", answered)
        law = tuple(rows[ref] for ref in standard.related if ref in rows)
        tk.vps.append(StandardView(heading, standard, checklist, notes, law))


def _field(form_field: FormField) -> FieldView:
    return FieldView(
        name=f"referral.{form_field.id}",
        label=plain(form_field.label),
        kind=form_field.type,
        choices=("", *form_field.choices) if form_field.type == "choice" else (),
        hint=form_field.help or "",
        required=form_field.required,
        sensitive=form_field.sensitive,
    )


def _cooperation(ds: Dataset, tk: Toolkit, country: Country | None) -> None:
    coop = ds.cooperation
    tk.sections["agreements"] = tk.outline.add(2, "agreements", "Cooperation agreements")
    if country:
        tk.agreements = analysis.agreements(ds, country)
        groups = [ContactGroup(country.name, country.id.upper(), tuple(country.contacts))] if country.contacts else []
        groups += [
            ContactGroup(n.name, n.id.upper(), tuple(contacts))
            for n, contacts in analysis.neighbour_contacts(ds, country)
        ]
        tk.contact_groups = groups
        tk.missing_contacts = tuple(
            country_name(code) for code in country.neighbours if code.lower() not in ds.countries
        )
    else:
        found: dict[str, Agreement] = {}
        for other in analysis.countries_in_order(ds):
            for agreement in other.agreements:
                found.setdefault(agreement.id, agreement)
        tk.agreements = sorted(found.values(), key=lambda a: (a.signed or "", a.id))
        tk.contact_groups = [
            ContactGroup(c.name, c.id.upper(), tuple(c.contacts)) for c in analysis.countries_in_order(ds) if c.contacts
        ]
    title = "Contact agencies in neighbouring countries" if country else "Contact agencies"
    tk.sections["contacts"] = tk.outline.add(2, "contacts", title)
    if coop is None:
        return
    tk.cooperation_intro = (coop.purpose, coop.scope)
    tk.legal_basis = tuple(ref_label(ds, ref) for ref in analysis.refs_open_to(ds, country, coop.legal_basis))
    tk.sections["sop"] = tk.outline.add(2, "sop", "Standard operating procedure")
    tk.principles = list(coop.principles)
    tk.steps = [
        StepView(
            number,
            step.title,
            step.actor,
            step.action,
            step.time_limit,
            tuple(ref_label(ds, r) for r in analysis.refs_open_to(ds, country, step.legal_basis)),
        )
        for number, step in enumerate(coop.steps, 1)
    ]
    tk.sections["referral"] = tk.outline.add(2, "referral", plain(coop.referral_form.title))
    tk.referral_title = coop.referral_form.title
    tk.referral_instructions = coop.referral_form.instructions
    tk.referral = [
        FormSectionView(section.title, tuple(_field(f) for f in section.fields))
        for section in coop.referral_form.sections
    ]


# ---------------------------------------------------------------- the toolkit


def _country_head(ds: Dataset, country: Country, lang: str, items: list) -> Toolkit:
    region = analysis.region_name(ds, country.region)
    return Toolkit(
        lang=lang,
        country=country,
        title=f"Counter-Trafficking Toolkit: {country.name}",
        cover_title=country.name,
        subtitle=f"{country.official_name}",
        running_title=country.name,
        subject=(
            f"Counter-trafficking toolkit for {country.name}: ratifications, gap analysis against the model "
            "provisions, model provisions that close the gaps, national action plan template, victim "
            "protection checklist and cross-border cooperation."
        ),
        keywords=(
            "trafficking in persons",
            "counter-trafficking",
            "toolkit",
            country.name,
            country.id.upper(),
            region,
            "gap analysis",
            "model law",
            "national action plan",
            "victim protection",
            "cross-border cooperation",
        ),
        edition=analysis.newest_reviewed(*items),
        version=__version__,
    )


def _regional_head(ds: Dataset, lang: str, items: list) -> Toolkit:
    region = " and ".join(analysis.region_names(ds))
    return Toolkit(
        lang=lang,
        country=None,
        title=f"Counter-Trafficking Toolkit: {region}",
        cover_title=region,
        subtitle="Regional edition",
        running_title=f"{region}, regional edition",
        subject=(
            f"Counter-trafficking toolkit, regional edition for {region}: ratification matrix, model provisions, "
            "national action plan template, victim protection checklist and cross-border cooperation."
        ),
        keywords=(
            "trafficking in persons",
            "counter-trafficking",
            "toolkit",
            region,
            "regional edition",
            "model law",
            "national action plan",
            "victim protection",
            "cross-border cooperation",
        ),
        edition=analysis.newest_reviewed(*items),
        version=__version__,
    )


def _position(ds: Dataset, country: Country, instruments: list[Instrument]) -> Position:
    mandatory = [r for r in analysis.coverage(ds, country) if r.provision.mandatory]
    by_pillar = analysis.gaps_by_pillar(ds, country)
    return Position(
        summary=country.summary,
        instruments=tuple(analysis.ratification(country, i) for i in instruments),
        by_pillar=tuple((pillar, gaps, unknown) for pillar, (gaps, unknown) in by_pillar.items()),
        total_gaps=sum(g for g, _ in by_pillar.values()),
        total_to_assess=sum(u for _, u in by_pillar.values()),
        mandatory_counts={c: sum(1 for r in mandatory if r.coverage is c) for c in Coverage},
        mandatory_total=len(mandatory),
        assessed=analysis.assessed(ds, country),
        laws=tuple(country.laws),
        coordination_body=country.coordination_body,
        plan=analysis.current_plan(country),
        plans=tuple(country.action_plans),
    )


def _country_chapters(ds: Dataset, tk: Toolkit, country: Country) -> None:
    """Summary, position, ratifications, accession kits, gap analysis, the provisions that close the gaps."""
    outline = tk.outline
    tk.chapters["summary"] = outline.add(1, "summary", "Executive summary")
    tk.chapters["position"] = outline.add(1, "position", f"{country.name} at a glance")
    tk.position = _position(ds, country, analysis.instruments_open_to(ds, country))
    tk.chapters["ratifications"] = outline.add(1, "ratifications", "Ratifications")
    tk.ratifications = list(tk.position.instruments)
    tk.chapters["accession"] = outline.add(1, "accession", "Joining the remaining instruments")
    tk.kits = kit_views(ds, country, outline)
    tk.chapters["coverage"] = outline.add(1, "gap-analysis", "Gap analysis")
    tk.coverage_rows = analysis.coverage_table(ds, country)
    _gap_provisions(ds, tk, country)
    _self_assessment(ds, tk, country)
    tk.summary = _summary(ds, tk, country)


def _regional_chapters(ds: Dataset, tk: Toolkit, instruments: list[Instrument], laws: list[ModelLaw]) -> None:
    """The ratification matrix, and every model provision chapter by chapter."""
    outline = tk.outline
    (region, *others) = analysis.regions(ds) or [None]
    if region is not None and region.profile is not None and not others:
        tk.region_intro = region.profile.introduction
        tk.organisations = list(region.profile.organisations)
    tk.chapters["ratifications"] = outline.add(1, "ratifications", "Ratifications across the region")
    tk.matrix_instruments = instruments
    tk.matrix = analysis.ratification_matrix(ds)
    tk.chapters["provisions"] = outline.add(1, "provisions", "Model provisions")
    several = len(laws) > 1
    for law in laws:
        for chapter in law.chapters:
            provisions = sorted((p for p in law.provisions if p.chapter == chapter.id), key=lambda p: p.number)
            if not provisions:
                continue
            title = f"Chapter {chapter.number}: {plain(chapter.title)}"
            if several:
                title = f"{plain(law.short_title)}, {title[0].lower()}{title[1:]}"
            heading = outline.add(2, f"ch-{law.id}-{chapter.id}", title)
            tk.provision_groups.append(
                ProvisionGroup(
                    heading,
                    chapter.summary or "",
                    _provision_items(ds, None, outline, [(f"{law.id}/{p.id}", law, p, None) for p in provisions]),
                )
            )


def _reviewed(ds: Dataset, country: Country | None, instruments: list[Instrument], laws: list[ModelLaw]) -> list:
    """When each part of the toolkit was last checked against its sources, oldest and newest."""
    countries = [country] if country else analysis.countries_in_order(ds)
    reviewed = [
        Reviewed(f"{c.name}: country facts", analysis.last_reviewed(c), analysis.newest_reviewed(c)) for c in countries
    ]
    reviewed += [
        Reviewed(plain(i.short_title), analysis.last_reviewed(i), analysis.newest_reviewed(i)) for i in instruments
    ]
    reviewed += [Reviewed(plain(law.title), analysis.last_reviewed(law), analysis.newest_reviewed(law)) for law in laws]
    for name, model in (
        ("Action plan template", ds.action_plan),
        ("Victim protection standards", ds.victim_protection),
        ("Cross-border cooperation SOP", ds.cooperation),
        ("Glossary", ds.glossary),
    ):
        if model is not None:
            reviewed.append(Reviewed(name, analysis.last_reviewed(model), analysis.newest_reviewed(model)))
    return reviewed


def _shared_chapters(ds: Dataset, tk: Toolkit, country: Country | None, instruments: list[Instrument]) -> None:
    """Action plan, victim protection, cooperation and glossary: in every edition, tailored where data allows."""
    outline = tk.outline
    tk.chapters["nap"] = outline.add(1, "nap", "National action plan")
    tk.sections["nap-facts"] = outline.add(2, "nap-facts", "Coordination and current plan")
    _nap(ds, tk, country)
    tk.chapters["vps"] = outline.add(1, "vps", "Victim protection checklist")
    _vps(ds, tk, country)
    tk.chapters["cooperation"] = outline.add(1, "cooperation", "Cross-border cooperation")
    _cooperation(ds, tk, country)
    tk.chapters["glossary"] = outline.add(1, "glossary", "Glossary")
    terms = analysis.glossary_terms(ds, country)
    tk.abbreviations = abbreviations(instruments, terms)
    tk.terms = sorted(terms, key=lambda t: plain(t.term).casefold())
    tk.term_names = {t.id: plain(t.term) for t in terms}


def build_toolkit(ds: Dataset, iso3: str | None, lang: str = "en") -> Toolkit:
    """The view model of a country's toolkit (`iso3`), or of the regional edition (`iso3` None)."""
    country = find_country(ds, iso3) if iso3 is not None else None
    shared = [m for m in (ds.action_plan, ds.victim_protection, ds.cooperation, ds.glossary) if m is not None]
    instruments = analysis.instruments_open_to(ds, country) if country else analysis.instruments_in_order(ds)
    laws = sorted(ds.model_laws.values(), key=lambda law: law.id, reverse=True)
    if country:
        neighbours = [contact for _, contacts in analysis.neighbour_contacts(ds, country) for contact in contacts]
        items = [country, *analysis.agreements(ds, country), *neighbours, *instruments, *laws, *shared]
        tk = _country_head(ds, country, lang, items)
        _country_chapters(ds, tk, country)
    else:
        items = [*analysis.countries_in_order(ds), *instruments, *laws, *shared]
        tk = _regional_head(ds, lang, items)
        _regional_chapters(ds, tk, instruments, laws)
    tk.provision_anchor = {item.key: item.heading.id for group in tk.provision_groups for item in group.items}
    _shared_chapters(ds, tk, country, instruments)
    tk.chapters["sources"] = tk.outline.add(1, "sources", "Sources and review dates")
    tk.sources = merge_sources(analysis.sources(*items))
    tk.reviewed = _reviewed(ds, country, instruments, laws)
    return tk
