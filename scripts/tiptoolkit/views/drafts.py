"""The views of the working files: a country's draft amendment bill, the action plan matrix, the referral form.

    bill_view(dataset, "NPL")       # the model provisions that close the country's assessed gaps, as a bill
    plan_matrix(dataset, "NPL")     # the action plan template, one row per activity, pre-filled for the country
    plan_matrix(dataset, None)      # the blank regional matrix
    referral_view(dataset, "ne")    # the referral form, translated where it is (English marked where it is not)

Word and spreadsheet code lays these out (`office/`); everything they show is decided here. Engine-free.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from .. import analysis
from ..dataset import Dataset
from ..i18n import ENGLISH, Translator
from ..model import Activity, Country, ModelLaw, OptionGroup
from ..text import plain
from .common import AUTHOR, COVERAGE_LABELS, find_country, implements_labels, provision_url, ref_label
from .edition import months
from .toolkit import PLAN_STATUSES

DISCLAIMER = (
    "This draft is a starting point for the drafting office, not legal advice and not a bill endorsed by anyone. "
    "Every section must be checked against the country's constitution, its existing statutes and its drafting "
    "conventions before it is used."
)


# ---------------------------------------------------------------- text: subsections, placeholders, bold


@dataclass(frozen=True)
class Span:
    """A piece of one paragraph: plain text, a placeholder in [square brackets] to fill in, or bold."""

    text: str
    kind: str = "text"  # text, placeholder, bold


@dataclass(frozen=True)
class Clause:
    """One paragraph of model text: its level (0 body, 1 subsection (1), 2 paragraph (a), 3 sub-paragraph (i)),
    its label and its text."""

    level: int
    label: str  # "(1)", "(a)", "(i)"; "" for body text
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        body = "".join(span.text for span in self.spans)
        return f"{self.label} {body}" if self.label else body


ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


@functools.lru_cache(maxsize=4096)  # the same model provisions are in every country's bill
def clauses(text: str) -> tuple[Clause, ...]:
    """Model text (paragraphs separated by blank lines) as clauses with their level and label."""
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    labels = [_label(paragraph) for paragraph in paragraphs]
    result: list[Clause] = []
    for index, (paragraph, label) in enumerate(zip(paragraphs, labels, strict=True)):
        following = labels[index + 1] if index + 1 < len(labels) else ""
        if re.fullmatch(r"\d+[A-Z]?", label):
            level = 1
        elif label in ROMAN and (label != "i" or following == "ii") and (label not in "vx" or _after_roman(result)):
            level = 3  # (i) opens numerals only when (ii) follows; (v) and (x) are numerals after a numeral
        elif re.fullmatch(r"[a-z]{1,2}", label):
            level = 2
        else:
            level, label = 0, ""
        body = paragraph[len(label) + 3 :] if label else paragraph
        result.append(Clause(level, f"({label})" if label else "", spans(body)))
    return tuple(result)


def _label(paragraph: str) -> str:
    match = re.match(r"^\(([0-9A-Za-z]{1,4})\)\s", paragraph)
    return match.group(1) if match else ""


def _after_roman(previous: list[Clause]) -> bool:
    return bool(previous) and previous[-1].level == 3


def spans(text: str) -> tuple[Span, ...]:
    """Split a paragraph into plain text, **bold** and outermost [placeholders] (which may nest)."""
    result: list[Span] = []
    for index, piece in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        if index % 2:
            result.append(Span(piece, "bold"))
        else:
            result.extend(_placeholders(piece))
    return tuple(span for span in result if span.text)


def _placeholders(text: str) -> list[Span]:
    result, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char == "[":
            if depth == 0:
                result.append(Span(text[start:position]))
                start = position
            depth += 1
        elif char == "]" and depth:
            depth -= 1
            if depth == 0:
                result.append(Span(text[start : position + 1], "placeholder"))
                start = position + 1
    result.append(Span(text[start:], "placeholder" if depth else "text"))
    return result


# ---------------------------------------------------------------- the draft amendment bill


@dataclass(frozen=True)
class OptionView:
    label: str
    clauses: tuple[Clause, ...]
    note: str | None


@dataclass(frozen=True)
class ChoiceView:
    title: str
    choose: str  # one, any
    options: tuple[OptionView, ...]


@dataclass(frozen=True)
class BillSection:
    number: int
    key: str  # the model provision, e.g. tip-model-law/art-8
    title: str
    mandatory: bool
    coverage: str  # Not covered, Partly covered
    clauses: tuple[Clause, ...]
    choices: tuple[ChoiceView, ...]
    commentary: str  # the model provision's commentary and the articles it implements
    national: str  # what the national law provides now: citation and note from the assessment
    url: str


@dataclass(frozen=True)
class BillChapter:
    number: str
    title: str
    sections: tuple[BillSection, ...]


@dataclass(frozen=True)
class BillPart:
    number: int
    title: str  # the model law's title
    chapters: tuple[BillChapter, ...]


@dataclass(frozen=True)
class Placeholder:
    text: str
    sections: tuple[int, ...]


@dataclass(frozen=True)
class BillView:
    country: str  # the country's name
    title: str
    edition: date | None
    purpose: str
    disclaimer: str
    parts: tuple[BillPart, ...]
    placeholders: tuple[Placeholder, ...]

    @property
    def sections(self) -> tuple[BillSection, ...]:
        return tuple(s for part in self.parts for chapter in part.chapters for s in chapter.sections)


def bill_view(ds: Dataset, iso3: str) -> BillView:
    """The provisions that close the country's `none` and `partial` gaps, as a bill: one part per model law, its
    chapters in the model law's order, mandatory provisions before recommended ones within each chapter."""
    country = find_country(ds, iso3)
    gaps = analysis.gaps(ds, country)
    parts, number = [], 0
    for law in (law for law in _laws(ds) if any(row.law is law for row in gaps)):
        chapters = []
        for chapter in law.chapters:
            rows = sorted(
                (row for row in gaps if row.law is law and row.provision.chapter == chapter.id),
                key=lambda row: (not row.provision.mandatory, row.provision.number),
            )
            sections = []
            for row in rows:
                number += 1
                sections.append(_section(ds, country, number, row))
            if sections:
                chapters.append(BillChapter(chapter.number, plain(chapter.title), tuple(sections)))
        parts.append(BillPart(len(parts) + 1, plain(law.title), tuple(chapters)))
    return BillView(
        country=plain(country.name),
        title=f"Draft bill to amend the law of {plain(country.name)} on trafficking in persons and the smuggling "
        "of migrants",
        edition=analysis.newest_reviewed(country, *ds.model_laws.values()),
        purpose=_purpose(country, len(gaps)),
        disclaimer=DISCLAIMER,
        parts=tuple(parts),
        placeholders=_placeholder_list(parts),
    )


