"""Whole-dataset rules. Each rule is a small function yielding problems; all are collected, then reported once."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

import pycountry

from .analysis import frontline_sections, instruments_open_to, stale_since
from .dataset import DEFAULT_ROOT, Dataset, article_key, load_dataset, today, walk
from .model import Coverage, Model, Obligation, SourceKind, TreatyStatus, date_range
from .problems import Problem

Rule = Callable[[Dataset], Iterable[Problem]]
TO_REPLACE = "TO-REPLACE"  # what `tiptoolkit new-country` writes where only an editor can give the text


def validate(root: Path = DEFAULT_ROOT) -> tuple[Dataset, list[Problem]]:
    """Load and check everything. The dataset is usable only when the list is empty."""
    dataset, problems = load_dataset(root)
    # Cross-file rules run on whatever loaded; references into a file that failed are not reported.
    for check in RULES:
        problems.extend(check(dataset))
    return dataset, sorted(set(problems))


# ---------------------------------------------------------------- files


def file_name_is_id(ds: Dataset) -> Iterator[Problem]:
    for document in ds.documents:
        if document.path.stem != document.model.id:
            yield ds.problem(
                document.model,
                "id",
                f"id {document.model.id!r} differs from the file name: "
                f"rename the file to {document.model.id}.yaml or fix the id",
            )


def file_names_its_schema(ds: Dataset) -> Iterator[Problem]:
    for document in ds.documents:
        depth = len(document.path.parts) - 1
        expected = f"# yaml-language-server: $schema={'../' * depth or './'}schemas/{type(document.model).schema_name}.schema.json"
        if document.text.partition("\n")[0].strip() != expected:  # a document is never empty (load.py refuses)
            yield Problem(str(document.path), 1, 1, "", f"first line must name the schema: {expected}")


def required_documents(ds: Dataset) -> Iterator[Problem]:
    for name, value, path in (
        ("action plan template", ds.action_plan, "action_plan/nap.yaml"),
        ("victim protection standards", ds.victim_protection, "victim_protection/vps.yaml"),
        ("cooperation SOP", ds.cooperation, "cooperation/cooperation.yaml"),
        ("glossary", ds.glossary, "glossary.yaml"),
    ):
        if value is None and Path(path).stem not in ds.failed:
            yield Problem(path, 1, 1, "", f"the {name} is missing: restore {path}")


# ---------------------------------------------------------------- ids


def _duplicates(
    ds: Dataset, items: list[Model], key: Callable[[Model], object], field: str, what: str
) -> Iterator[Problem]:
    seen: dict[object, Model] = {}
    for item in items:
        value = key(item)
        if value in seen:
            first = ds.problem(seen[value], field, "")
            yield ds.problem(item, field, f"duplicate {what} {value!r} (first on line {first.line}): make it unique")
        else:
            seen[value] = item


def unique_ids(ds: Dataset) -> Iterator[Problem]:
    for instrument in ds.instruments.values():
        yield from _duplicates(ds, instrument.articles, lambda a: a.number, "number", "article number")
    for law in ds.model_laws.values():
        yield from _duplicates(ds, law.provisions, lambda p: p.id, "id", "provision id")
        yield from _duplicates(ds, law.chapters, lambda c: c.id, "id", "chapter id")
        for provision in law.provisions:
            for group in provision.option_groups:
                yield from _duplicates(ds, group.options, lambda o: o.id, "id", "option id")
    if ds.victim_protection:
        yield from _duplicates(ds, ds.victim_protection.standards, lambda s: s.id, "id", "standard id")
        for standard in ds.victim_protection.standards:
            yield from _duplicates(ds, standard.checklist, lambda c: c.id, "id", "checklist item id")
    if ds.action_plan:
        yield from _duplicates(ds, ds.action_plan.pillars, lambda p: str(p.id), "id", "pillar")
        for pillar in ds.action_plan.pillars:
            yield from _duplicates(ds, pillar.objectives, lambda o: o.id, "id", "objective id")
            for objective in pillar.objectives:
                yield from _duplicates(ds, objective.activities, lambda a: a.id, "id", "activity id")
    if ds.glossary:
        yield from _duplicates(ds, ds.glossary.terms, lambda t: t.id, "id", "term id")
        with_abbreviation = [t for t in ds.glossary.terms if t.abbreviation]
        yield from _duplicates(ds, with_abbreviation, lambda t: t.abbreviation, "abbreviation", "abbreviation")
    if ds.cooperation:
        yield from _duplicates(ds, ds.cooperation.steps, lambda s: s.id, "id", "step id")
        fields = [f for section in ds.cooperation.referral_form.sections for f in section.fields]
        yield from _duplicates(ds, fields, lambda f: f.id, "id", "form field id")
    for instrument in ds.instruments.values():
        yield from _duplicates(ds, instrument.joining_steps, lambda s: s.id, "id", "joining step id")
    if ds.frontline:
        for _anchor, section in frontline_sections(ds.frontline):
            items = section.rows if hasattr(section, "rows") else section.items
            yield from _duplicates(ds, items, lambda i: i.id, "id", "id")
    for country in ds.countries.values():
        yield from _duplicates(
            ds, country.ratifications, lambda r: r.instrument, "instrument", "ratification record for"
        )
        yield from _duplicates(ds, country.laws, lambda law: law.id, "id", "law id")
        yield from _duplicates(ds, country.coverage, lambda a: a.provision, "provision", "assessment of")
        yield from _duplicates(ds, country.agreements, lambda a: a.id, "id", "agreement id")
        yield from _duplicates(ds, country.contacts, lambda c: c.id, "id", "contact id")


def provision_numbering(ds: Dataset) -> Iterator[Problem]:
    for law in ds.model_laws.values():
        chapters = {chapter.id for chapter in law.chapters}
        for provision in law.provisions:
            if provision.id != f"art-{provision.number}":
                yield ds.problem(
                    provision, "id", f"id must be 'art-{provision.number}' to match number {provision.number}"
                )
            if provision.chapter not in chapters:
                yield ds.problem(
                    provision,
                    "chapter",
                    f"unknown chapter {provision.chapter!r}: use one of {', '.join(sorted(chapters))}",
                )


# ---------------------------------------------------------------- references


def _refs(ds: Dataset, item: Model, field: str, allowed: Callable[[str], bool], what: str) -> Iterator[Problem]:
    for index, ref in enumerate(getattr(item, field)):
        if not allowed(ref):
            yield ds.problem(item, field, f"{ref!r} does not name {what} in the content: check the id", index)


def references_resolve(ds: Dataset) -> Iterator[Problem]:
    def is_article(ref: str) -> bool:
        return ref in ds.articles or ref.partition("/")[0] in ds.failed

    for instrument in ds.instruments.values():
        if instrument.parent and instrument.parent not in ds.instruments and instrument.parent not in ds.failed:
            yield ds.problem(instrument, "parent", f"no instrument {instrument.parent!r}")
        for article in instrument.articles:
            yield from _refs(ds, article, "related", is_article, "an article")
        for reservation in instrument.reservations_allowed:
            if reservation.article and not is_article(reservation.article):
                yield ds.problem(reservation, "article", f"{reservation.article!r} does not name an article")
    for law in ds.model_laws.values():
        for provision in law.provisions:
            yield from _refs(
                ds,
                provision,
                "implements",
                lambda ref: is_article(ref) or ref in ds.paragraphs,
                "an article or paragraph",
            )
    for standard in ds.standards.values():
        yield from _refs(ds, standard, "related", ds.exists, "an article, provision or standard")
    for activity in ds.activities.values():
        yield from _refs(ds, activity, "serves", ds.exists, "an article, provision or standard")
    if ds.cooperation:
        yield from _refs(ds, ds.cooperation, "legal_basis", is_article, "an article")
        for step in ds.cooperation.steps:
            yield from _refs(ds, step, "legal_basis", is_article, "an article")
            yield from _refs(ds, step, "standards", lambda ref: ref in ds.standards or "vps" in ds.failed, "a standard")
    if ds.glossary:
        terms = {term.id for term in ds.glossary.terms}
        for term in ds.glossary.terms:
            yield from _refs(ds, term, "see_also", terms.__contains__, "a glossary term")
    if ds.frontline:
        for _anchor, section in frontline_sections(ds.frontline):
            yield from _refs(ds, section, "related", ds.exists, "an article, provision or standard")
        if ds.cooperation:
            steps = [step.id for step in ds.cooperation.steps]
            for index, step in enumerate(ds.frontline.sop_steps):
                if step in ds.frontline.sop_steps[:index]:
                    yield ds.problem(ds.frontline, "sop_steps", f"{step!r} is listed twice: remove one", index)
                elif step not in steps:
                    yield ds.problem(
                        ds.frontline,
                        "sop_steps",
                        f"{step!r} is not a step of the cooperation procedure: use one of {', '.join(steps)}",
                        index,
                    )
    for country in ds.countries.values():
        for record in country.ratifications:
            if record.instrument not in ds.instruments and record.instrument not in ds.failed:
                hint = difflib.get_close_matches(record.instrument, list(ds.instruments), n=1, cutoff=0.75)
                yield ds.problem(
                    record,
                    "instrument",
                    f"no instrument {record.instrument!r}: "
                    + (f"did you mean {hint[0]!r}?" if hint else f"use one of {', '.join(sorted(ds.instruments))}"),
                )
            for reservation in record.reservations:
                if reservation.article and not is_article(reservation.article):
                    yield ds.problem(reservation, "article", f"{reservation.article!r} does not name an article")
        for assessment in country.coverage:
            in_failed_file = assessment.provision.partition("/")[0] in ds.failed
            if assessment.provision not in ds.provisions and not in_failed_file:
                yield ds.problem(
                    assessment, "provision", f"{assessment.provision!r} is not a model provision: check the id"
                )


# ---------------------------------------------------------------- countries


ISO3 = {country.alpha_3 for country in pycountry.countries}


def iso_codes_exist(ds: Dataset) -> Iterator[Problem]:
    for instrument in ds.instruments.values():
        for index, code in enumerate(instrument.open_to or ()):
            if code not in ISO3:
                yield ds.problem(instrument, "open_to", f"{code!r} is not an ISO 3166-1 alpha-3 code", index)
    for country in ds.countries.values():
        if country.id.upper() not in ISO3:
            yield ds.problem(country, "id", f"{country.id!r} is not an ISO 3166-1 alpha-3 code")
        for index, code in enumerate(country.neighbours):
            if code not in ISO3:
                yield ds.problem(country, "neighbours", f"{code!r} is not an ISO 3166-1 alpha-3 code", index)
        for agreement in country.agreements:
            for index, code in enumerate(agreement.parties):
                if code not in ISO3:
                    yield ds.problem(agreement, "parties", f"{code!r} is not an ISO 3166-1 alpha-3 code", index)
            if country.id.upper() not in agreement.parties:
                yield ds.problem(
                    agreement, "parties", f"the country itself ({country.id.upper()}) must be one of the parties"
                )


def every_instrument_recorded(ds: Dataset) -> Iterator[Problem]:
    """A record per instrument the country may join, and none for one it may not; a record under a misspelt id is
    reported as that (references_resolve), not as a missing record."""
    for country in ds.countries.values():
        recorded = {record.instrument for record in country.ratifications}
        unknown = list(recorded - set(ds.instruments))
        open_ones = {i.id for i in instruments_open_to(ds, country)}
        for missing in sorted(open_ones - recorded - ds.failed):
            if difflib.get_close_matches(missing, unknown, n=1, cutoff=0.75):
                continue  # the misspelt record is reported where it is
            yield ds.problem(
                country, "ratifications", f"no record for {missing!r}: add one (status `unknown` if not known)"
            )
        for record in country.ratifications:
            instrument = ds.instruments.get(record.instrument)
            if instrument is not None and instrument.id not in open_ones:
                yield ds.problem(
                    record,
                    "instrument",
                    f"{instrument.short_title} is open only to {', '.join(instrument.open_to or ())}: "
                    f"remove this record ({country.id.upper()} may not join it)",
                )


def ratification_consistent(ds: Dataset) -> Iterator[Problem]:
    for country in ds.countries.values():
        for record in country.ratifications:
            if record.status is TreatyStatus.PARTY and record.action is None:
                yield ds.problem(record, "status", "a party needs `action` (ratification, accession, ...)")
            if record.status is not TreatyStatus.PARTY and (record.deposited or record.action):
                yield ds.problem(
                    record,
                    "status",
                    f"status is {record.status.value!r} but a deposit or action is given: set status `party` or remove them",
                )
            if record.status is TreatyStatus.SIGNATORY and not record.signed and not record.note:
                yield ds.problem(
                    record,
                    "signed",
                    "a signatory needs the signature date (`signed`), or a `note` saying it is not known",
                )
            if record.action and record.action.value == "ratification" and not record.signed and not record.note:
                yield ds.problem(
                    record, "signed", "ratification follows a signature: give `signed`, or explain in `note`"
                )


ASSESSED = (Coverage.FULL, Coverage.PARTIAL, Coverage.NONE)
FIRST_HAND = (SourceKind.STATUTE, SourceKind.SELF_ASSESSMENT)  # the law read, by us or by its own government


def coverage_justified(ds: Dataset) -> Iterator[Problem]:
    """An assessment rests on the statute's text; `unknown` and `not-applicable` say why."""
    for country in ds.countries.values():
        for assessment in country.coverage:
            value = assessment.coverage.value
            if assessment.coverage in ASSESSED and not assessment.citation:
                yield ds.problem(
                    assessment,
                    "citation",
                    f"coverage {value!r} needs the national provision in `citation` (act, year, section and "
                    "subsection; for `none`, the laws read)",
                )
            if assessment.coverage is not Coverage.FULL and not assessment.note:
                why = {
                    Coverage.UNKNOWN: "what was searched for, and where",
                    Coverage.NOT_APPLICABLE: "why the provision does not apply to this country",
                }.get(assessment.coverage, "what the national law does and what is missing")
                yield ds.problem(assessment, "note", f"coverage {value!r} needs a `note` saying {why}")
            if assessment.coverage in ASSESSED and not any(s.kind in FIRST_HAND for s in assessment.sources):
                yield ds.problem(
                    assessment,
                    "sources",
                    f"coverage {value!r} must rest on the text of the law: add the statute you read to `sources` "
                    "with `kind: statute` (reports about the law may be added as `kind: secondary`)",
                )


