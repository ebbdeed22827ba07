"""`tiptoolkit import-assessment`: a country toolkit's self-assessment, filled in and sent back, read into the data.

The country toolkit lists the mandatory provisions nobody has assessed, each with three form fields (see
`field_name`). A ministry fills them in and returns the PDF; this module reads the answers and writes them into the
country's file as ordinary coverage rows: `confidence: low`, a source naming the self-assessment and the day it was
received, the note as written. Only rows still `unknown` are filled; an assessed row is never overwritten, and a
disagreement is reported instead. The victim protection checklist comes back the same way (`checklist_field_name`):
one `protection_checklist` record per standard answered, never changing a standard already answered. The file is
written only if the whole content still validates.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from ruamel.yaml.comments import CommentedMap

from .dataset import Dataset, today
from .files import write_atomic
from .fmt import canonical, roundtrip_yaml
from .model import CHECKLIST_ANSWERS, Country, Coverage, SourceKind
from .validate import validate

PREFIX = "assess."
ANSWERS = (Coverage.FULL.value, Coverage.PARTIAL.value, Coverage.NONE.value)
CHECKLIST_PREFIX = "vps."
NOTES = "notes"  # the checklist's notes field of a standard: `vps.<standard>.notes`


def field_name(provision: str, part: str) -> str:
    """The form field for one part (`coverage`, `citation`, `note`) of a provision's self-assessment:
    `tip-model-law/art-4` -> `assess.tip-model-law.art-4.coverage` (PDF field names cannot hold a slash)."""
    return f"{PREFIX}{provision.replace('/', '.')}.{part}"


def checklist_field_name(standard: str, item: str) -> str:
    """The form field of one checklist item (or `NOTES`) of a standard: `identification`, `q1` -> `vps.identification.q1`."""
    return f"{CHECKLIST_PREFIX}{standard}.{item}"


@dataclass
class Returned:
    """What a filled toolkit holds: self-assessed provisions, checklist answers and notes, the document title."""

    provisions: dict[str, dict[str, str]]  # provision id -> {coverage, citation, note}
    checklist: dict[str, dict[str, str]]  # `vps/<standard>` -> {item id: answer}
    notes: dict[str, str]  # `vps/<standard>` -> what is missing, who acts next
    title: str

    def __bool__(self) -> bool:
        return bool(self.provisions or self.checklist or self.notes)


class Refused(Exception):
    """The PDF cannot be imported; the message says why and what to do."""


@dataclass
class Outcome:
    country: Country
    imported: list[str] = field(default_factory=list)  # provisions written
    checklist: list[str] = field(default_factory=list)  # standards whose checklist answers were written
    conflicts: list[str] = field(default_factory=list)  # answers that disagree with an existing assessment
    skipped: list[str] = field(default_factory=list)  # answers that could not be used, with the reason


def read_answers(data: bytes) -> Returned:
    """The filled-in fields of a returned toolkit (empty fields left out)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, KeyError) as error:
        raise Refused(f"not a readable PDF ({error}): send the toolkit PDF as saved after filling it in") from None
    returned = Returned({}, {}, {}, str((reader.metadata or {}).get("/Title") or ""))
    for name, form_field in fields.items():
        value = str(form_field.get("/V") or "").strip()
        if not value:
            continue
        if name.startswith(PREFIX):
            stem, _, part = name[len(PREFIX) :].rpartition(".")
            law, _, article = stem.partition(".")
            returned.provisions.setdefault(f"{law}/{article}", {})[part] = value
        elif name.startswith(CHECKLIST_PREFIX):
            standard, _, item = name[len(CHECKLIST_PREFIX) :].rpartition(".")
            if item == NOTES:
                returned.notes[f"vps/{standard}"] = value
            else:
                returned.checklist.setdefault(f"vps/{standard}", {})[item] = value
    return returned


def country_of(ds: Dataset, title: str, iso3: str | None) -> Country:
    if iso3:
        country = ds.countries.get(iso3.lower())
        if country is None:
            raise Refused(f"no country {iso3.upper()} in the content: give its three-letter code, e.g. NPL")
        return country
    matches = [c for c in ds.countries.values() if title.endswith(f": {c.name}")]
    if len(matches) != 1:
        raise Refused(f"cannot tell the country from the document title {title!r}: give it with --country, e.g. NPL")
    return matches[0]


def _self_assessed(record: CommentedMap, country: Country, pdf_name: str, received: date) -> CommentedMap:
    """`record` with the self-assessment as its source, reviewed on the day received, confidence low."""
    record["sources"] = [
        CommentedMap(
            title=f"Self-assessment returned in the {country.name} toolkit ({pdf_name}), received {received.isoformat()}",
            issuer=f"Government of {country.name}",
            year=received.year,
            kind=SourceKind.SELF_ASSESSMENT.value,
        )
    ]
    record["last_reviewed"] = date.fromordinal(received.toordinal())  # a fresh object each: no YAML anchor and alias
    record["confidence"] = "low"
    return record


def _row(provision: str, answer: dict[str, str], country: Country, pdf_name: str, received: date) -> CommentedMap:
    row = CommentedMap(provision=provision, coverage=answer["coverage"])
    if answer.get("citation"):
        row["citation"] = answer["citation"]
    if answer.get("note"):
        row["note"] = answer["note"]
    return _self_assessed(row, country, pdf_name, received)


def _missing(answer: dict[str, str]) -> str | None:
    """Why an answer cannot become an assessment, or None."""
    if answer.get("coverage") not in ANSWERS:
        return "no coverage chosen"
    if not answer.get("citation"):
        return "the national provision is not given"
    if answer["coverage"] != Coverage.FULL.value and not answer.get("note"):
        return "a partial or absent coverage needs a note saying what is missing"
    return None


