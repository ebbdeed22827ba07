"""The view of a national-language edition of a country toolkit (`npl-ne`, `bgd-bn`, `pak-ur`...): the parts that
are translated, in the reader's language.

An edition holds what a frontline official or a ministry needs in their language: where the country stands, the
victim protection checklist (fillable), the objectives of a national action plan (fillable) and the cross-border
referral form (fillable), and the contact agencies. Text not translated yet is printed in English, marked.
The full toolkit (gap analysis, model provisions) stays in English. Engine-free: the script's fonts and
direction are the layout's (pdf/edition.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import __version__, analysis
from ..dataset import Dataset
from ..i18n import ENGLISH, Translator, review_counts
from ..localizer import Localizer
from ..model import Country, Coverage
from ..selfassessment import NOTES
from .common import FieldView, Outline, checklist_field, find_country


def editions(ds: Dataset) -> list[tuple[str, str]]:
    """(country id, language) of every national-language edition: a country's language with interface strings."""
    return [
        (country.id, lang)
        for country in analysis.countries_in_order(ds)
        for lang in country.languages
        if lang != ENGLISH and lang in ds.languages
    ]


@dataclass
class Edition:
    lang: str
    direction: str
    language_name: str
    country: Country
    name: str  # the country's name in the language
    outline: Outline
    chapters: dict
    instruments: list
    counts: dict
    mandatory_total: int
    assessed: analysis.Assessed
    plan: Any
    vps: list  # (heading, standard, [(field, item)], notes field)
    nap: list  # (heading, pillar, [(objective, fields)])
    referral: list  # (section, [(field view, form field)])
    contacts: list
    edition: Any
    version: str
    english_pdf: str
    review: tuple[int, int]  # translated texts checked by a fluent reader, translated texts


def _checklist(ds: Dataset, l10n: Localizer, country: Country, outline: Outline, chapters: dict) -> list:
    """(heading, standard, [(answer field, item)], notes field) per standard, pre-filled with the last answers."""
    ts, trs = l10n.ts, l10n.trs
    if not ds.victim_protection:
        return []
    vps = []
    answers = analysis.checklist_answers(country)
    labels = ("", *ts("pdf.answers").split("|"))
    chapters["vps"] = outline.add(1, "vps", trs(ds.victim_protection, "title"))
    for standard in ds.victim_protection.standards:
        heading = outline.add(2, f"vps-{standard.id}", trs(standard, "title"))
        answered = answers.get(f"vps/{standard.id}")
        title = trs(standard, "title")
        checks = [
            (checklist_field(standard, item.id, f"{title}: {trs(item, 'text')}", answered, labels), item)
            for item in standard.checklist
        ]
        notes = checklist_field(standard, NOTES, f"{title}: {ts('pdf.notes')}", answered)
        vps.append((heading, standard, checks, notes))
    return vps


def _action_plan(ds: Dataset, l10n: Localizer, outline: Outline, chapters: dict) -> list:
    """(heading, pillar, [(objective, (lead, timeline, status fields))]) per pillar."""
    ts, trs = l10n.ts, l10n.trs
    if not ds.action_plan:
        return []
    nap = []
    statuses = ("", *ts("pdf.statuses").split("|"))
    chapters["nap"] = outline.add(1, "nap", trs(ds.action_plan, "title"))
    for pillar in ds.action_plan.pillars:
        heading = outline.add(2, f"nap-{pillar.id.value}", trs(pillar, "title"))
        rows = []
        for objective in pillar.objectives:
            base = f"nap.{pillar.id.value}.{objective.id}"
            where = f"{trs(pillar, 'title')}, {trs(objective, 'title')}"
            rows.append(
                (
                    objective,
                    (
                        FieldView(f"{base}.lead", f"{where}: {ts('pdf.col_lead')}", "multiline"),
                        FieldView(f"{base}.timeline", f"{where}: {ts('plan.timeline')}", "multiline"),
                        FieldView(f"{base}.status", f"{where}: {ts('col.status')}", "choice", choices=statuses),
                    ),
                )
            )
        nap.append((heading, pillar, rows))
    return nap


def _referral(ds: Dataset, l10n: Localizer, outline: Outline, chapters: dict) -> list:
    """(section, [(field view, form field)]) per section of the referral form."""
    if not ds.cooperation:
        return []
    referral = []
    form = ds.cooperation.referral_form
    chapters["referral"] = outline.add(1, "referral", l10n.trs(form, "title"))
    for section in form.sections:
        fields = [
            (
                FieldView(
                    f"referral.{f.id}",
                    l10n.trs(f, "label"),
                    f.type,
                    choices=("", *f.choices) if f.type == "choice" else (),
                ),
                f,
            )
            for f in section.fields
        ]
        referral.append((section, fields))
    return referral


def build_edition(ds: Dataset, iso3: str, lang: str) -> tuple[Edition, Localizer]:
    country = find_country(ds, iso3)
    translator = Translator(ds, lang)
    l10n = Localizer(translator, plain_fields=True)
    ts, trs = l10n.ts, l10n.trs
    name = trs(country, "name")
    outline = Outline()
    chapters = {"position": outline.add(1, "position", ts("country.position", country=name))}
    coverage = [row for row in analysis.coverage(ds, country) if row.provision.mandatory]
    vps = _checklist(ds, l10n, country, outline, chapters)
    nap = _action_plan(ds, l10n, outline, chapters)
    referral = _referral(ds, l10n, outline, chapters)
    chapters["contacts"] = outline.add(1, "contacts", ts("country.contacts", country=name))
    contacts = [(country, list(country.contacts))] + [
        (neighbour, list(found)) for neighbour, found in analysis.neighbour_contacts(ds, country)
    ]
    items = [country, *(m for m in (ds.action_plan, ds.victim_protection, ds.cooperation) if m is not None)]
    edition = Edition(
        lang=lang,
        direction=translator.direction,
        language_name=translator.language.name,
        country=country,
        name=name,
        outline=outline,
        chapters=chapters,
        instruments=[analysis.ratification(country, i) for i in analysis.instruments_open_to(ds, country)],
        counts={c: sum(1 for r in coverage if r.coverage is c) for c in Coverage},
        mandatory_total=len(coverage),
        assessed=analysis.assessed(ds, country),
        plan=analysis.current_plan(country),
        vps=vps,
        nap=nap,
        referral=referral,
        contacts=contacts,
        edition=analysis.newest_reviewed(*items),
        version=__version__,
        english_pdf=f"{country.id}-en.pdf",
        review=review_counts(ds, lang),
    )
    return edition, l10n


def months(translator: Translator) -> list[str]:
    return translator.string("date.months").text.split()