def placeholders_replaced(ds: Dataset) -> Iterator[Problem]:
    """The summary and its source that `new-country` leaves to the editor cannot be published as they are."""
    for document in ds.documents:
        for item in walk(document.model):
            for name in type(item).model_fields:
                value = getattr(item, name)
                if isinstance(value, str) and TO_REPLACE in value:
                    yield ds.problem(
                        item,
                        name,
                        f"still the `{TO_REPLACE}` placeholder `tiptoolkit new-country` wrote: replace it with what "
                        "the sources say (the build refuses a file that still holds one)",
                    )


def checklist_answers_resolve(ds: Dataset) -> Iterator[Problem]:
    """A country's checklist answers name a standard once each, and only that standard's items."""
    if "vps" in ds.failed:
        return
    for country in ds.countries.values():
        seen: set[str] = set()
        for record in country.protection_checklist:
            standard = ds.standards.get(record.standard)
            if standard is None:
                yield ds.problem(
                    record, "standard", f"{record.standard!r} is not a victim protection standard: use `vps/<id>`"
                )
                continue
            if record.standard in seen:
                yield ds.problem(record, "standard", f"{record.standard!r} is answered twice: merge the two records")
            seen.add(record.standard)
            items = [item.id for item in standard.checklist]
            for item in record.answers:
                if item not in items:
                    yield ds.problem(
                        record,
                        "answers",
                        f"{item!r} is not an item of {record.standard}'s checklist: use one of {', '.join(items)}",
                    )