def _laws(ds: Dataset) -> list[ModelLaw]:
    return sorted(ds.model_laws.values(), key=lambda law: law.id, reverse=True)  # trafficking first, as everywhere


def _purpose(country: Country, gaps: int) -> str:
    return (
        f"This draft gathers the model provisions that would close the {gaps} gaps recorded for "
        f"{plain(country.name)}: provisions its law does not cover, or covers only in part, as assessed from the "
        "text of its statutes. Sections follow the model law's chapters; within each chapter, provisions the "
        "treaties require come before recommended ones. Each section carries a comment with the model "
        "commentary and what the national law provides today. Text in [square brackets] is to be filled in "
        "or chosen, and every such placeholder is listed at the end."
    )


def _section(ds: Dataset, country: Country, number: int, row: analysis.CoverageRow) -> BillSection:
    provision, assessment = row.provision, row.assessment
    implements = ", ".join(implements_labels(ds, country, provision))
    commentary = plain(provision.commentary)
    if implements:
        commentary += f" Implements: {implements}."
    national = f"{COVERAGE_LABELS[row.coverage]} in the national law."
    if assessment and assessment.citation:
        national += f" National provision: {assessment.citation}."
    if assessment and assessment.note:
        national += f" {assessment.note}"
    return BillSection(
        number=number,
        key=row.key,
        title=plain(provision.title),
        mandatory=provision.mandatory,
        coverage=COVERAGE_LABELS[row.coverage],
        clauses=clauses(provision.text),
        choices=tuple(_choice(group) for group in provision.option_groups),
        commentary=commentary,
        national=national,
        url=provision_url(row.law, provision),
    )


def _choice(group: OptionGroup) -> ChoiceView:
    options = tuple(OptionView(plain(option.label), clauses(option.text), option.note) for option in group.options)
    return ChoiceView(plain(group.title), group.choose, options)


def _placeholder_list(parts: list[BillPart]) -> tuple[Placeholder, ...]:
    """Every placeholder of the bill, once, in order of first appearance, with the sections it appears in."""
    found: dict[str, list[int]] = {}
    for section in (s for part in parts for chapter in part.chapters for s in chapter.sections):
        texts = [section.clauses] + [option.clauses for choice in section.choices for option in choice.options]
        for clause in (clause for group in texts for clause in group):
            for span in clause.spans:
                if span.kind == "placeholder":
                    where = found.setdefault(span.text, [])
                    if section.number not in where:
                        where.append(section.number)
    return tuple(Placeholder(text, tuple(where)) for text, where in found.items())


