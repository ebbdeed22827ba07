"""`tiptoolkit new-country ISO3`: start a country file.

The file holds every required key, a ratification record with status `unknown` for
every instrument (its source is the instrument's status page, where the editor
checks it), and a coverage assessment `unknown` for every model provision. Editors
then replace what they know, one fact and its source at a time. The summary and its
source are `TO-REPLACE` placeholders: only an editor can write them, and the validator
(so the build) refuses the file until they are replaced; nothing else in it is a problem.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pycountry

from .analysis import all_provisions, instruments_in_order, open_to
from .dataset import Dataset, today
from .fmt import canonical
from .problems import Problem
from .regions import REGION_NAMES, region_of
from .validate import TO_REPLACE, validate

PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'()/-]*")
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/country.schema.json"


class Refused(Exception):
    """The country file cannot be started; the message says why and what to do."""


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that is safe, double-quoted otherwise."""
    if PLAIN.fullmatch(text) and text.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n"):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def identify(iso3: str, region: str | None = None) -> tuple[str, str, str, str]:
    """(code, name, official name, region) of an ISO 3166-1 alpha-3 code; Refused when unknown or without region."""
    code = iso3.strip().upper()
    record = pycountry.countries.get(alpha_3=code) if len(code) == 3 and code.isalpha() else None
    if record is None:
        raise Refused(f"{iso3!r} is not an ISO 3166-1 alpha-3 code: look it up at https://www.iso.org/obp/ui/#search")
    region = region or region_of(code)
    if region not in REGION_NAMES:
        choices = ", ".join(REGION_NAMES)
        raise Refused(f"give the UN M49 sub-region of {record.name} with --region, one of: {choices}")
    name = getattr(record, "common_name", None) or record.name
    official = getattr(record, "official_name", None) or record.name
    return code, name, official, region


def country_yaml(ds: Dataset, iso3: str, region: str | None = None) -> str:
    """The text of a new, valid country file for `iso3` (any case)."""
    code, name, official, region = identify(iso3, region)
    reviewed = today().isoformat()
    lines = [
        SCHEMA_LINE,
        f"# {name}: started with `tiptoolkit new-country {code}`. Every fact below is `unknown` until",
        "# an editor checks it against a primary source; see CONTRIBUTING.md.",
        f"id: {code.lower()}",
        f"name: {_scalar(name)}",
        f"official_name: {_scalar(official)}",
        f"region: {region}",
        "neighbours: []  # ISO3 codes in capitals, e.g. - IND",
        "languages: []  # ISO 639 codes, e.g. - ne",
        "summary: >-",
        f"  {TO_REPLACE}: two or three sentences on where {name} stands (the treaties it has joined, its main",
        "  law, its action plan), each fact from a source listed below.",
        "sources:",
        f"  - title: '{TO_REPLACE}: the source of the summary (a statute, a gazette, a treaty status page)'",
        f"    url: https://example.org/{TO_REPLACE}",
        f"last_reviewed: {reviewed}",
        "confidence: low",
        "ratifications:",
    ]
    for instrument in (i for i in instruments_in_order(ds) if open_to(i, code)):
        lines += [
            f"  - instrument: {instrument.id}",
            "    status: unknown",
            "    sources:",
            f"      - title: {_scalar('Status of ' + instrument.short_title)}",
            f"        issuer: {_scalar(instrument.depositary)}",
            f"        url: {instrument.status_url or instrument.official_url}",
            f"    last_reviewed: {reviewed}",
            "    confidence: low",
        ]
    lines += ["laws: []", "coverage:"]
    for key, _law, _provision in all_provisions(ds):
        lines += [
            f"  - provision: {key}",
            "    coverage: unknown",
            "    note: Not yet searched.",
            f"    last_reviewed: {reviewed}",
            "    confidence: low",
        ]
    lines += ["action_plans: []", "agreements: []", "contacts: []"]
    return canonical("\n".join(lines) + "\n")


def blocking(problems: list[Problem]) -> list[Problem]:
    """The problems other than placeholders left for an editor (a country started before this one, or this one)."""
    return [problem for problem in problems if TO_REPLACE not in problem.message]


def new_country(root: Path, iso3: str, region: str | None = None) -> Path:
    """Write `countries/<iso3>.yaml` under `root`; refuse unknown codes, existing countries and invalid content."""
    code = identify(iso3, region)[0].lower()
    target = root / "countries" / f"{code}.yaml"
    if target.exists():
        raise Refused(f"{target.relative_to(root.parent)} already exists: edit it instead of starting a new one")
    ds, problems = validate(root)
    if blocking(problems):
        raise Refused(f"the content has {len(problems)} problem(s): run `tiptoolkit validate` and fix them first")
    text = country_yaml(ds, iso3, region)
    target.write_text(text, encoding="utf-8", newline="\n")
    _, problems = validate(root)
    mine = [p for p in blocking(problems) if p.file == f"countries/{code}.yaml"]
    if mine:
        target.unlink()
        raise Refused("the new file did not validate (please report this):\n" + "\n".join(map(str, mine)))
    return target


def run(root: Path, iso3: str, region: str | None = None) -> int:
    """CLI entry: 0 written, 2 refused."""
    try:
        target = new_country(root, iso3, region)
    except Refused as error:
        print(f"new-country refused: {error}", file=sys.stderr)
        return 2
    official = region_of(iso3)
    if region and official and region != official:
        print(
            f"new-country: note that the UN M49 classification puts {iso3.upper()} in {official}; the file says "
            f"`region: {region}` as asked (run it without --region to use the UN's)",
            file=sys.stderr,
        )
    shown = target.relative_to(root.parent)
    print(
        f"wrote {shown}: write its summary and the summary's source where it says {TO_REPLACE} (the build refuses "
        "the file until then), replace the `unknown` records with what the sources say, and run `tiptoolkit validate`"
    )
    return 0