def mandatory_provisions_assessed(ds: Dataset) -> Iterator[Problem]:
    if ds.failed & {"tip-model-law", "som-model-law"} or not ds.model_laws:
        return
    mandatory = [key for key, provision in ds.provisions.items() if provision.mandatory]
    for country in ds.countries.values():
        assessed = {assessment.provision for assessment in country.coverage}
        missing = [key for key in mandatory if key not in assessed]
        if missing:
            block = "".join(
                f"\n  - provision: {key}\n    coverage: unknown\n    note: Not yet searched.\n"
                f"    last_reviewed: {today().isoformat()}"
                for key in missing
            )
            yield ds.problem(
                country,
                "coverage",
                f"{len(missing)} mandatory provision(s) not assessed: paste these rows under `coverage:` and fill "
                f"them in (keep `unknown` and say in `note` what was searched if not known):{block}",
            )


# ---------------------------------------------------------------- model law against the instruments


def mandatory_articles_implemented(ds: Dataset) -> Iterator[Problem]:
    if ds.failed & set(ds.model_laws) or any(stem.endswith("model-law") for stem in ds.failed):
        return
    implemented = {
        article_key(ref) for provision in ds.provisions.values() if provision.mandatory for ref in provision.implements
    }
    for instrument in ds.instruments.values():
        if instrument.kind != "protocol":
            continue
        for article in instrument.articles:
            binding = article.obligation is Obligation.MANDATORY or any(
                paragraph.obligation is Obligation.MANDATORY for paragraph in article.paragraphs
            )
            if binding and f"{instrument.id}/{article.id}" not in implemented:
                yield ds.problem(
                    article,
                    "obligation",
                    f"mandatory article {instrument.id}/{article.id} is implemented by no mandatory model provision: add one or list it in `implements`",
                )


