"""`tiptoolkit pdf NPL [--lang en] [-o PATH] [--paper a4|letter]`: validate, then render one toolkit; `tiptoolkit pdf
south-asia` renders a region's (`toolkit`, its older name, still works).
`tiptoolkit pdf NPL --pocket [--lang ne]` or `--accession som-protocol`: its pocket guide or an accession kit.

Exit codes: 0 written; 1 the content has problems (printed as `tiptoolkit validate`
prints them); 2 unknown country, language or paper.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import format_problems

if TYPE_CHECKING:
    from ..dataset import Dataset


def default_output(stem: str, lang: str) -> Path:
    """`site/toolkits/npl-en.pdf`, or `site/toolkits/region-south-asia-en.pdf` for a regional edition."""
    return Path("site") / "toolkits" / f"{stem}-{lang}.pdf"


def resolve_target(dataset: Dataset, target: str) -> tuple[str | None, str | None, str] | None:
    """What `tiptoolkit pdf TARGET` names: (ISO3, region, file stem) of a country (`NPL`), a region
    (`south-asia`) or a region's older name (`toolkit`); None when it names nothing in the content."""
    from ..analysis import regions

    if target.lower() in dataset.countries:
        return target.upper(), None, target.lower()
    for region in regions(dataset):
        if target.lower() == region.id or target.lower() in region.pdf_stems:
            stem = target.lower() if target.lower() in region.pdf_stems else region.pdf_stems[0]
            return None, region.id, stem
    return None


def render_one(root: Path, country: str, lang: str = "en", output: Path | None = None, paper: str = "a4") -> int:
    from ..validate import validate
    from .render import LANGUAGES, PAPERS

    national = lang not in LANGUAGES  # a national-language edition: checked against the content below
    if paper not in PAPERS:
        print(f"unknown paper {paper!r}: use one of {', '.join(PAPERS)}", file=sys.stderr)
        return 2

    dataset, problems = validate(root)
    if problems:
        print(format_problems(problems, "text", prefix=f"{root.name}/"))
        files = len({p.file for p in problems})
        print(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''}: "
            "fix them before rendering a toolkit",
            file=sys.stderr,
        )
        return 1
    if national:
        from ..views.edition import editions

        found = editions(dataset)
        if (country.lower(), lang) not in found:
            known = ", ".join(f"{iso3.upper()} --lang {code}" for iso3, code in found) or "none yet"
            print(f"no {lang!r} edition of {country}: national-language editions are {known}", file=sys.stderr)
            return 2

    resolved = resolve_target(dataset, country)
    if resolved is None:
        from ..analysis import regions

        known = ", ".join(sorted(code.upper() for code in dataset.countries)) or "none yet"
        areas = ", ".join(r.id for r in regions(dataset)) or "none yet"
        print(
            f"unknown country or region {country!r}: use an ISO3 code in the content ({known}) or a region ({areas})",
            file=sys.stderr,
        )
        return 2
    iso3, region, stem = resolved

    from ..analysis import region_dataset
    from ..files import write_atomic
    from .render import render_country

    started = time.perf_counter()
    content = region_dataset(dataset, region) if region else dataset
    data = render_country(content, iso3, lang=lang, paper=paper)
    target = write_atomic(output or default_output(stem, lang), data, durable=True)
    seconds = time.perf_counter() - started
    print(target)
    print(f"{len(data) / 1024:.0f} KB in {seconds:.1f} s", file=sys.stderr)
    return 0


def render_product(
    root: Path, country: str, kind: str, instrument: str | None = None, output: Path | None = None, lang: str = "en"
) -> int:
    """`tiptoolkit pdf NPL --pocket [--lang ne]` or `--accession som-protocol`: one pocket guide (in any language
    with interface strings) or accession kit (in English)."""
    from ..analysis import accession_stem, pocket_stem
    from ..validate import validate

    dataset, problems = validate(root)
    if problems:
        print(format_problems(problems, "text", prefix=f"{root.name}/"))
        print(f"{len(problems)} problem(s): fix them before rendering", file=sys.stderr)
        return 1
    found = dataset.countries.get(country.lower())
    if found is None:
        known = ", ".join(sorted(code.upper() for code in dataset.countries)) or "none yet"
        print(f"unknown country {country!r}: use an ISO3 code in the content ({known})", file=sys.stderr)
        return 2
    if lang not in dataset.languages or (kind != "pocket" and lang != "en"):
        offered = ", ".join(sorted(dataset.languages)) if kind == "pocket" else "en"
        what = "pocket guide" if kind == "pocket" else "accession kit"
        print(f"no {lang!r} edition of the {what}: languages are {offered}", file=sys.stderr)
        return 2
    from ..files import write_atomic
    from .accession import render_accession
    from .pocket import render_pocket

    started = time.perf_counter()
    if kind == "pocket":
        if dataset.frontline is None:
            print("no frontline guide in the content: add toolkit_data/frontline/frontline.yaml", file=sys.stderr)
            return 2
        data, stem = render_pocket(dataset, found.id, lang), pocket_stem(found, lang)
    else:
        if instrument not in dataset.instruments:
            known = ", ".join(sorted(dataset.instruments))
            print(f"unknown instrument {instrument!r}: use one of {known}", file=sys.stderr)
            return 2
        data = render_accession(dataset, found.id, instrument)
        stem = accession_stem(found, dataset.instruments[instrument])
    target = write_atomic(output or Path("site") / "toolkits" / f"{stem}.pdf", data, durable=True)
    print(target)
    print(f"{len(data) / 1024:.0f} KB in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0
