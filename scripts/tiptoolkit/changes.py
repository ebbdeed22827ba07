"""`tiptoolkit diff BASE_REF`: a pull request described in content terms, as Markdown for a PR comment.

The content at BASE_REF is extracted with `git archive` into a temporary folder and
loaded like the working tree; both are compared as typed models (dumped to plain
values, so a reordered key or a changed quote style is no change), item by item:
ratifications by instrument, assessments by provision, articles by number, everything
else by id. What the build will change is told from what it makes, not guessed: every
edition's pages are generated for both in memory and compared; each PDF and working file
by its cache key (a hash of everything it shows); the open data files by their text.
"""

from __future__ import annotations

import difflib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import analysis
from .dataset import PROJECT, Dataset, load_dataset, site_url, today
from .model import Model
from .validate import validate

SHORT = 80  # values up to this long, on one line, are shown in full
PER_SUBJECT = 30  # changes listed per country, instrument...; the rest are counted
MAX_COMMENT = 60_000  # characters; GitHub's limit for a comment is 65,536

SECTIONS = {  # document kind (data folder) -> heading
    "countries": "Countries",
    "instruments": "Instruments",
    "model_law": "Model law",
    "victim_protection": "Victim protection standards",
    "action_plan": "Action plan template",
    "cooperation": "Cross-border cooperation",
    "glossary": "Glossary",
    "frontline": "Frontline pocket guide",
    "i18n": "Interface translations",
    "regions": "Regions",
}


class DiffError(Exception):
    """The comparison cannot be made (not a git repository, unknown ref...)."""


@dataclass(frozen=True)
class Change:
    """One content change: `NPL · TIP Protocol ratification: deposited `2020-06` → `2020-06-16``."""

    section: str  # a key of SECTIONS
    subject: str  # `NPL`, `TIP Protocol`, `TIP model law`, `Victim protection`
    where: str  # `TIP Protocol ratification`, `Article 6 (Assistance)`; empty for the document itself
    what: str

    def __str__(self) -> str:
        place = " · ".join(part for part in (self.subject, self.where) if part)
        return f"{place}: {self.what}"


@dataclass
class Report:
    base: str
    changes: list[Change] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # URLs of the pages whose text changes
    sized_pages: list[str] = field(default_factory=list)  # URLs of other pages showing a rebuilt file's size
    downloads: list[str] = field(default_factory=list)  # site paths of the PDFs and working files rebuilt
    data: list[str] = field(default_factory=list)  # site paths of the open data files that change
    unknown: str = ""  # why the pages and files could not be compared, when they could not
    problems: int = 0  # validation problems in the working tree


# ---------------------------------------------------------------- loading the base


def git_toplevel(path: Path) -> Path:
    try:
        out = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
        )
    except (subprocess.CalledProcessError, FileNotFoundError):
        raise DiffError(f"{path} is not inside a git repository") from None
    return Path(out.stdout.strip()).resolve()