def mandatory_label_follows_treaties(ds: Dataset) -> Iterator[Problem]:
    """`mandatory` is true exactly when the provision implements a mandatory article or paragraph."""
    for law in ds.model_laws.values():
        for provision in law.provisions:
            if not all(ref in ds.articles or ref in ds.paragraphs for ref in provision.implements):
                continue  # an unresolved reference (or a file that did not load) is reported on its own
            required = ds.requires(provision)
            if provision.mandatory and not required:
                yield ds.problem(
                    provision,
                    "mandatory",
                    "marked mandatory, but nothing it implements binds a State (only qualified, optional or general "
                    "articles or paragraphs): set `mandatory: false`, or name in `implements` the mandatory "
                    "paragraph it carries out, e.g. `tip-protocol/art-6(2)`",
                )
            elif required and not provision.mandatory:
                binding = ", ".join(ref for ref in provision.implements if ds.binds(ref))
                yield ds.problem(
                    provision, "mandatory", f"implements {binding}, which States must carry out: set `mandatory: true`"
                )


# ---------------------------------------------------------------- dates


DATE_FIELDS = ("adopted", "entry_into_force", "signed", "deposited", "in_force", "established", "last_reviewed")


DATE_ORDER = (
    ("signed", "deposited"),
    ("deposited", "in_force"),
    ("signed", "in_force"),
    ("adopted", "entry_into_force"),
)


