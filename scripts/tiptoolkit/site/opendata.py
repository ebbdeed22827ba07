"""Open data: the whole content as JSON, one JSON file per country, CSV matrices, and the JSON Schemas."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from .. import analysis
from ..dataset import Dataset
from ..schemas import cached_schema_texts


def _json(value: object) -> str:
    """Compact: smaller to download, and json's C encoder writes it (an indented dump is pure Python)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    # A cell starting with = + - @ (or a tab or carriage return before one) is a formula to a spreadsheet:
    # prefix it so it stays text.
    writer.writerows(
        [[f"'{v}" if isinstance(v, str) and v[:1] and v[:1] in "=+-@\t\r" else v for v in row] for row in rows]
    )
    return buffer.getvalue()


def files(ds: Dataset) -> dict[str, str]:
    """Relative path under `data/` -> file text."""
    countries = {c.id: c.model_dump(mode="json") for c in analysis.countries_in_order(ds)}  # dumped once
    dump = {
        "instruments": [i.model_dump(mode="json") for i in analysis.instruments_in_order(ds)],
        "model_laws": [law.model_dump(mode="json") for law in sorted(ds.model_laws.values(), key=lambda law: law.id)],
        "action_plan": ds.action_plan.model_dump(mode="json"),
        "victim_protection": ds.victim_protection.model_dump(mode="json"),
        "cooperation": ds.cooperation.model_dump(mode="json"),
        "glossary": ds.glossary.model_dump(mode="json"),
        "countries": list(countries.values()),
    }
    out = {"toolkit.json": _json(dump)}
    for iso3, country in countries.items():
        out[f"countries/{iso3}.json"] = _json(country)
    out["ratifications.csv"] = _csv(
        ["country", "instrument", "status", "action", "signed", "deposited", "in_force", "confidence"],
        [
            [
                cell.country.id.upper(),
                cell.instrument.id,
                cell.status.value,
                cell.record.action.value if cell.record and cell.record.action else "",
                (cell.record.signed or "") if cell.record else "",
                (cell.record.deposited or "") if cell.record else "",
                (cell.record.in_force or "") if cell.record else "",
                cell.record.confidence.value if cell.record else "",
            ]
            for row in analysis.ratification_matrix(ds)
            for cell in row
            if cell.applicable  # an instrument not open to the country has no row
        ],
    )
    out["coverage.csv"] = _csv(
        ["country", "provision", "mandatory", "coverage", "citation", "confidence", "from_statute"],
        [
            [
                country.id.upper(),
                row.key,
                str(row.provision.mandatory).lower(),
                row.coverage.value,
                (row.assessment.citation or "") if row.assessment else "",
                row.assessment.confidence.value if row.assessment else "",
                str(row.from_statute).lower(),
            ]
            for country in analysis.countries_in_order(ds)
            for row in analysis.coverage(ds, country)
        ],
    )
    for name, text in cached_schema_texts().items():
        out[f"schemas/{name}"] = text
    return out


def write(ds: Dataset, site_dir: Path) -> None:
    target = site_dir / "data"
    if target.exists():
        shutil.rmtree(target)
    for relative, text in files(ds).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