# ---------------------------------------------------------------- the action plan matrix


@dataclass(frozen=True)
class MatrixRow:
    objective: str
    activity: str
    indicators: tuple[str, ...]
    verification: tuple[str, ...]
    lead: str
    partners: str
    timeline: str
    budget: str  # what the budget line covers
    serves: tuple[str, ...]  # readable labels of the articles and standards it serves
    priority: str  # for a country: the gaps the activity helps close; empty otherwise


@dataclass(frozen=True)
class MatrixSheet:
    pillar: str  # the pillar id, e.g. prevention
    title: str
    summary: str
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class PlanMatrix:
    country: str | None  # the country's name; None for the blank matrix
    title: str
    edition: date | None
    facts: tuple[tuple[str, str], ...]  # (what, value): coordination body, current plan...
    instructions: str
    sheets: tuple[MatrixSheet, ...]
    leads: tuple[str, ...]  # the lead column's drop-down list
    statuses: tuple[str, ...]  # the status column's drop-down list


COORDINATION_SECRETARIAT = "National coordination committee secretariat"  # the template's lead for the body


def plan_matrix(ds: Dataset, iso3: str | None) -> PlanMatrix:
    """The action plan template as a matrix; for a country, its coordination body as the lead it suggests and the
    activities that serve an article a mandatory gap provision of the same pillar implements marked as priorities."""
    template = ds.action_plan
    country = find_country(ds, iso3) if iso3 else None
    body = country.coordination_body.name if country and country.coordination_body else None
    gap_articles = _gap_articles(ds, country) if country else {}
    sheets = tuple(
        MatrixSheet(
            pillar.id.value,
            plain(pillar.title),
            plain(pillar.summary),
            tuple(
                _matrix_row(ds, pillar.id.value, objective.title, activity, body, gap_articles)
                for objective in pillar.objectives
                for activity in objective.activities
            ),
        )
        for pillar in (template.pillars if template else [])
    )
    leads = sorted({row.lead for sheet in sheets for row in sheet.rows}, key=str.casefold)
    name = plain(country.name) if country else None
    return PlanMatrix(
        country=name,
        title=f"National action plan matrix: {name}" if name else "National action plan matrix (blank)",
        edition=analysis.newest_reviewed(*(item for item in (template, country) if item is not None)),
        facts=_plan_facts(country) if country else (),
        instructions=_instructions(country),
        sheets=sheets,
        leads=tuple(leads),
        statuses=tuple(status for status in PLAN_STATUSES if status),
    )


def _gap_articles(ds: Dataset, country: Country) -> dict[tuple[str, str], list[str]]:
    """(pillar, article id) -> the country's mandatory gap provisions of that pillar that implement the article."""
    articles: dict[tuple[str, str], list[str]] = {}
    for row in analysis.gaps(ds, country):
        if row.provision.mandatory:
            for article in sorted(analysis.articles_implemented(row.provision)):
                label = f"{plain(row.law.short_title)} art. {row.provision.number}"
                articles.setdefault((row.provision.pillar.value, article), []).append(label)
    return articles


def _matrix_row(
    ds: Dataset, pillar: str, objective: str, activity: Activity, body: str | None, gaps: dict[tuple[str, str], list]
) -> MatrixRow:
    lead = body if body and activity.lead == COORDINATION_SECRETARIAT else activity.lead
    closes = sorted({gap for ref in activity.serves for gap in gaps.get((pillar, ref), [])}, key=_natural)
    return MatrixRow(
        objective=plain(objective),
        activity=f"{activity.id}: {plain(activity.title)}",
        indicators=tuple(plain(item) for item in activity.indicators),
        verification=tuple(plain(item) for item in activity.means_of_verification),
        lead=plain(lead),
        partners=", ".join(plain(partner) for partner in activity.partners),
        timeline=plain(activity.timeline),
        budget=plain(activity.budget),
        serves=tuple(ref_label(ds, ref) for ref in activity.serves),
        priority=f"Priority: serves the gaps in {', '.join(closes)}" if closes else "",
    )