def _earliest(value: str | date) -> date:
    return value if isinstance(value, date) else date_range(value)[0]


def _latest(value: str | date) -> date:
    return value if isinstance(value, date) else date_range(value)[1]


def dates_possible(ds: Dataset) -> Iterator[Problem]:
    now = today()
    for document in ds.documents:
        for item in walk(document.model):
            fields = type(item).model_fields  # only read fields the item has: a missing one is slow to ask for
            for name in DATE_FIELDS:
                value = getattr(item, name) if name in fields else None
                if value and _earliest(value) > now:
                    yield ds.problem(item, name, f"{value} is in the future (today is {now})")
            for before, after in DATE_ORDER:
                if before in fields and after in fields:
                    first, second = getattr(item, before), getattr(item, after)
                    if first and second and _earliest(first) > _latest(second):
                        yield ds.problem(item, after, f"{after} ({second}) is before {before} ({first})")
            if "start" in fields and "end" in fields:
                start, end = item.start, item.end
                if isinstance(start, int) and isinstance(end, int) and start > end:
                    yield ds.problem(item, "end", f"the plan ends ({end}) before it starts ({start})")


# ---------------------------------------------------------------- translations


def pdf_alias_unique(ds: Dataset) -> Iterator[Problem]:
    """Two regions cannot publish their toolkit under the same older name."""
    seen: dict[str, str] = {}
    for region in sorted(ds.regions.values(), key=lambda r: r.id):
        if region.pdf_alias is None:
            continue
        if region.pdf_alias in seen:
            yield ds.problem(
                region,
                "pdf_alias",
                f"{seen[region.pdf_alias]} already publishes its toolkit as {region.pdf_alias}-en.pdf: "
                "remove one of the two `pdf_alias`",
            )
        seen.setdefault(region.pdf_alias, region.id)


def translations_current(ds: Dataset) -> Iterator[Problem]:
    """Content translations: a known language, some text, and the English they translate unchanged since."""
    from . import i18n

    for item in i18n.translatable_items(ds):
        for lang, translation in item.translations.items():
            if lang == i18n.ENGLISH:
                yield ds.problem(item, "translations", "the English text is the item itself: remove `en` here", lang)
                continue
            if lang not in ds.languages and lang not in ds.failed:
                yield ds.problem(
                    item,
                    "translations",
                    f"no interface language {lang!r}: add toolkit_data/i18n/{lang}.yaml first, or fix the code",
                    lang,
                )
            fields = i18n.given_fields(translation)
            if not fields:
                names = ", ".join(i18n.translatable_fields(type(translation)))
                yield ds.problem(translation, None, f"this translation gives no text: add one of {names}, or remove it")
                continue
            expected = i18n.expected_hash(item, translation)
            if translation.source_hash != expected:
                yield ds.problem(
                    translation,
                    "source_hash",
                    f"the English {' and '.join(fields)} changed after this {lang!r} translation was written: "
                    f"update the translation to match, then set source_hash to {expected} (or remove the translation: English will be shown)",
                )