def extract_at(ref: str, root: Path, target: Path) -> Path:
    """Write the data folder `root` as it was at `ref` into `target`; return the extracted data folder."""
    top = git_toplevel(root)
    relative = root.resolve().relative_to(top).as_posix()
    run = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", ref, "--", relative], capture_output=True)
    if run.returncode != 0:
        message = run.stderr.decode(errors="replace").strip().splitlines()
        raise DiffError(f"cannot read {relative}/ at {ref!r}: {message[-1] if message else 'git archive failed'}")
    with tarfile.open(fileobj=io.BytesIO(run.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target / relative


# ---------------------------------------------------------------- comparing models


def _dump(model: Model) -> dict[str, Any]:
    return model.model_dump(mode="json")


def _short(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"`{text}`" if len(text) <= SHORT and "\n" not in text else ""


def _describe(name: str, old: Any, new: Any) -> str:
    label = name.replace("_", " ")
    if isinstance(old, list) or isinstance(new, list):
        old, new = old or [], new or []
        added = [f"`{v}`" for v in new if v not in old]
        removed = [f"`{v}`" for v in old if v not in new]
        parts = ([f"added {', '.join(added)}"] if added else []) + (
            [f"removed {', '.join(removed)}"] if removed else []
        )
        return f"{label}: {'; '.join(parts) or 'reordered'}"
    if old in (None, "", []):
        shown = _short(new)
        return f"{label} added" + (f": {shown}" if shown else "")
    if new in (None, "", []):
        shown = _short(old)
        return f"{label} removed" + (f" (was {shown})" if shown else "")
    before, after = _short(old), _short(new)
    if before and after:
        return f"{label} {before} → {after}"
    edits = _word_edits(str(old), str(new))
    return f"{label} rewritten ({_words(old)} → {_words(new)} words)" + (f": {edits}" if edits else "")


def _words(value: Any) -> int:
    return len(str(value).split())


def _code(words: list[str]) -> str:
    text = " ".join(words).replace("`", "'")
    return f"`{text if len(text) <= SHORT else text[: SHORT - 1] + '…'}`"


def _word_edits(old: str, new: str, most: int = 3, context: int = 2) -> str:
    """The first few word-level edits between two texts, each with a little context: `in June 2020` → `in July 2020`."""
    a, b = old.split(), new.split()
    opcodes = [op for op in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes() if op[0] != "equal"]
    shown = []
    for _tag, i1, i2, j1, j2 in opcodes[:most]:
        before = a[max(0, i1 - context) : min(len(a), i2 + context)]
        after = b[max(0, j1 - context) : min(len(b), j2 + context)]
        shown.append(f"{_code(before)} → {_code(after)}")
    more = f" and {len(opcodes) - most} more edit(s)" if len(opcodes) > most else ""
    return "; ".join(shown) + more


KEYS = ("id", "instrument", "provision", "number")


def _key(item: dict[str, Any], index: int) -> Any:
    for name in KEYS:
        if item.get(name) is not None:
            return (name, item[name])
    for name in ("title", "agency", "name", "term", "summary"):
        if item.get(name):
            return (name, item[name])
    return ("index", index)


# List items named by their id, and the word for one of them ("activity act-1", not "activitie act-1").
ITEM_NAMES = {
    "objectives": "objective",
    "activities": "activity",
    "checklist": "checklist",
    "steps": "step",
    "principles": "principle",
    "options": "option",
    "option_groups": "option group",
}


class Labeller:
    """Names list items the way readers know them, using both datasets for instrument and provision titles."""

    def __init__(self, *datasets: Dataset):
        self.instruments = {i: ins for ds in datasets for i, ins in ds.instruments.items()}
        self.provisions = {k: (ds.provision_law[k], p) for ds in datasets for k, p in ds.provisions.items()}

    def record(self, instrument_id: str | None, action: str | None) -> str:
        """`TIP Protocol accession`: a treaty record named by how the State joined (ratification, accession...)."""
        instrument = self.instruments.get(instrument_id)
        name = instrument.abbreviation if instrument else instrument_id
        return f"{name} {action or 'record'}"

    def item(self, field_name: str, item: dict[str, Any], index: int) -> str:
        match field_name:
            case "ratifications":
                return self.record(item.get("instrument"), item.get("action"))
            case "coverage":
                key = item.get("provision", "")
                law, provision = self.provisions.get(key, (None, None))
                return f"coverage of {law.short_title} art. {provision.number}" if provision else f"coverage of {key}"
            case "articles":
                return f"Article {item.get('number')} ({item.get('title')})"
            case "provisions":
                return f"art. {item.get('number')} ({item.get('title')})"
            case "paragraphs":
                return f"paragraph {item.get('number')}"
            case "sources":
                return f"source “{item.get('title')}”"
            case "contacts":
                return f"contact {item.get('agency')}"
            case "terms":
                return f"term “{item.get('term')}”"
            case "joining_steps":
                return f"joining step “{item.get('title')}”"
            case field if field in ITEM_NAMES:
                return f"{ITEM_NAMES[field]} {item.get('id')}"
        for name in ("title", "agency", "name", "term", "label", "id"):
            if item.get(name):
                return str(item[name])
        return f"{field_name} #{index + 1}"


def diff_values(
    old: dict[str, Any], new: dict[str, Any], labels: Labeller, where: tuple[str, ...] = ()
) -> Iterator[tuple[str, str]]:
    """(where, what) for every difference between two dumped models, field by field, list items by key.

    Keys present on one side only are entries of a mapping (translations by language): one line for all of them.
    """
    added, removed = [key for key in new if key not in old], [key for key in old if key not in new]
    if where and (added or removed):
        parts = [
            f"{verb} {', '.join(f'`{key}`' for key in keys)}"
            for verb, keys in (("added", added), ("removed", removed))
            if keys
        ]
        yield " › ".join(where[:-1]), f"{where[-1]}: {'; '.join(parts)}"
    for name in dict.fromkeys([*old, *new]):
        a, b = old.get(name), new.get(name)
        if a == b or (where and (name in added or name in removed)):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            yield from diff_values(a, b, labels, (*where, name.replace("_", " ")))
        elif _is_items(a) or _is_items(b):
            yield from _diff_items(name, a or [], b or [], labels, where)
        else:
            yield " › ".join(where), _describe(name, a, b)


def _is_items(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _diff_items(
    name: str, old: list[dict], new: list[dict], labels: Labeller, where: tuple[str, ...]
) -> Iterator[tuple[str, str]]:
    old_keys, new_keys = ([_key(item, i) for i, item in enumerate(items)] for items in (old, new))
    if len(set(old_keys)) != len(old_keys) or len(set(new_keys)) != len(new_keys):
        # a key used twice on either side (a validation problem, or its fix): both sides compared by position
        old_keys, new_keys = ([("index", i) for i in range(len(items))] for items in (old, new))

    def keyed(keys: list[Any], items: list[dict]) -> dict[Any, tuple[int, dict]]:
        return {key: (i, item) for i, (key, item) in enumerate(zip(keys, items, strict=True))}

    before, after = keyed(old_keys, old), keyed(new_keys, new)
    here = " › ".join(where)
    for key in dict.fromkeys([*after, *before]):
        if key not in before:
            index, item = after[key]
            yield here, f"{labels.item(name, item, index)} added"
        elif key not in after:
            index, item = before[key]
            yield here, f"{labels.item(name, item, index)} removed"
        elif before[key][1] != after[key][1]:
            index, item = after[key]
            yield from diff_values(before[key][1], item, labels, (*where, labels.item(name, item, index)))
    if [k for k in after if k in before] != [k for k in before if k in after]:
        yield here, f"{name.replace('_', ' ')} reordered"


# ---------------------------------------------------------------- documents


SUBJECTS = {  # document kind -> how its changes are introduced
    "countries": lambda m: m.id.upper(),
    "instruments": lambda m: m.abbreviation,
    "model_law": lambda m: m.short_title,
    "victim_protection": lambda m: "Victim protection",
    "action_plan": lambda m: "Action plan",
    "cooperation": lambda m: "Cooperation",
    "glossary": lambda m: "Glossary",
    "frontline": lambda m: "Pocket guide",
}


def _documents(ds: Dataset) -> dict[str, tuple[str, str, Model]]:
    """file -> (section, subject, model)."""
    found = {}
    for document in ds.documents:
        section = document.path.parts[0] if len(document.path.parts) > 1 else document.path.stem
        subject = SUBJECTS[section](document.model) if section in SUBJECTS else str(document.path)
        found[str(document.path)] = (section, subject, document.model)
    return found


def content_changes(base: Dataset, head: Dataset) -> list[Change]:
    """Every change from `base` to `head`, file by file, in file order."""
    labels = Labeller(head, base)
    old, new = _documents(base), _documents(head)
    changes = []
    for file in sorted(set(old) | set(new)):
        if Path(file).stem in head.failed | base.failed:
            continue  # a file that does not load is reported by the validator, not described as removed or added
        if file not in old:
            section, subject, model = new[file]
            changes.append(Change(section, subject, "", f"added ({_title(model)})"))
            if section == "countries":
                changes += [Change(section, subject, where, what) for where, what in country_facts(model, labels)]
        elif file not in new:
            section, subject, model = old[file]
            changes.append(Change(section, subject, "", f"removed ({_title(model)})"))
        else:
            section, subject, model = new[file]
            for where, what in diff_values(_dump(old[file][2]), _dump(model), labels):
                changes.append(Change(section, subject, where, what))
    return changes


RECORD_DATES = (("signed", "signed"), ("deposited", "deposited"), ("in_force", "in force"))


def country_facts(country: Any, labels: Labeller) -> Iterator[tuple[str, str]]:
    """(where, what) for each fact a reviewer checks in a country added: treaty records, laws, the coverage
    assessed, plans, the coordination body and contacts."""
    for record in country.ratifications:
        dates = [f"{label} `{getattr(record, name)}`" for name, label in RECORD_DATES if getattr(record, name)]
        action = record.action.value if record.action else None
        yield labels.record(record.instrument, action), ", ".join([record.status.value.replace("-", " "), *dates])
    for law in country.laws:
        yield f"law “{law.title}”", f"{law.kind} of {law.year}, {law.status.replace('-', ' ')}"
    assessed = Counter(assessment.coverage.value for assessment in country.coverage)
    if assessed:
        yield "coverage", ", ".join(f"{count} {level}" for level, count in sorted(assessed.items()))
    for plan in country.action_plans:
        years = "–".join(str(year) for year in (plan.start, plan.end) if year)
        yield f"action plan “{plan.title}”", f"{years + ', ' if years else ''}{plan.status.replace('-', ' ')}"
    if country.coordination_body is not None:
        yield "coordination body", f"`{country.coordination_body.name}`"
    for contact in country.contacts:
        yield f"contact {contact.agency}", contact.role


def _title(model: Model) -> str:
    return str(
        getattr(model, "name", None) or getattr(model, "short_title", None) or getattr(model, "title", None) or model.id
    )


# ---------------------------------------------------------------- pages and downloads


def download_keys(ds: Dataset) -> dict[str, str]:
    """Site path of every PDF and working file the build publishes (`toolkits/npl-en.pdf`) -> its cache key.

    A key is a hash of everything the file shows and of the code that lays it out, and the build is
    reproducible: a file's bytes change exactly when its key does."""
    from .office.batch import draft_jobs, draft_key
    from .pdf.batch import cache_key, job_html, jobs_for

    keys = {f"toolkits/{job.name}.pdf": cache_key(job_html(ds, job), job.paper) for job in jobs_for(ds)}
    keys.update({f"drafts/{job.name}": draft_key(job, job.make_view()) for job in draft_jobs(ds)})
    return keys


def _listed_files(downloads: list[str], rebuilt: set[str]) -> tuple[dict, dict]:
    """The PDFs and working files as a SiteBuilder lists them, with a made-up size and page count that differ
    for the `rebuilt` ones: the pages whose text then differs are those that show a rebuilt file's size. (Their
    links are not the site's: both sides of the comparison get the same, so no page differs by a link.)"""
    from .site.pages import PdfInfo

    pdfs, drafts = {}, {}
    for path in downloads:
        made_up = 2 if path in rebuilt else 1
        listed = pdfs if path.startswith("toolkits/") else drafts
        listed[Path(path).stem] = PdfInfo(path, bytes=made_up * 4096, pages=made_up)
    return pdfs, drafts


def _pages(ds: Dataset, now: date, downloads: list[str], rebuilt: set[str] = frozenset()) -> dict[str, str]:
    """Source path of every generated page of every edition (`countries/npl.md`, `ne/countries/npl.md`) -> its
    full text (Markdown and metadata)."""
    from .site.pages import Linker, SiteBuilder

    texts = {}
    pdfs, drafts = _listed_files(downloads, rebuilt)
    for lang in sorted(ds.languages):
        builder = SiteBuilder(ds, Linker(), pdfs, drafts=drafts, now=now, lang=lang)
        prefix = "" if lang == "en" else f"{lang}/"
        texts.update(
            {prefix + page.path: f"{page.title}\n{page.last_reviewed}\n{page.markdown}" for page in builder.build()}
        )
    return texts


def _macro_output(ds: Dataset) -> str:
    """A fingerprint of what hand-written pages can show from the data through mkdocs-macros (counts, the matrix)."""
    counts = [
        len(index) for index in (ds.countries, ds.instruments, ds.articles, ds.provisions, ds.standards, ds.activities)
    ]
    countries = [(c.id, c.name) for c in analysis.countries_in_order(ds)]
    instruments = [(i.id, i.short_title, i.abbreviation) for i in analysis.instruments_in_order(ds)]
    matrix = [[(cell.label, cell.uncertain) for cell in row] for row in analysis.ratification_matrix(ds)]
    return repr((counts, countries, instruments, matrix))


def _with_macros(ds: Dataset, project: Path) -> list[str]:
    """Source paths of the hand-written pages, in every edition, that show data through mkdocs-macros."""
    docs = project / "docs"
    pages = sorted(
        str(p.relative_to(docs)) for p in docs.rglob("*.md") if "{{ toolkit." in p.read_text(encoding="utf-8")
    )
    translated = [
        f"{lang}/{page}" for lang in sorted(ds.languages) if lang != "en" for page in pages if page != "index.md"
    ]
    return pages + translated  # a translated edition's home page is generated


def _urls(paths: list[str], removed: set[str], project: Path) -> list[str]:
    from .site.pages import Linker

    linker, root = Linker(), site_url(project)
    urls = [
        f"{root}{linker.dest(path).removesuffix('index.html')}{' (removed)' if path in removed else ''}"
        for path in paths
    ]
    return sorted(dict.fromkeys(urls))


def changed_pages(base: Dataset, head: Dataset, old: dict[str, str], new: dict[str, str], project: Path) -> list[str]:
    """Source paths of the pages whose text changes, in every edition: generated ones compared exactly (`old` and
    `new` are their texts), hand-written ones through their macros."""
    paths = [path for path in dict.fromkeys([*new, *old]) if old.get(path) != new.get(path)]
    if _macro_output(base) != _macro_output(head):
        paths += _with_macros(head, project)
    return paths


def changed_files(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """The paths whose text or key differs between two {path: text or key}, the new and removed ones marked."""
    changed = [path + ("" if path in old else " (new)") for path in new if old.get(path) != new[path]]
    return changed + [f"{path} (removed)" for path in old if path not in new]


def fill_outputs(report: Report, base: Dataset, head: Dataset, project: Path) -> None:
    """The pages, downloads and open data files the changes alter, into `report`. Pages that show a rebuilt
    download's size or page count, which only the build knows, are listed apart."""
    from .site import opendata

    now = today()
    new_files = download_keys(head)
    new_pages = _pages(head, now, list(new_files))
    try:
        old_files = download_keys(base)
        old_pages = _pages(base, now, list(old_files))
    except Exception as error:  # this branch's templates may need content the base lacks (new interface strings)
        report.unknown = f"the base content does not render with this branch's templates ({error})"
        report.downloads = sorted(new_files)
        return
    paths = changed_pages(base, head, old_pages, new_pages, project)
    rebuilt = {path for path in new_files if old_files.get(path) != new_files[path]}
    sized = _pages(head, now, list(new_files), rebuilt)
    showing = [path for path, text in sized.items() if text != new_pages[path] and path not in paths]
    report.pages = _urls(paths, {path for path in old_pages if path not in new_pages}, project)
    report.sized_pages = _urls(showing, set(), project)
    report.downloads = changed_files(old_files, new_files)
    report.data = [f"data/{path}" for path in changed_files(opendata.files(base), opendata.files(head))]


# ---------------------------------------------------------------- report


def compare(root: Path, base_ref: str, project: Path = PROJECT) -> Report:
    """The report of what changes in the content under `root` from `base_ref` to the working tree."""
    with tempfile.TemporaryDirectory(prefix="tiptoolkit-diff-") as folder:
        base, _ = load_dataset(extract_at(base_ref, root, Path(folder)))
    head, problems = validate(root)
    changes = content_changes(base, head)
    report = Report(base_ref, changes, problems=len(problems))
    if changes and problems:
        report.unknown = "cannot tell until the content validates"  # its problems are reported above
    elif changes:
        fill_outputs(report, base, head, project)
    return report


def markdown(report: Report) -> str:
    """The report as Markdown for a pull request comment."""
    lines = [f"## Content changes since `{report.base}`", ""]
    if report.problems:
        lines += [
            f"> **{report.problems} validation problem(s)**: see the annotations on the files, or run "
            "`tiptoolkit validate`. Files that do not load are left out below.",
            "",
        ]
    if not report.changes:
        lines += ["No content change: the data files mean the same as before.", ""]
        return "\n".join(lines)
    subjects = {(c.section, c.subject) for c in report.changes}
    lines += [f"{len(report.changes)} change(s) in {len(subjects)} item(s).", ""]
    sections = {**SECTIONS, **{c.section: c.section for c in report.changes if c.section not in SECTIONS}}
    for section, heading in sections.items():
        items = [c for c in report.changes if c.section == section]
        if items:
            lines += [f"### {heading}", "", *_listed(items), ""]
    lines += _outputs(report)
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_COMMENT:  # GitHub refuses longer comments
        cut = text.rfind("\n", 0, MAX_COMMENT - 200)
        text = text[:cut] + "\n\n… (report cut to fit a comment: run `tiptoolkit diff` for all of it)\n"
    return text


def _outputs(report: Report) -> list[str]:
    """The report's lists of pages, downloads and open data files."""
    if report.unknown:
        lines = ["### Pages and files that will change", "", f"- Any page may change: {_escape(report.unknown)}."]
        if report.downloads:
            lines += ["", f"### Downloads that may be rebuilt ({len(report.downloads)})", ""]
            lines += [_file(path) for path in report.downloads]
        return lines
    lines = [f"### Pages that will change ({len(report.pages)})", "", *[f"- {url}" for url in report.pages]]
    if not report.pages:
        lines.append("- none")
    if report.sized_pages:
        lines += ["", f"Pages that also show a rebuilt file's new size or page count ({len(report.sized_pages)}):", ""]
        lines += [f"- {url}" for url in report.sized_pages]
    lines += ["", f"### Downloads that will be rebuilt ({len(report.downloads)})", ""]
    lines += [_file(path) for path in report.downloads] or ["- none"]
    lines += ["", f"### Open data files that will change ({len(report.data)})", ""]
    lines += [_file(path) for path in report.data] or ["- none"]
    also = [
        *(["each language edition's copy of these open data files"] if report.data else []),
        *(["the search index of each edition with a changed page"] if report.pages or report.sized_pages else []),
        "the offline copy (`downloads/offline-site.zip`)",
    ]
    lines += ["", f"Also rebuilt: {', '.join(also)}."]
    return lines


def _file(path: str) -> str:
    """`- `toolkits/npl-en.pdf` (new)`: a site path in code, its mark (new, removed) after it."""
    name, _space, mark = path.partition(" ")
    return f"- `{name}` {mark}".rstrip()


def _listed(changes: list[Change], most: int = PER_SUBJECT) -> list[str]:
    """One line per change, at most `most` per subject (a file)."""
    lines, counts = [], Counter(change.subject for change in changes)
    shown: Counter[str] = Counter()
    for change in changes:
        shown[change.subject] += 1
        if shown[change.subject] <= most:
            lines.append(f"- {_escape(str(change))}")
        elif shown[change.subject] == counts[change.subject]:
            lines.append(f"- {_escape(change.subject)}: … and {counts[change.subject] - most} more change(s)")
    return lines


def _escape(text: str) -> str:
    """Keep content text from being read as Markdown or HTML outside its code spans."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else re.sub(r"([<>*_\[\]#|\\])", r"\\\1", part) for part in parts)


def run(root: Path, base_ref: str, output: Path | None = None) -> int:
    """CLI entry: print (or write) the report; 0 on success, 2 when the comparison cannot be made."""
    try:
        text = markdown(compare(root, base_ref))
    except DiffError as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
