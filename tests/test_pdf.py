"""The PDF toolkits, read back: structure, forms, metadata, fonts, determinism, safety.

Each PDF is rendered once per module (NPL and the regional edition from the real
content; a small hostile copy); a second NPL render runs in a subprocess with a
different hash seed, in parallel, to prove byte-identical output across processes.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdf
import pytest
import yaml

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT, Dataset
from tiptoolkit.files import write_atomic
from tiptoolkit.pdf import jinja, layout
from tiptoolkit.pdf.batch import job_html, jobs_for
from tiptoolkit.pdf.cli import default_output, render_one, resolve_target
from tiptoolkit.pdf.fetcher import ASSETS, MAX_DATA_URL, AssetFetcher, RefusedURL
from tiptoolkit.pdf.render import render_country, render_html
from tiptoolkit.text import inline, markdown_to_html, plain
from tiptoolkit.validate import validate
from tiptoolkit.views.toolkit import build_toolkit

COUNTRY = "NPL"
ROOT = DEFAULT_ROOT  # the real content; `dataset` (conftest) is it, validated once per session
SECOND_RENDER = """
import sys
from pathlib import Path
from tiptoolkit.validate import validate
from tiptoolkit.pdf.render import render_country
dataset, problems = validate(Path(sys.argv[1]))
assert not problems, problems
sys.stdout.buffer.write(render_country(dataset, sys.argv[2]))
"""


# ---------------------------------------------------------------- helpers


class Capture(logging.Handler):
    """Collects records of the `weasyprint` and `tiptoolkit.pdf` loggers."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> Capture:
        for name in ("weasyprint", "tiptoolkit.pdf"):
            logger = logging.getLogger(name)
            logger.addHandler(self)
            self._levels = getattr(self, "_levels", {}) | {name: logger.level}
            logger.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, level in self._levels.items():
            logging.getLogger(name).removeHandler(self)
            logging.getLogger(name).setLevel(level)

    def warnings(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records if r.levelno >= logging.WARNING]