def interface_strings_consistent(ds: Dataset) -> Iterator[Problem]:
    """Interface strings: every key known in English, the same placeholders, the English unchanged since."""
    from . import i18n

    if not ds.languages:
        return
    english = ds.languages.get(i18n.ENGLISH)
    if english is None:
        if "en" not in ds.failed:
            yield Problem("i18n/en.yaml", 1, 1, "", "the English interface strings are missing: restore i18n/en.yaml")
        return
    for key, entry in english.strings.items():
        if entry.source_hash:
            yield ds.problem(entry, "source_hash", f"English is the source: remove source_hash from {key!r}")
    for lang, language in ds.languages.items():
        if lang == i18n.ENGLISH:
            continue
        for key, entry in language.strings.items():
            source = english.strings.get(key)
            if source is None:
                yield ds.problem(entry, None, f"no English string {key!r}: remove it, or add it to i18n/en.yaml first")
                continue
            expected = i18n.fingerprint(source.text)
            if entry.source_hash is None:
                yield ds.problem(
                    entry,
                    "source_hash",
                    f"a translation needs source_hash: {expected} (the fingerprint of the English string)",
                )
            elif entry.source_hash != expected:
                yield ds.problem(
                    entry,
                    "source_hash",
                    f"the English string {key!r} changed after this translation was written: "
                    f"update the translation to match, then set source_hash to {expected}",
                )
            if i18n.placeholders(entry.text) != i18n.placeholders(source.text):
                wanted = ", ".join(f"{{{name}}}" for name in sorted(i18n.placeholders(source.text))) or "none"
                yield ds.problem(entry, "text", f"placeholders differ from the English: use exactly {wanted}")


def terminology_followed(ds: Dataset) -> Iterator[Problem]:
    """Each language's legal terms rendered one way, as its terminology base says; its exceptions still needed."""
    from . import terminology

    for lang, language in ds.languages.items():
        seen: set[str] = set()
        for index, entry in enumerate(language.terminology):
            if entry.en.casefold() in seen:
                yield ds.problem(language, "terminology", f"{entry.en!r} is given twice: keep one rendering", index)
            seen.add(entry.en.casefold())
        for misuse in terminology.misuses(ds, lang):
            yield ds.problem(misuse.text.owner, misuse.text.field, misuse.message(lang))
        for entry, index in terminology.unused_exceptions(ds, lang):
            yield ds.problem(
                entry,
                "exceptions",
                f"no {lang!r} text {entry.exceptions[index].at!r} whose English says {entry.en!r}: remove this exception",
                index,
            )


# Every rule, in the order they run. Listed here rather than marked by a decorator: mutation testing
# (scripts/mutation.py) leaves decorated functions unchanged, and these are the functions it must reach.
RULES: tuple[Rule, ...] = (
    file_name_is_id,
    file_names_its_schema,
    required_documents,
    unique_ids,
    provision_numbering,
    references_resolve,
    iso_codes_exist,
    every_instrument_recorded,
    ratification_consistent,
    coverage_justified,
    placeholders_replaced,
    checklist_answers_resolve,
    mandatory_provisions_assessed,
    mandatory_articles_implemented,
    mandatory_label_follows_treaties,
    dates_possible,
    pdf_alias_unique,
    translations_current,
    interface_strings_consistent,
    terminology_followed,
)


def stale(ds: Dataset, days: int) -> list[Problem]:
    """Fact-bearing items not reviewed within `days` days."""
    now = today()
    found = []
    for document in ds.documents:
        for item in walk(document.model):
            reviewed = stale_since(item, now, days)
            if reviewed:
                found.append(
                    ds.problem(
                        item,
                        "last_reviewed",
                        f"last reviewed {reviewed}, {(now - reviewed).days} days ago: check it against its sources",
                    )
                )
    return sorted(found)
