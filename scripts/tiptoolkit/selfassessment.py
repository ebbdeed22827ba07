"""`tiptoolkit import-assessment`: a country toolkit's self-assessment, filled in and sent back, read into the data.

The country toolkit lists the mandatory provisions nobody has assessed, each with three form fields (see
`field_name`). A ministry fills them in and returns the PDF; this module reads the answers and writes them into the
country's file as ordinary coverage rows: `confidence: low`, a source naming the self-assessment and the day it was
received, the note as written. Only rows still `unknown` are filled; an assessed row is never overwritten, and a
disagreement is reported instead. The file is written only if the whole content still validates.
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
from .model import Country, Coverage, SourceKind
from .validate import validate

PREFIX = "assess."
ANSWERS = (Coverage.FULL.value, Coverage.PARTIAL.value, Coverage.NONE.value)


def field_name(provision: str, part: str) -> str:
    """The form field for one part (`coverage`, `citation`, `note`) of a provision's self-assessment:
    `tip-model-law/art-4` -> `assess.tip-model-law.art-4.coverage` (PDF field names cannot hold a slash)."""
    return f"{PREFIX}{provision.replace('/', '.')}.{part}"


class Refused(Exception):
    """The PDF cannot be imported; the message says why and what to do."""


@dataclass
class Outcome:
    country: Country
    imported: list[str] = field(default_factory=list)  # provisions written
    conflicts: list[str] = field(default_factory=list)  # answers that disagree with an existing assessment
    skipped: list[str] = field(default_factory=list)  # answers that could not be used, with the reason


def read_answers(data: bytes) -> tuple[dict[str, dict[str, str]], str]:
    """Provision id -> {coverage, citation, note} as filled in (empty fields left out), and the document title."""
    try:
        reader = PdfReader(io.BytesIO(data))
        fields = reader.get_fields() or {}
    except (PdfReadError, ValueError, KeyError) as error:
        raise Refused(f"not a readable PDF ({error}): send the toolkit PDF as saved after filling it in") from None
    answers: dict[str, dict[str, str]] = {}
    for name, form_field in fields.items():
        if not name.startswith(PREFIX):
            continue
        stem, _, part = name[len(PREFIX) :].rpartition(".")
        law, _, article = stem.partition(".")
        value = str(form_field.get("/V") or "").strip()
        if value:
            answers.setdefault(f"{law}/{article}", {})[part] = value
    title = str((reader.metadata or {}).get("/Title") or "")
    return answers, title


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


def _row(provision: str, answer: dict[str, str], country: Country, pdf_name: str, received: date) -> CommentedMap:
    row = CommentedMap(provision=provision, coverage=answer["coverage"])
    if answer.get("citation"):
        row["citation"] = answer["citation"]
    if answer.get("note"):
        row["note"] = answer["note"]
    row["sources"] = [
        CommentedMap(
            title=f"Self-assessment returned in the {country.name} toolkit ({pdf_name}), received {received.isoformat()}",
            issuer=f"Government of {country.name}",
            year=received.year,
            kind=SourceKind.SELF_ASSESSMENT.value,
        )
    ]
    row["last_reviewed"] = date.fromordinal(received.toordinal())  # a fresh object each: no YAML anchor and alias
    row["confidence"] = "low"
    return row


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


def import_assessment(root: Path, pdf: Path, iso3: str | None = None, received: date | None = None) -> Outcome:
    """Read a filled toolkit into its country's file; the file changes only if the content still validates."""
    ds, problems = validate(root)
    if problems:
        raise Refused(f"the content has {len(problems)} problem(s): run `tiptoolkit validate` and fix them first")
    answers, title = read_answers(pdf.read_bytes())
    if not answers:
        raise Refused("no self-assessment answers found: fill in the table of provisions not yet assessed, then save")
    country = country_of(ds, title, iso3)
    path = root / "countries" / f"{country.id}.yaml"
    original = path.read_text(encoding="utf-8")
    yaml = roundtrip_yaml()
    data = yaml.load(original)
    outcome = merge(data["coverage"], answers, country, pdf.name, received or today())
    if not outcome.imported:
        return outcome
    out = io.StringIO()
    yaml.dump(data, out)
    write_atomic(path, canonical(out.getvalue()))
    _, problems = validate(root)
    if problems:
        write_atomic(path, original)
        raise Refused("the answers did not validate, nothing was changed:\n" + "\n".join(map(str, problems)))
    return outcome


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
    for title, lines in (("conflicts (data kept)", outcome.conflicts), ("not imported", outcome.skipped)):
        if lines:
            print(f"{len(lines)} {title}:")
            print("\n".join(f"  ! {line}" for line in lines))
    if outcome.imported:
        print(f"review the change with `git diff toolkit_data/countries/{outcome.country.id}.yaml`, then commit it")
    return 0