@dataclass
class Rendered:
    data: bytes
    html: str
    logs: list[str]
    pdf: pikepdf.Pdf = field(init=False)
    reader: pypdf.PdfReader = field(init=False)
    _text: dict[int, str] = field(default_factory=dict)
    _lines: dict[int, list[tuple[float, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pdf = pikepdf.open(io.BytesIO(self.data))
        self.reader = pypdf.PdfReader(io.BytesIO(self.data))
        self.page_index = {page.objgen: index for index, page in enumerate(self.pdf.pages)}

    def text(self, index: int) -> str:
        if index not in self._text:
            self._text[index] = normal(self.reader.pages[index].extract_text())
        return self._text[index]

    def all_text(self) -> str:
        return "\n".join(self.text(index) for index in range(len(self.reader.pages)))

    def dest_page(self, dest: object) -> int:
        """Page index of an explicit destination array or a named destination."""
        if isinstance(dest, pikepdf.Array):
            return self.page_index[dest[0].objgen]
        names = pikepdf.NameTree(self.pdf.Root.Names.Dests)
        return self.dest_page(names[str(dest)])

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, page index) of every bookmark, depth first."""
        found = []

        def walk(item: pikepdf.Dictionary, level: int) -> None:
            while item is not None:
                found.append((level, normal(str(item.Title)), self.dest_page(item.Dest)))
                if "/First" in item:
                    walk(item.First, level + 1)
                item = item.get("/Next")

        walk(self.pdf.Root.Outlines.First, 1)
        return found

    def fields(self) -> dict[str, dict]:
        return self.reader.get_fields() or {}


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def render(dataset: Dataset, iso3: str | None) -> Rendered:
    with Capture() as capture:
        html = render_html(dataset, iso3)
        data = render_country(dataset, iso3)
    return Rendered(data, html, capture.warnings())


def toc_entries(doc: Rendered) -> list[tuple[str, int, int]]:
    """(label, printed page number, destination page index) of every link in the table of contents."""
    first_chapter = doc.outline()[0][2]
    entries: dict[str, dict] = {}
    for index in range(1, first_chapter):
        page = doc.reader.pages[index]
        chunks: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size, chunks=chunks):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                chunks.append((x, y, text))

        page.extract_text(visitor_text=visit)
        for annot in doc.pdf.pages[index].get("/Annots", []):
            if annot.get("/Subtype") != "/Link" or "/Dest" not in annot:
                continue
            name = str(annot.Dest)
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            entry = entries.setdefault(name, {"order": len(entries), "rects": [], "page": index})
            entry["rects"].append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        for entry in entries.values():
            if entry["page"] != index or "chunks" in entry:
                continue
            inside = [
                (x, y, t)
                for x, y, t in chunks
                if any(a - 1 <= x <= c + 1 and b - 3 <= y <= d + 1 for a, b, c, d in entry["rects"])
            ]
            entry["chunks"] = sorted(inside, key=lambda c: (-round(c[1]), c[0]))
    result = []
    for name, entry in sorted(entries.items(), key=lambda item: item[1]["order"]):
        words = [t for _x, _y, t in entry["chunks"] if t.strip(" .")]
        number = words[-1].strip(" .")
        label = normal("".join(words[:-1]))
        assert number.isdigit(), f"no page number after TOC entry {label!r}: {words}"
        result.append((label, int(number), doc.dest_page(pikepdf.String(name))))
    return result


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def second_npl():
    """A second render of NPL in another process (another hash seed), started before the first one."""
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    process = subprocess.Popen(
        [sys.executable, "-c", SECOND_RENDER, str(ROOT), COUNTRY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.communicate()


@pytest.fixture(scope="module")
def npl(dataset: Dataset, second_npl) -> Rendered:
    return render(dataset, COUNTRY)


@pytest.fixture(scope="module")
def regional(dataset: Dataset) -> Rendered:
    return render(dataset, None)


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("which", ["npl", "regional"])
def test_renders_without_weasyprint_warnings(which: str, request: pytest.FixtureRequest) -> None:
    doc: Rendered = request.getfixturevalue(which)
    assert doc.data.startswith(b"%PDF-1.7")
    assert doc.logs == []


@pytest.mark.parametrize("which", ["npl", "regional"])
def test_toc_page_numbers_are_where_sections_start(which: str, request: pytest.FixtureRequest) -> None:
    doc: Rendered = request.getfixturevalue(which)
    entries = toc_entries(doc)
    assert entries, "the table of contents has no links"
    for label, printed, dest in entries:
        assert printed == dest + 1, f"TOC says {label!r} is on page {printed}, its link goes to page {dest + 1}"
    # The chapters really start on those pages.
    for level, title, page in doc.outline():
        if level == 1:
            assert title in doc.text(page), f"{title!r} not found on page {page + 1}"


@pytest.mark.parametrize("which", ["npl", "regional"])
def test_outline_mirrors_the_toc(which: str, request: pytest.FixtureRequest, dataset: Dataset) -> None:
    doc: Rendered = request.getfixturevalue(which)
    outline = doc.outline()
    toc = toc_entries(doc)  # chapters and sections; the provisions (level 3) are bookmarks only
    assert [(title, page) for level, title, page in outline if level <= 2] == [
        (label, dest) for label, _printed, dest in toc
    ]
    expected = build_toolkit(dataset, COUNTRY if which == "npl" else None).outline.entries
    assert [(level, title) for level, title, _page in outline] == [(h.level, normal(h.label)) for h in expected]


@pytest.mark.parametrize("which", ["npl", "regional"])
def test_headings_are_not_stranded(which: str, request: pytest.FixtureRequest) -> None:
    """Every bookmarked heading has room for content under it on its page (A4: bottom margin 18 mm = 51 pt)."""
    doc: Rendered = request.getfixturevalue(which)

    def walk(item: pikepdf.Dictionary) -> None:
        while item is not None:
            top = float(item.Dest[3])  # /XYZ left top zoom, in points from the bottom of the page
            assert top >= 51 + 45, f"{item.Title} starts {top - 51:.0f} pt above the bottom margin"
            if "/First" in item:
                walk(item.First)
            item = item.get("/Next")

    walk(doc.pdf.Root.Outlines.First)


def body_lines(doc: Rendered, index: int) -> list[tuple[float, str]]:
    """(y, text) of the lines on a page between its running head and its footer, top to bottom (read once)."""
    if index not in doc._lines:
        doc._lines[index] = _body_lines(doc, index)
    return doc._lines[index]


def _body_lines(doc: Rendered, index: int) -> list[tuple[float, str]]:
    chunks: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip(" •\n"):
            chunks.append((tm[5] * cm[3] + cm[5], text))

    doc.reader.pages[index].extract_text(visitor_text=visit)
    top, bottom = max(y for y, _ in chunks), min(y for y, _ in chunks)  # the running head and the footer
    return sorted(((y, t) for y, t in chunks if bottom + 1 < y < top - 1), key=lambda c: -c[0])


def test_no_page_ends_with_a_heading(npl: Rendered) -> None:
    """A heading, a table caption or a label is never the last line of a page: it goes with what follows it."""
    html = npl.html
    headings = {
        normal(re.sub(r"<[^>]+>", " ", text))
        for text in re.findall(r"<(?:h[1-6]|caption)\b[^>]*>(.*?)</(?:h[1-6]|caption)>", html, re.S)
    } | {normal(re.sub(r"<[^>]+>", " ", t)) for t in re.findall(r'<p class="label">(.*?)</p>', html, re.S)}
    for index in range(len(npl.pdf.pages) - 1):
        lines = body_lines(npl, index)
        widgets = [float(a.Rect[1]) for a in npl.pdf.pages[index].get("/Annots", []) if a.get("/Subtype") == "/Widget"]
        if lines and not any(y < lines[-1][0] for y in widgets):  # a form field under the last line is content
            bottom = min(y for y, _ in lines)
            last = normal(" ".join(t for y, t in reversed(lines) if y < bottom + 2))
            assert last not in headings, f"page {index + 1} ends with the heading {last!r}"


def test_no_page_is_left_nearly_empty(npl: Rendered) -> None:
    """Apart from the last page of a chapter and the page before a form that starts a page of its own, every page
    is at least a fifth full."""
    starts = {page for level, _title, page in npl.outline() if level == 1}
    first_chapter = min(starts)
    form = next(page for _level, title, page in npl.outline() if "referral" in title.lower())
    for index in range(first_chapter, len(npl.pdf.pages) - 1):
        if index + 1 in starts or index + 1 == form:
            continue
        lines = body_lines(npl, index)
        height = float(npl.pdf.pages[index].MediaBox[3])
        used = (lines[0][0] - lines[-1][0]) / (height - 2 * 72) if lines else 0
        assert used >= 0.2, f"page {index + 1} is {used:.0%} full"


def test_country_edition_sections_in_order(npl: Rendered) -> None:
    chapters = [title for level, title, _page in npl.outline() if level == 1]
    assert [re.sub(r"^\d+ ", "", t) for t in chapters] == [
        "Executive summary",
        "Nepal at a glance",
        "Ratifications",
        "Joining the remaining instruments",
        "Gap analysis",
        "Model provisions to close the gaps",
        "Provisions not yet assessed",
        "National action plan",
        "Victim protection checklist",
        "Cross-border cooperation",
        "Glossary",
        "Sources and review dates",
    ]


def test_regional_edition_has_no_country_tailoring(regional: Rendered, dataset: Dataset) -> None:
    chapters = [re.sub(r"^\d+ ", "", title) for level, title, _page in regional.outline() if level == 1]
    assert "Gap analysis" not in chapters and "Ratifications across the region" in chapters
    provisions = [title for level, title, _page in regional.outline() if level == 3]
    assert len(provisions) == len(dataset.provisions)
    nap = {name: f for name, f in regional.fields().items() if name.startswith("nap.")}
    assert nap and all(not f.get("/V") for f in nap.values())


def test_every_gap_is_shown_with_its_provision(npl: Rendered) -> None:
    """The gaps, read here from the raw YAML (rows `none` or `partial`), each with a section holding its text."""
    coverage = yaml.safe_load((ROOT / "countries" / f"{COUNTRY.lower()}.yaml").read_text(encoding="utf-8"))["coverage"]
    provisions = {}
    for path in (ROOT / "model_law").glob("*.yaml"):
        law = yaml.safe_load(path.read_text(encoding="utf-8"))
        provisions |= {f"{law['id']}/{p['id']}": p for p in law["provisions"]}
    wanted = [provisions[row["provision"]] for row in coverage if row["coverage"] in ("none", "partial")]
    bookmarks = {title: page for level, title, page in npl.outline() if level == 3}
    assert wanted and len(bookmarks) == len(wanted)
    for provision in wanted:
        title = normal(provision["title"])
        matches = [page for label, page in bookmarks.items() if label.endswith(f"art. {provision['number']}: {title}")]
        assert matches, f"no section for art. {provision['number']}"
        assert title in npl.text(matches[0])


@pytest.mark.parametrize("which", ["npl", "regional"])
def test_outline_numbers_follow_their_own_rules(which: str, request: pytest.FixtureRequest) -> None:
    """Chapters are numbered 1, 2, 3... and each chapter's sections afresh: N.1, N.2... (provisions unnumbered)."""
    doc: Rendered = request.getfixturevalue(which)
    chapter = section = 0
    for level, title, _page in doc.outline():
        if level == 1:
            chapter, section = chapter + 1, 0
            assert title.startswith(f"{chapter} "), title
        elif level == 2:
            section += 1
            assert title.startswith(f"{chapter}.{section} "), title
        else:
            assert not re.match(r"\d+(\.\d+)* ", title), title
    assert chapter >= 7  # the regional edition has seven chapters, a country toolkit twelve


PILLARS = ["prosecution", "protection", "prevention", "partnership", "coordination", "monitoring"]


def test_executive_summary_ranks_the_gaps_and_names_the_steps(npl: Rendered, dataset: Dataset) -> None:
    """Mandatory before recommended, criminalisation and protection first, none before partial: ranked here from
    the country's rows, not by the code that wrote the page; every step is one the data calls for."""
    country = dataset.countries[COUNTRY.lower()]
    order = {row.key: index for index, row in enumerate(analysis.coverage(dataset, country))}
    rows = [row for row in analysis.coverage(dataset, country) if row.coverage.value in ("none", "partial")]
    rows.sort(
        key=lambda r: (
            not r.provision.mandatory,
            PILLARS.index(r.provision.pillar.value),
            r.coverage.value != "none",
            order[r.key],
        )
    )
    start = next(page for level, title, page in npl.outline() if level == 1 and title == "1 Executive summary")
    text = normal(npl.text(start) + " " + npl.text(start + 1)).split("2 Nepal at a glance")[0]
    positions = [text.find(normal(f"art. {r.provision.number}: {r.provision.title}")) for r in rows[:10]]
    assert -1 not in positions and positions == sorted(positions), positions
    assert f"{len(rows) - 10} further gaps" in text
    assert "Amend the law to close" in text and "Accede to the Smuggling of Migrants Protocol" in text
    unknown = [
        r for r in analysis.coverage(dataset, country) if r.provision.mandatory and r.coverage.value == "unknown"
    ]
    assert f"Assess the {len(unknown)} mandatory provisions not yet assessed" in text


def test_only_assessed_gaps_print_the_provision_text(npl: Rendered, dataset: Dataset) -> None:
    """Full text for the provisions that close a gap; the rest are one row each in the self-assessment."""
    country = dataset.countries[COUNTRY.lower()]
    bookmarks = [title for level, title, _page in npl.outline() if level == 3]
    gaps = [row for row in analysis.coverage(dataset, country) if row.coverage.value in ("none", "partial")]
    assert len(bookmarks) == len(gaps)
    unknown = [
        r for r in analysis.coverage(dataset, country) if r.provision.mandatory and r.coverage.value == "unknown"
    ]
    fields = npl.reader.get_fields()
    assert sum(1 for name in fields if name.startswith("assess.") and name.endswith(".coverage")) == len(unknown)


def test_statute_reading_is_counted_on_the_position_page(npl: Rendered, dataset: Dataset) -> None:
    """The reader sees at a glance how much of the law was read: "N of M mandatory model provisions assessed"."""
    assessed = analysis.assessed(dataset, dataset.countries[COUNTRY.lower()])
    assert 0 < assessed.from_statute <= assessed.mandatory
    wanted = f"{assessed.from_statute} of {assessed.mandatory} mandatory model provisions"
    assert any(wanted in npl.text(index) for index in range(len(npl.pdf.pages)))


def test_each_source_is_listed_once(npl: Rendered) -> None:
    """The sources chapter names a document once, however many facts cite it or however its citations differ."""
    start = npl.html.index('id="sources"')
    addresses = re.findall(r'<li><a href="([^"]+)"', npl.html[start:])
    assert addresses and len(addresses) == len({a.rstrip("/") for a in addresses})


def test_merge_sources_joins_citations_of_one_document() -> None:
    from tiptoolkit.model import Source
    from tiptoolkit.views.common import merge_sources

    act = "https://example.org/act"
    merged = merge_sources(
        [
            Source(title="Act 2007", url=act, locator="s.3"),
            Source(title="Act 2007 (English translation)", url=act + "/", locator="s.4", issuer="Law Commission"),
            Source(title="act  2007", year=2007, locator="s.3"),
            Source(title="Act 2007", url="https://mirror.example.org/act", locator="s.9"),
            Source(title="Report", issuer="UN"),
        ]
    )
    assert [(m.title, m.issuer, m.year, m.url, m.locators) for m in merged] == [
        ("Act 2007", "Law Commission", 2007, act, ("s.3", "s.4")),
        ("Act 2007", None, None, "https://mirror.example.org/act", ("s.9",)),
        ("Report", "UN", None, None, ()),
    ]


def test_running_header_and_page_x_of_y(npl: Rendered) -> None:
    total = len(npl.reader.pages)
    for index in (1, total // 2, total - 1):
        text = npl.text(index)
        assert f"Page {index + 1} of {total}" in text
        assert "Nepal" in text


def test_links_internal_and_external(npl: Rendered) -> None:
    internal = external = 0
    for page in npl.pdf.pages:
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                npl.dest_page(annot.Dest)  # resolves
                internal += 1
            else:
                uri = str(annot.A.URI)
                assert re.match(r"^(https?://|mailto:)", uri), uri
                external += 1
    assert internal > 10 and external > 0


# ---------------------------------------------------------------- forms


def expected_fields(dataset: Dataset) -> dict[str, str]:
    """Field name -> PDF field type (/Tx text, /Btn checkbox, /Ch choice)."""
    expected = {f"nap.{name}": "/Tx" for name in ("body.name", "body.lead", "plan.title", "plan.period")}
    for key in dataset.activities:
        base = "nap." + key.removeprefix("nap/").replace("/", ".")
        expected |= {f"{base}.{part}": "/Tx" for part in ("lead", "partners", "timeline", "budget")}
        expected[f"{base}.status"] = "/Ch"
    for standard in dataset.victim_protection.standards:
        expected |= {f"vps.{standard.id}.{item.id}": "/Ch" for item in standard.checklist}  # yes, partly or no
        expected[f"vps.{standard.id}.notes"] = "/Tx"
    types = {"checkbox": "/Btn", "choice": "/Ch"}
    for section in dataset.cooperation.referral_form.sections:
        expected |= {f"referral.{f.id}": types.get(f.type, "/Tx") for f in section.fields}
    return expected


def test_form_fields_have_stable_names_and_types(npl: Rendered, dataset: Dataset) -> None:
    fields = npl.fields()
    for name, kind in expected_fields(dataset).items():
        assert name in fields, f"missing form field {name}"
        assert fields[name].get("/FT") == kind, f"{name} is {fields[name].get('/FT')}, not {kind}"
    assert not [name for name in fields if name.startswith("unknown-")], "a form field has no name"

    def partial_names(items: pikepdf.Array) -> list[str]:
        return [str(item.T) for item in items] + [
            n for item in items if "/Kids" in item for n in partial_names(item.Kids)
        ]

    dotted = [name for name in partial_names(npl.pdf.Root.AcroForm.Fields) if "." in name]
    assert not dotted, f"a partial field name may not contain a period: {dotted[:3]}"
    country = dataset.countries[COUNTRY.lower()]
    if country.coordination_body:
        assert fields["nap.body.name"].get("/V") == country.coordination_body.name


def test_form_fields_can_be_filled_and_read_back(npl: Rendered, dataset: Dataset) -> None:
    activity = next(iter(dataset.activities)).removeprefix("nap/").replace("/", ".")
    standard = dataset.victim_protection.standards[0]
    text_field = next(f for s in dataset.cooperation.referral_form.sections for f in s.fields if f.type == "text")
    values = {
        f"nap.{activity}.lead": "Ministry of Home Affairs",
        f"nap.{activity}.budget": "NPR 1,200,000 (national budget)",
        f"vps.{standard.id}.{standard.checklist[0].id}": "partly",
        f"referral.{text_field.id}": "Case 2026/17",
    }
    writer = pypdf.PdfWriter(clone_from=npl.reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    filled = pypdf.PdfReader(io.BytesIO(out.getvalue())).get_fields()
    for name, value in values.items():
        assert filled[name].get("/V") == value, name


# ---------------------------------------------------------------- metadata, fonts, accessibility


def test_metadata(npl: Rendered, dataset: Dataset) -> None:
    info = npl.reader.metadata
    assert info.title == "Counter-Trafficking Toolkit: Nepal"
    assert info.author == "Counter-Trafficking Toolkit project"
    assert "Nepal" in info.subject
    assert "Nepal" in info["/Keywords"] and "trafficking in persons" in info["/Keywords"]
    assert str(npl.pdf.Root.Lang) == "en"
    edition = analysis.newest_reviewed(dataset.countries["npl"]).strftime("%Y%m%d")
    assert info["/CreationDate"].startswith(f"D:{edition[:4]}")  # from the content, never the clock
    assert info["/CreationDate"] == info["/ModDate"]


@pytest.mark.slow
def test_every_pdf_of_the_build_passes_the_independent_pdf_ua_checker(site: Path) -> None:
    """`pdfua` (PyPI, on pikepdf) runs the machine-checkable subset of PDF/UA-1 on every PDF the build publishes:
    no finding at all. (A pass is not PDF/UA conformance; the checker says which rules it covers.)"""
    pdfs = sorted((site / "toolkits").glob("*.pdf"))
    assert len(pdfs) > 20
    checker = Path(sys.executable).with_name("pdfua")
    result = subprocess.run([str(checker), "check", *map(str, pdfs)], capture_output=True, text=True, timeout=1800)
    findings = [line for line in result.stdout.splitlines() if re.match(r"\s+\[(ERROR|WARN|INFO)", line)]
    assert result.returncode == 0 and findings == [], "\n".join(findings[:20]) or result.stdout[-2000:]
    assert result.stdout.count("result: PASS") == len(pdfs)


def _elements(node: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under `node`, in reading order."""
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _elements(kid)


@pytest.mark.slow
def test_every_pdf_structure_keeps_heading_levels_and_links_readable(site: Path) -> None:
    """What the PDF/UA checker does not check, read from every PDF's structure: no heading level skipped (a
    chapter's first heading under its title is an H2), every link annotation tagged under its Link element, and
    described by the link's words, never by its target's id (#p-tip-model-law-art-7)."""
    for path in sorted((site / "toolkits").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            levels = [
                int(str(e.S)[2]) for e in _elements(pdf.Root.StructTreeRoot) if re.fullmatch(r"/H[1-6]", str(e.S))
            ]
            skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
            assert levels[0] == 1 and skips == [], (path.name, skips)
            parents = {}
            tree = pdf.Root.StructTreeRoot.ParentTree
            for node in [tree, *tree.get("/Kids", [])]:
                nums = node.get("/Nums", [])
                parents.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
            for number, page in enumerate(pdf.pages):
                for annotation in page.get("/Annots", []):
                    if annotation.get("/Subtype") != "/Link":
                        continue
                    words = str(annotation.get("/Contents", ""))
                    assert str(parents[int(annotation.StructParent)].S) == "/Link", (path.name, words)
                    if words == str(annotation.get("/Dest", "")):  # the target's id: only if the link says it
                        assert words in pypdf.PdfReader(path).pages[number].extract_text(), (path.name, words)
                    assert words, path.name


@pytest.mark.slow
def test_english_passages_of_the_national_editions_carry_their_language(site: Path, dataset) -> None:
    """A treaty's or a law's English title in a Nepali, Bengali or Urdu edition is marked lang="en" in its HTML:
    its structure element says so (/Lang), for a screen reader to speak it as English."""
    checked = 0
    for job in jobs_for(dataset):
        if job.lang == "en":
            continue
        marked = job_html(dataset, job).count(' lang="en"')
        with pikepdf.open(site / "toolkits" / f"{job.name}.pdf") as pdf:
            assert str(pdf.Root.Lang) == job.lang
            tagged = [e for e in _elements(pdf.Root.StructTreeRoot) if str(e.get("/Lang", "")) == "en"]
        assert len(tagged) >= marked, (job.name, len(tagged), marked)
        checked += marked
    assert checked > 10


def test_tagged_pdf_ua(npl: Rendered) -> None:
    root = npl.pdf.Root
    assert "/StructTreeRoot" in root and root.MarkInfo.Marked
    xmp = bytes(root.Metadata.read_bytes())
    assert b"pdfuaid" in xmp and b"part" in xmp


def test_fonts_embedded_and_subset(npl: Rendered) -> None:
    fonts = {}
    for page in npl.pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            fonts[str(font.BaseFont)] = font
    assert fonts
    for name, font in fonts.items():
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
    assert any("Noto" in name for name in fonts)


def test_no_attachments_and_no_images(npl: Rendered) -> None:
    assert "/EmbeddedFiles" not in npl.pdf.Root.get("/Names", {})
    for obj in npl.pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            assert obj.get("/Type") not in ("/EmbeddedFile", "/Filespec")
            assert obj.get("/Subtype") not in ("/FileAttachment", "/Image")


def test_byte_identical_across_processes(npl: Rendered, second_npl: subprocess.Popen) -> None:
    out, err = second_npl.communicate(timeout=600)
    assert second_npl.returncode == 0, err.decode()
    assert out == npl.data


def test_letter_paper_and_html_standalone(dataset: Dataset) -> None:
    html = render_html(dataset, COUNTRY, paper="letter", standalone=True)
    assert "size: letter" in html and html.startswith("<!DOCTYPE html>")
    assert render_html(dataset, COUNTRY) == render_html(dataset, COUNTRY)


# ---------------------------------------------------------------- hostile content


HOSTILE = (
    '<link rel=attachment href="file:///etc/passwd"> <img src="file:///etc/passwd"> '
    "[x](file:///etc/passwd) ![pic](file:///etc/passwd) "
    '<p style="background: url(file:///etc/passwd)">styled</p> '
    '<a rel="attachment" href="file:///etc/passwd">att</a> <script>alert(1)</script> '
    "{{ config }} {% include 'toolkit.html.j2' %} [y](../../etc/passwd) [z](javascript:alert(1))"
)


def _edit(path: Path, change) -> None:
    first, rest = path.read_text(encoding="utf-8").split("\n", 1)
    data = yaml.safe_load(rest)
    change(data)
    path.write_text(first + "\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> tuple[Rendered, Rendered]:
    root = tmp_path_factory.mktemp("hostile") / "toolkit_data"
    shutil.copytree(ROOT, root)

    def glossary(data):
        data["terms"].append(
            {"id": "zz-hostile", "term": '<img src="file:///etc/passwd"> hostile term', "definition": HOSTILE}
        )

    def country(data):
        data["summary"] = HOSTILE
        for contact in data.get("contacts") or []:
            contact["role"] = HOSTILE
            contact.pop("translations", None)  # they translate the old role: stale now

    def cooperation(data):
        data["referral_form"]["sections"][0]["fields"][0]["help"] = HOSTILE
        # its translations translate the old English help: stale now, which the validator rightly reports
        data["referral_form"]["sections"][0]["fields"][0].pop("translations", None)

    _edit(root / "glossary.yaml", glossary)
    _edit(root / "countries" / f"{COUNTRY.lower()}.yaml", country)
    _edit(root / "cooperation" / "cooperation.yaml", cooperation)
    mutated, problems = validate(root)
    assert not problems, problems
    # Keep the render small: the hostile strings are not in the model laws, the plan or the standards.
    mutated.model_laws, mutated.action_plan, mutated.victim_protection = {}, None, None
    first, second = render(mutated, COUNTRY), render(mutated, COUNTRY)
    return first, second


def test_hostile_content_is_inert(hostile: tuple[Rendered, Rendered]) -> None:
    doc, _ = hostile
    assert doc.logs == []  # nothing was even fetched, so nothing was refused
    tags = re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^<>]*)>", doc.html)
    assert not {name.lower() for name, _ in tags} & {
        "img",
        "link",
        "script",
        "style",
        "object",
        "embed",
        "iframe",
        "svg",
    }
    for name, attributes in tags:
        assert "style=" not in attributes and "attachment" not in attributes, (name, attributes)
        for url in re.findall(r'\b(?:href|src)="([^"]*)"', attributes):
            assert re.match(r"^(https?://|mailto:|#)", url), (name, url)
    assert "{{ config }}" in doc.all_text()
    assert '<img src="file:///etc/passwd"> hostile term' in doc.all_text()
    assert "alert(1)" in doc.all_text()  # shown as text, not run


def test_hostile_content_embeds_nothing(hostile: tuple[Rendered, Rendered]) -> None:
    doc, _ = hostile
    assert "/EmbeddedFiles" not in doc.pdf.Root.get("/Names", {})
    for obj in doc.pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            assert obj.get("/Type") not in ("/EmbeddedFile", "/Filespec")
            assert obj.get("/Subtype") not in ("/FileAttachment", "/Image")
            uri = obj.get("/URI")
            assert uri is None or re.match(r"^(https?://|mailto:)", str(uri)), uri
    passwd = Path("/etc/passwd")
    if passwd.exists():
        first_line = passwd.read_text().splitlines()[0]
        assert first_line.encode() not in doc.data and first_line not in doc.all_text()


def test_same_process_renders_are_identical(hostile: tuple[Rendered, Rendered]) -> None:
    first, second = hostile
    assert first.data == second.data


# ---------------------------------------------------------------- safe text


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("*a* **b** `c`", "<p><em>a</em> <strong>b</strong> <code>c</code></p>"),
        ("[ok](https://example.org/a?b=1)", '<p><a href="https://example.org/a?b=1">ok</a></p>'),
        (
            "[mail](mailto:x@example.org) [frag](#term-x)",
            '<p><a href="mailto:x@example.org">mail</a> <a href="#term-x">frag</a></p>',
        ),
        ("[bad](file:///etc/passwd)", "<p><a>bad</a></p>"),
        ("[rel](../etc/passwd) [js](javascript:alert(1))", "<p><a>rel</a> <a>js</a></p>"),
        ("![i](https://example.org/i.png)", "<p></p>"),
        ('<img src="x">', '<p>&lt;img src="x"&gt;</p>'),
        ("<b onclick=x>b</b>", "<p>&lt;b onclick=x&gt;b&lt;/b&gt;</p>"),
        ("# Heading", "Heading"),
        ("- a\n- b", "<ul>&#10;<li>a</li>&#10;<li>b</li>&#10;</ul>"),  # line breaks as entities: site/fastpage.py
        ("{{ config }}", "<p>{{ config }}</p>"),
    ],
)
def test_markdown_to_html_is_sanitised(markdown: str, html: str) -> None:
    assert str(markdown_to_html(markdown)) == html


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


TRICKY = [
    "Plain sentence, with (brackets), 'quotes' and \"double quotes\": fine.",
    "1. a list",
    "2024 is a year",
    "- dash",
    "+ plus",
    "> quote",
    "# heading",
    "= rule",
    "a  b",  # two spaces inside
    "trailing  ",
    " leading",
    "tab\there",
    "non\u00a0breaking",
    "zero\u200dwidth joiner",
    "a & b",
    "a < b > c",
    "under_score",
    "back\\slash",
    "~~strike~~",
    "x",
    "नेपाल प्रहरी",
    "پاکستان",
    "line\nbreak",
    "http://example.org/a_b",
    "e-mail: desk@example.org",
]


def test_plain_text_takes_the_short_path_to_the_same_html(dataset) -> None:
    """Texts Markdown would not change skip it: the result must be Markdown's, for every text the content holds."""
    from tiptoolkit.text import _is_plain, _render_markdown

    texts = set(TRICKY)
    for document in dataset.documents:
        texts.update(_strings(document.model.model_dump(exclude_none=True)))
    plain_texts = [t for t in texts if t and _is_plain(t)]
    assert len(plain_texts) > len(texts) / 4  # the short path is taken, and often
    for text in texts - {""}:
        for inline_ in (False, True):
            assert markdown_to_html(text, inline_) == _render_markdown(text, inline_), text


def test_inline_and_plain() -> None:
    assert str(inline("a\n\nb *c*")) == "a<br>b <em>c</em>"
    assert plain("*a* [b](https://x.org) <img>") == "a b <img>"
    assert str(markdown_to_html("")) == "" and str(inline(None)) == ""


# ---------------------------------------------------------------- fetcher


def test_fetcher_serves_assets_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fetcher = AssetFetcher()
    response = fetcher.fetch((ASSETS / "toolkit.css").as_uri())
    assert response.content_type == "text/css" and b"@page" in response.read()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    link = tmp_path / "assets" / "link.css"
    link.parent.mkdir()
    link.symlink_to(outside)
    refused = [
        "file:///etc/passwd",
        outside.as_uri(),
        (ASSETS / ".." / "render.py").as_uri(),
        "https://example.org/font.woff2",
        "http://127.0.0.1/",
        "ftp://example.org/x",
        "data:text/plain," + "a" * (MAX_DATA_URL + 1),
    ]
    with caplog.at_level(logging.WARNING, logger="tiptoolkit.pdf"):
        for url in refused:
            with pytest.raises(RefusedURL):
                fetcher.fetch(url)
        with pytest.raises(RefusedURL):
            AssetFetcher(tmp_path / "assets").fetch(link.as_uri())
    assert len([r for r in caplog.records if r.name == "tiptoolkit.pdf"]) == len(refused) + 1


# ---------------------------------------------------------------- files and CLI


def test_write_atomic(tmp_path: Path) -> None:
    target = tmp_path / "toolkits" / "npl-en.pdf"
    write_atomic(target, b"%PDF-1 first", durable=True)
    write_atomic(target, "%PDF-1 second")
    assert target.read_bytes() == b"%PDF-1 second"
    assert [p.name for p in target.parent.iterdir()] == ["npl-en.pdf"]


def test_cli_default_output(dataset: Dataset) -> None:
    """`tiptoolkit pdf` names what it writes as the build does: by country, by region, or by a region's older name."""
    assert resolve_target(dataset, "npl") == ("NPL", None, "npl")
    assert resolve_target(dataset, "south-eastern-asia") == (None, "south-eastern-asia", "region-south-eastern-asia")
    assert resolve_target(dataset, "toolkit") == (None, "south-asia", "toolkit")
    assert resolve_target(dataset, "xyz") is None
    assert default_output("npl", "en") == Path("site/toolkits/npl-en.pdf")
    assert default_output("region-south-asia", "en") == Path("site/toolkits/region-south-asia-en.pdf")


def test_cli_unknown_country_and_language(dataset: Dataset, capsys: pytest.CaptureFixture) -> None:
    assert render_one(ROOT, "XYZ", "en", None, "a4") == 2
    assert "unknown country or region 'XYZ'" in capsys.readouterr().err
    assert render_one(ROOT, "NPL", "xx", None, "a4") == 2
    assert render_one(ROOT, "NPL", "en", None, "a3") == 2


def test_cli_refuses_invalid_content(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "toolkit_data"
    shutil.copytree(ROOT, root)
    (root / "glossary.yaml").write_text("# yaml-language-server: $schema=./schemas/glossary.schema.json\nid: [\n")
    output = tmp_path / "out.pdf"
    assert render_one(root, "NPL", "en", output, "a4") == 1
    printed = capsys.readouterr()
    assert re.search(r"toolkit_data/glossary\.yaml:\d+:\d+: ", printed.out)
    assert not output.exists()


def test_render_is_cheap_to_repeat() -> None:
    # Environment, stylesheets and font configuration are built once per process.
    assert jinja.environment() is jinja.environment()
    assert layout.font_config() is layout.font_config()
    assert layout.toolkit_stylesheets("a4") is layout.toolkit_stylesheets("a4")


def test_legal_text_levels() -> None:
    lines = [
        "In this Act:",
        "(a) x",
        "(h) y",
        "(i) first",
        "(ii) second",
        "(iii) third",
        "(iv) fourth",
        "(v) fifth",
        "(i) letter i",
        "(j) j",
        "(u) u",
        "(v) letter v",
        "(2) next subsection",
    ]
    assert jinja.legal_levels(lines) == [1, 2, 2, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1]
    html = str(jinja.legal("(1) A person [who] <b>x</b>\n(a) *em*"))
    assert html == '<p class="l1">(1) A person [who] &lt;b&gt;x&lt;/b&gt;</p><p class="l2">(a) <em>em</em></p>'


# ---------------------------------------------------------------- pydyf speed-ups

SPEEDUP_DOC = (
    "<html lang='en'><head><title>Speed-ups</title></head><body>"
    + "".join(
        f"<h2>Section {i}</h2><p>{'Trafficking in persons and smuggling of migrants. ' * 40}</p>"
        f"<table><tr><th>Provision</th><td>Article {i}</td></tr></table><input type='checkbox' name='c{i}'>"
        for i in range(12)
    )
    + "</body></html>"
)


def _structure(data: bytes) -> tuple:
    """What a reader gets from a PDF: pages, text, the tagged structure and the page each element is on."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        elements = []

        def visit(node) -> None:
            if isinstance(node, pikepdf.Dictionary):
                page = node.get("/Pg")
                elements.append((str(node.get("/S", "")), pages.get(page.objgen) if page is not None else None))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                    visit(kid)

        visit(pdf.Root.StructTreeRoot)
        fields = sorted(str(f.get("/T", "")) for f in pdf.Root.AcroForm.Fields)
    text = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    return len(pages), text, elements, fields


def test_speedups_change_nothing_a_reader_sees(tmp_path: Path) -> None:
    """The same document laid out by bare WeasyPrint in a fresh process and with our pydyf changes: same pages,
    text, structure tree (with each element's page) and form fields; only the compression differs. The layout
    also runs with the garbage collector paused, as ours do."""
    from tiptoolkit.pdf import speedups
    from tiptoolkit.pdf.render import PDF_OPTIONS

    html = tmp_path / "doc.html"
    html.write_text(SPEEDUP_DOC, encoding="utf-8")
    script = (
        "import json, sys, weasyprint; "
        "sys.stdout.buffer.write(weasyprint.HTML(filename=sys.argv[1]).write_pdf(**json.loads(sys.argv[2])))"
    )
    import json

    bare = subprocess.run(
        [sys.executable, "-c", script, str(html), json.dumps(PDF_OPTIONS)], capture_output=True, check=True
    ).stdout
    import weasyprint

    speedups.install()
    with speedups.gc_paused():
        ours = weasyprint.HTML(filename=str(html)).write_pdf(**PDF_OPTIONS)
    assert _structure(ours) == _structure(bare)
    assert _structure(ours)[0] > 3 and len(_structure(ours)[2]) > 50


def test_layout_pauses_the_garbage_collector_and_restores_it() -> None:
    import gc

    from tiptoolkit.pdf import speedups

    assert gc.isenabled()
    with speedups.gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), speedups.gc_paused():
        raise RuntimeError("a failed layout")
    assert gc.isenabled()
    gc.disable()  # a caller that had it off keeps it off
    try:
        with speedups.gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