def _natural(text: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _plan_facts(country: Country) -> tuple[tuple[str, str], ...]:
    body = country.coordination_body
    plan = analysis.current_plan(country)
    facts = [("Country", plain(country.name))]
    if body:
        facts.append(("National coordination body", plain(body.name)))
        if body.lead_agency:
            facts.append(("Lead agency of the coordination body", body.lead_agency))
    if plan:
        period = "–".join(str(year) for year in dict.fromkeys((plan.start, plan.end)) if year)
        facts.append(("Current or most recent plan", f"{plain(plan.title)}{f' ({period})' if period else ''}"))
        facts.append(("Its status", plan.status.replace("-", " ")))
    return tuple(facts)


def _instructions(country: Country | None) -> str:
    text = (
        "One sheet per pillar, one row per activity of the model action plan. Lead, partners and timeline hold "
        "the template's suggestions: replace them with the plan's decisions. Lead and status offer a list to "
        "choose from, and other values can be typed. Amounts go in the budget column, beside what the line covers."
    )
    if country:
        text += (
            " Where the country's coordination body is recorded it is suggested as the lead of the activities the "
            "template gives to the coordination secretariat. An activity is marked as a priority when it serves a "
            "treaty article that a mandatory model provision of the same pillar implements and the country's law is "
            "recorded as not covering that provision, or covering it in part; the cell names those provisions."
        )
    return text


# ---------------------------------------------------------------- the referral form


@dataclass(frozen=True)
class Words:
    """A text in the language it was found in (English where a translation is missing)."""

    text: str
    lang: str


@dataclass(frozen=True)
class ReferralField:
    id: str
    label: Words
    kind: str  # text, multiline, date, choice, checkbox
    choices: tuple[str, ...]  # in English: the form's choices are not translated yet
    required: bool
    sensitive: bool
    help: Words | None


@dataclass(frozen=True)
class ReferralSection:
    title: Words
    fields: tuple[ReferralField, ...]


@dataclass(frozen=True)
class ReferralView:
    lang: str
    direction: str  # ltr, rtl
    script: str  # ISO 15924, e.g. Deva
    title: Words
    subtitle: str  # the edition, in the form's language
    review_note: str  # why a translated form is not final; empty in English
    instructions: Words
    legend: Words  # what * and "personal data" mean
    sensitive: Words  # the mark of a field that holds personal data
    edition: date | None
    sections: tuple[ReferralSection, ...]


def referral_view(ds: Dataset, lang: str = ENGLISH) -> ReferralView:
    """The referral form in `lang`: its texts translated where they are, English elsewhere (and marked so)."""
    form, translator = ds.cooperation.referral_form, Translator(ds, lang)

    def words(item: object, name: str) -> Words:
        found = translator.field(item, name)
        return Words(plain(found.text), found.lang)

    def string(key: str) -> Words:
        found = translator.string(key)
        return Words(found.text, found.lang)

    edition = analysis.newest_reviewed(ds.cooperation)
    language = translator.language
    return ReferralView(
        lang=lang,
        direction=translator.direction,
        script=language.script if language else "Latn",
        title=words(form, "title"),
        subtitle=_form_subtitle(translator, edition),
        review_note=translator.text("pdf.review_note") if lang != ENGLISH else "",
        instructions=words(form, "instructions"),
        legend=_legend(ds, translator),
        sensitive=string("form.sensitive"),
        edition=edition,
        sections=tuple(
            ReferralSection(
                words(section, "title"),
                tuple(
                    ReferralField(
                        f.id,
                        words(f, "label"),
                        f.type,
                        tuple(f.choices),
                        f.required,
                        f.sensitive,
                        words(f, "help") if f.help else None,
                    )
                    for f in section.fields
                ),
            )
            for section in form.sections
        ),
    )


def _form_subtitle(translator: Translator, edition: date | None) -> str:
    when = analysis.format_date(edition, months(translator))
    if translator.lang == ENGLISH:
        return f"Prepared by the {AUTHOR}. Edition of {when}." if when else f"Prepared by the {AUTHOR}."
    language = translator.text("pdf.edition", language=translator.language.name)
    return f"{language} · {translator.text('pdf.edition_date')}: {when}" if when else language


def _legend(ds: Dataset, translator: Translator) -> Words:
    """`* Required: must be filled before sending. Personal data: share only with consent or a legal basis.`, in
    English unless every part of it is translated."""
    parts = ("form.required", "form.legend_required", "form.sensitive", "form.legend_sensitive")
    if any(translator.string(key).fallback for key in parts):
        translator = Translator(ds, ENGLISH)
    required, why, sensitive, share = (translator.string(key).text for key in parts)
    return Words(f"* {required}: {why} · {sensitive}: {share}", translator.lang)