def merge(rows: list, answers: dict[str, dict[str, str]], country: Country, pdf_name: str, received: date) -> Outcome:
    """Fill the country's `unknown` rows from the answers, in place; report what could not be used."""
    outcome = Outcome(country)
    by_provision = {row["provision"]: index for index, row in enumerate(rows)}
    for provision, answer in sorted(answers.items()):
        why = _missing(answer)
        if provision not in by_provision:
            outcome.skipped.append(f"{provision}: not a model provision of this country's file")
        elif why:
            outcome.skipped.append(f"{provision}: {why}")
        elif rows[by_provision[provision]]["coverage"] != Coverage.UNKNOWN.value:
            current = rows[by_provision[provision]]
            if current["coverage"] != answer["coverage"]:
                outcome.conflicts.append(
                    f"{provision}: the self-assessment says {answer['coverage']!r}, the data says "
                    f"{current['coverage']!r} (confidence {current.get('confidence', 'high')}); kept as it is"
                )
        else:
            rows[by_provision[provision]] = _row(provision, answer, country, pdf_name, received)
            outcome.imported.append(provision)
    return outcome


def merge_checklist(
    ds: Dataset, records: list, returned: Returned, outcome: Outcome, pdf_name: str, received: date
) -> None:
    """Add a record for each standard answered that has none yet, in place; an answered standard is kept as it is."""
    existing = {record["standard"]: record for record in records}
    for standard_id in sorted(returned.checklist.keys() | returned.notes.keys()):
        standard = ds.standards.get(standard_id)
        if standard is None:
            outcome.skipped.append(f"{standard_id}: not a victim protection standard")
            continue
        given = returned.checklist.get(standard_id, {})
        answers = {item.id: given[item.id] for item in standard.checklist if given.get(item.id) in CHECKLIST_ANSWERS}
        outcome.skipped.extend(
            f"{standard_id}.{item}: {given[item]!r} is not an answer" for item in given if item not in answers
        )
        note = returned.notes.get(standard_id)
        if standard_id in existing:
            record = existing[standard_id]
            differs = [item for item, answer in answers.items() if record.get("answers", {}).get(item) != answer]
            if differs or (note and note != record.get("note")):
                what = ", ".join(differs) + (" and the note" if note and note != record.get("note") else "")
                outcome.conflicts.append(
                    f"{standard_id}: the returned checklist differs ({what.lstrip(', ')}); kept as it is"
                )
        elif answers or note:
            record = CommentedMap(standard=standard_id, answers=CommentedMap(answers))
            if note:
                record["note"] = note
            records.append(_self_assessed(record, outcome.country, pdf_name, received))
            outcome.checklist.append(standard_id)


def import_assessment(root: Path, pdf: Path, iso3: str | None = None, received: date | None = None) -> Outcome:
    """Read a filled toolkit into its country's file; the file changes only if the content still validates."""
    ds, problems = validate(root)
    if problems:
        raise Refused(f"the content has {len(problems)} problem(s): run `tiptoolkit validate` and fix them first")
    returned = read_answers(pdf.read_bytes())
    if not returned:
        raise Refused(
            "no answers found: fill in the table of provisions not yet assessed or the victim protection "
            "checklist, then save"
        )
    country = country_of(ds, returned.title, iso3)
    path = root / "countries" / f"{country.id}.yaml"
    original = path.read_text(encoding="utf-8")
    yaml = roundtrip_yaml()
    data = yaml.load(original)
    received = received or today()
    outcome = merge(data.setdefault("coverage", []), returned.provisions, country, pdf.name, received)
    records = data.get("protection_checklist") or []
    merge_checklist(ds, records, returned, outcome, pdf.name, received)
    if not (outcome.imported or outcome.checklist):
        return outcome
    if records and "protection_checklist" not in data:
        _insert_after(data, "coverage", "protection_checklist", records)
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, canonical(out.getvalue()))
    _, problems = validate(root)
    if problems:
        write_atomic(path, original)
        raise Refused("the answers did not validate, nothing was changed:\n" + "\n".join(map(str, problems)))
    return outcome


def _insert_after(data: CommentedMap, key: str, new_key: str, value: object) -> None:
    """Put `new_key` right after `key` (or at the end), as the model orders a country's fields."""
    keys = list(data.keys())
    data.insert(keys.index(key) + 1 if key in keys else len(keys), new_key, value)


def run(root: Path, pdf: Path, iso3: str | None = None) -> int:
    """CLI entry: 0 imported (conflicts and skipped answers listed), 2 refused."""
    try:
        outcome = import_assessment(root, pdf, iso3)
    except (Refused, OSError) as error:
        print(f"import-assessment refused: {error}", file=sys.stderr)
        return 2
    name = outcome.country.name
    print(f"{name}: {len(outcome.imported)} provision(s) imported as self-assessed (confidence low)")
    for provision in outcome.imported:
        print(f"  + {provision}")
    print(f"{name}: checklist answers imported for {len(outcome.checklist)} standard(s)")
    for standard in outcome.checklist:
        print(f"  + {standard}")
    for title, lines in (("conflicts (data kept)", outcome.conflicts), ("not imported", outcome.skipped)):
        if lines:
            print(f"{len(lines)} {title}:")
            print("\n".join(f"  ! {line}" for line in lines))
    if outcome.imported or outcome.checklist:
        print(f"review the change with `git diff toolkit_data/countries/{outcome.country.id}.yaml`, then commit it")
    return 0
