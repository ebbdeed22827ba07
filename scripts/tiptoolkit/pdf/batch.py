"""Render many toolkits: HTML in this process, layout in worker processes, results in a content-addressed cache.

A PDF's cache key is a hash of everything it shows and everything that shapes it: its
HTML (which holds all the content it includes), the stylesheets and assets, the
paper size, the WeasyPrint and toolkit versions and the installed fonts. So a
rebuild with no change renders nothing, editing one country re-renders only that
country's PDFs, and editing shared content re-renders every PDF that shows it.
A build from exactly the inputs of the last one takes its keys from `plan.json` and
writes no HTML at all (`Plan`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing.connection import Connection
from pathlib import Path

from .. import __version__, analysis
from ..analysis import countries_in_order
from ..dataset import CACHE_ROOT, Dataset, today
from ..files import cache_or_spare, write_atomic, write_manifest
from ..views.edition import editions
from .accession import accession_html
from .fetcher import ASSETS
from .layout import POCKET_PAPER, layout_job
from .pocket import pocket_html
from .render import render_html

DEFAULT_CACHE = CACHE_ROOT / "pdf"


@dataclass(frozen=True)
class Job:
    """One PDF to produce."""

    name: str  # file stem, e.g. npl-en, region-south-asia-en, or toolkit-en (a region's older name)
    iso3: str | None
    lang: str = "en"
    paper: str = "a4"
    kind: str = "toolkit"  # toolkit, accession (a stand-alone accession kit) or pocket (a pocket guide, paper a6)
    instrument: str | None = None  # the instrument of an accession kit
    region: str | None = None  # the region of a regional toolkit (`iso3` None)


@dataclass
class Result:
    job: Job
    key: str
    pages: int
    bytes: int
    rendered: bool  # False when it came from the cache
    seconds: float
    worker_max_rss_kb: int = 0  # peak memory of the process that laid it out (0 when cached)


def jobs_for(dataset: Dataset, langs: tuple[str, ...] = ("en",)) -> list[Job]:
    """Every PDF the build publishes, in a stable order: the toolkits, then the accession kits and pocket guides."""
    jobs = [Job(f"{country.id}-{lang}", country.id, lang) for lang in langs for country in countries_in_order(dataset)]
    jobs += [
        Job(f"{stem}-{lang}", None, lang, region=region.id)
        for lang in langs
        for region in analysis.regions(dataset)
        for stem in region.pdf_stems
    ]
    # Each country's accession kits (one per instrument it has not joined) and its pocket guide, in English.
    for country in countries_in_order(dataset):
        for kit in analysis.accession_kits(dataset, country):
            jobs.append(
                Job(
                    analysis.accession_stem(country, kit.instrument),
                    country.id,
                    kind="accession",
                    instrument=kit.instrument.id,
                )
            )
        if analysis.pocket_guide(dataset, country) is not None:
            jobs.append(Job(analysis.pocket_stem(country), country.id, paper=POCKET_PAPER, kind="pocket"))
    # National-language editions of the toolkits (npl-ne, bgd-bn, pak-ur...: see views/edition.py) and of the
    # pocket guides (npl-pocket-ne...).
    if "en" in langs:
        for iso3, lang in editions(dataset):
            jobs.append(Job(f"{iso3}-{lang}", iso3, lang))
            country = dataset.countries[iso3]
            if analysis.pocket_guide(dataset, country) is not None:
                jobs.append(Job(analysis.pocket_stem(country, lang), iso3, lang, paper=POCKET_PAPER, kind="pocket"))
    return jobs


def job_html(dataset: Dataset, job: Job) -> str:
    """The HTML of one job: everything its PDF shows, so that its hash is the cache key."""
    if job.kind == "accession":
        return accession_html(dataset, job.iso3, job.instrument, job.lang)
    if job.kind == "pocket":
        return pocket_html(dataset, job.iso3, job.lang)
    if job.region is not None:
        dataset = analysis.region_dataset(dataset, job.region)
    return render_html(dataset, job.iso3, job.lang, job.paper)


PACKAGE = Path(__file__).resolve().parent.parent  # our code and templates: every PDF's HTML is made by them
layout = layout_job  # HTML and paper -> PDF bytes, for every kind of job
LAYOUT_CODE = (
    "layout.py",
    "speedups.py",
    "actualtext.py",
    "structlang.py",
    "fetcher.py",
)  # in pdf/: they shape a PDF, not its HTML


def shard(jobs: list[Job], spec: str | None) -> list[Job]:
    """The K-th of N deterministic slices (`spec` = "K/N", 1-based); all jobs when `spec` is None."""
    if not spec:
        return jobs
    k, n = (int(part) for part in spec.split("/"))
    if not 1 <= k <= n:
        raise ValueError(f"shard {spec!r}: K must be between 1 and N")
    return [job for index, job in enumerate(sorted(jobs, key=lambda j: j.name)) if index % n == k - 1]


@functools.lru_cache(maxsize=1)
def environment_fingerprint() -> str:
    """What shapes every PDF besides its HTML: code versions, the layout code, stylesheets and assets, installed
    fonts."""
    digest = hashlib.sha256()
    digest.update(f"tiptoolkit {__version__}; weasyprint {version('weasyprint')}\n".encode())
    for name in LAYOUT_CODE:  # the code between the HTML and the PDF: options, finisher, writer changes
        digest.update(name.encode() + b"\0" + (PACKAGE / "pdf" / name).read_bytes())
    for path in sorted(ASSETS.rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    try:
        fonts = subprocess.run(
            ["fc-list", "--format", "%{file} %{fontversion}\n"], capture_output=True, check=True
        ).stdout
        digest.update(b"\n".join(sorted(fonts.splitlines())))
    except (OSError, subprocess.CalledProcessError):
        digest.update(b"no fc-list")
    return digest.hexdigest()


def inputs_fingerprint(dataset: Dataset) -> str:
    """Everything a job's HTML is made from: the content files, our code, templates and assets, the versions of
    the libraries that write HTML, and (though no PDF shows it today) the date; and the PDF environment."""
    digest = hashlib.sha256(environment_fingerprint().encode())
    digest.update(f"{today().isoformat()}\n".encode())
    for name in ("jinja2", "markupsafe", "markdown", "nh3", "pydantic"):
        digest.update(f"{name} {version(name)}\n".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    for document in sorted(dataset.documents, key=lambda d: d.path):
        digest.update(str(document.path).encode() + b"\0" + document.text.encode("utf-8"))
    return digest.hexdigest()


class Plan:
    """The cache key each job had in the last build, and what that build was made from (`inputs_fingerprint`).

    A build from the same inputs makes the same HTML, so it takes the keys from here instead of writing every
    job's HTML again to hash it: a no-change rebuild renders no HTML and lays out no PDF. Any change to the
    inputs (one content file, one template) renders every job's HTML again, and the HTML keys decide, exactly
    as before, which PDFs are laid out."""

    def __init__(self, cache_dir: Path, dataset: Dataset):
        self.path = cache_dir / "plan.json"
        self.inputs = inputs_fingerprint(dataset)
        self.keys: dict[str, str] = {}
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(saved, dict) and saved.get("inputs") == self.inputs and isinstance(saved.get("keys"), dict):
            self.keys = saved["keys"]

    def save(self, keys: dict[str, str]) -> None:
        """Record these keys (merged with the others of the same inputs: shards, other languages)."""
        write_atomic(self.path, json.dumps({"inputs": self.inputs, "keys": {**self.keys, **keys}}))


def cache_key(html: str, paper: str) -> str:
    digest = hashlib.sha256(environment_fingerprint().encode())
    digest.update(paper.encode() + b"\0" + html.encode("utf-8"))
    return digest.hexdigest()


def count_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------- workers


def _warm_worker() -> None:
    """Import WeasyPrint once per worker process (a no-op when the parent did before forking).

    Workers ignore Ctrl-C: it reaches the whole process group, and the parent alone handles it by
    terminating them (SIGTERM, default action), so an interrupt never prints a worker's traceback.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    import weasyprint  # noqa: F401


def _layout(html: str, paper: str) -> tuple[bytes, float, int]:
    """Lay out one PDF; also report this process's peak memory (KiB), so workers report their own."""
    import resource

    started = time.perf_counter()
    data = layout(html, paper)
    return data, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class RenderFailed(RuntimeError):
    """A PDF could not be made: its layout failed, or its worker died twice or stopped answering."""


class CachedPdfs:
    """The cached PDFs of one build, each checked against the SHA-256 kept beside it before it is used.

    A damaged entry (truncated, overwritten, its record unreadable) is dropped, so that the PDF is rendered
    again, and named in one line at the end (`damaged_note`)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.checked: dict[str, dict | None] = {}
        self.damaged: list[str] = []

    def meta(self, key: str) -> dict | None:
        """The record of an intact cached PDF (`pages`, `sha256`), or None when it is missing or was damaged."""
        if key not in self.checked:
            self.checked[key] = self._check(key)
        return self.checked[key]

    def _check(self, key: str) -> dict | None:
        pdf = self.folder / f"{key}.pdf"
        if not pdf.exists():
            return None
        try:
            data = pdf.read_bytes()
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if "sha256" not in meta and meta.get("pages") == count_pages(data):  # written before checksums were kept
                meta["sha256"] = hashlib.sha256(data).hexdigest()
                write_atomic(self.folder / f"{key}.json", json.dumps(meta))
            if meta.get("sha256") == hashlib.sha256(data).hexdigest():
                return meta
        except Exception:  # an unreadable record or PDF is damaged like a checksum that does not match
            pass
        self.damaged.append(key)
        for suffix in (".pdf", ".json"):
            (self.folder / f"{key}{suffix}").unlink(missing_ok=True)
        return None

    def store(self, key: str, data: bytes) -> None:
        meta = {"pages": count_pages(data), "sha256": hashlib.sha256(data).hexdigest()}
        write_atomic(self.folder / f"{key}.pdf", data, durable=True)
        write_atomic(self.folder / f"{key}.json", json.dumps(meta))
        self.checked[key] = meta

    def damaged_note(self, names: dict[str, str]) -> str | None:
        if not self.damaged:
            return None
        listed = ", ".join(sorted(names.get(key, key[:12]) for key in self.damaged))
        return (
            f"{len(self.damaged)} cached PDF(s) were damaged (their checksum did not match), rendered again: {listed}"
        )


def render_all(
    dataset: Dataset,
    out_dir: Path | None,
    *,
    jobs: int | None = None,
    cache_dir: Path = DEFAULT_CACHE,
    shard_spec: str | None = None,
    langs: tuple[str, ...] = ("en",),
    report: list[Result] | None = None,
) -> Path | None:
    """Render every toolkit into the cache (and into `out_dir` with a manifest.json, unless None).

    Returns the manifest path. `report`, when given, receives one Result per PDF.
    """
    selected = shard(jobs_for(dataset, langs), shard_spec)
    with cache_or_spare(cache_dir, out_dir.parent if out_dir else None, "PDF cache") as folder:
        cache = CachedPdfs(folder)
        plan = Plan(folder, dataset)
        planned = _plan(dataset, selected, plan, cache)
        plan.save({job.name: key for job, _html, key in planned})
        # One layout per key: a region's toolkit and its older name (`pdf_alias`) have the same HTML.
        missing = list({key: (job, html, key) for job, html, key in planned if cache.meta(key) is None}.values())
        timings = render_missing(missing, cache.store, jobs) if missing else {}
        note = cache.damaged_note({key: job.name for job, _html, key in planned})
        if note:
            print(note, file=sys.stderr)
        results = []
        for job, _html, key in planned:
            os.utime(folder / f"{key}.pdf")  # last used: what prune_cache keeps longest
            seconds, rss = timings.get(key, (0.0, 0))
            size = (folder / f"{key}.pdf").stat().st_size
            results.append(Result(job, key, cache.meta(key)["pages"], size, key in timings, seconds, rss))
        if report is not None:
            report.extend(results)
        if shard_spec is None:  # a shard's cache is a CI artifact: it keeps what it rendered
            prune_cache(folder, {result.key for result in results})
        return _publish(results, folder, out_dir) if out_dir is not None else None


def _plan(dataset: Dataset, selected: list[Job], plan: Plan, cache: CachedPdfs) -> list[tuple[Job, str | None, str]]:
    """Each job with its HTML and cache key; a job whose key the plan holds and whose PDF is intact needs no HTML."""
    planned: list[tuple[Job, str | None, str]] = []
    for job in selected:
        key = plan.keys.get(job.name)
        if key is None or cache.meta(key) is None:
            html = job_html(dataset, job)
            planned.append((job, html, cache_key(html, job.paper)))
        else:  # same inputs as the build that wrote the plan: same HTML, same key, and its PDF is there
            planned.append((job, None, key))
    return planned


def _publish(results: list[Result], cache_dir: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for result in results:
        target = out_dir / f"{result.job.name}.pdf"
        shutil.copyfile(cache_dir / f"{result.key}.pdf", target)
        os.utime(target, (0, 0))
        manifest[result.job.name] = {
            "path": f"{out_dir.name}/{target.name}",
            "bytes": result.bytes,
            "pages": result.pages,
        }
    return write_manifest(manifest, out_dir)


def pdf_timeout() -> float:
    """Seconds a PDF worker may go without finishing a document before it is ended: TIPTOOLKIT_PDF_TIMEOUT, 900."""
    return float(os.environ.get("TIPTOOLKIT_PDF_TIMEOUT", "900"))


Missing = list[tuple[Job, str, str]]


def render_missing(missing: Missing, store: Callable[[str, bytes], None], jobs: int | None) -> dict:
    """Lay out the PDFs not in the cache, largest first, in `jobs` worker processes; `store` keeps each.

    A worker that dies (killed, out of memory) or stops answering for `pdf_timeout()` seconds is ended, said so,
    and the documents it left unfinished are laid out again, each in a fresh process of its own: a document whose
    worker dies there too stops the build (RenderFailed), naming it. Returns key -> (seconds, peak memory in KiB
    of the process that laid it out)."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
    order = sorted(missing, key=lambda item: len(item[1]), reverse=True)
    timings: dict[str, tuple[float, int]] = {}
    if workers == 1:
        for job, html, key in order:
            data, seconds, rss = _layout(html, job.paper)
            store(key, data)
            timings[key] = (seconds, rss)
        return timings
    # WeasyPrint, its font configuration and our parsed stylesheets are made once here, before the fork:
    # every worker inherits them (shared copy-on-write) instead of importing and scanning the fonts again.
    for paper in sorted({job.paper for job, _html, _key in order}):  # the toolkit's and the pocket guide's layouts
        layout("<p></p>", paper)
    for job, html, key in _render_in_pool(order, store, workers, timings):
        data, seconds, rss = _render_alone(job, html)
        store(key, data)
        timings[key] = (seconds, rss)
    return timings


def _render_in_pool(order: Missing, store: Callable[[str, bytes], None], workers: int, timings: dict) -> Missing:
    """Lay out `order` in a pool of `workers`; returns the documents left unfinished by a worker that died or
    stopped answering (the pool is then ended)."""
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_warm_worker
    )
    futures = {executor.submit(_layout, html, job.paper): (job, html, key) for job, html, key in order}
    unfinished: Missing = []
    try:
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=pdf_timeout(), return_when=FIRST_COMPLETED)
            if not done:  # nothing finished within the limit: a worker stopped answering
                unfinished += [futures[future] for future in pending]
                _say_unfinished("a PDF worker stopped answering", unfinished)
                break
            for future in done:
                job, _html, key = futures[future]
                try:
                    data, seconds, rss = future.result()
                except BrokenProcessPool:
                    unfinished.append(futures[future])
                    continue
                except Exception as error:
                    raise RenderFailed(f"rendering the {job.name} toolkit failed: {error}") from error
                store(key, data)
                timings[key] = (seconds, rss)
        else:
            if unfinished:
                _say_unfinished("a PDF worker process died (killed, or out of memory)", unfinished)
    except BaseException:
        _end(executor)
        raise
    if unfinished:
        _end(executor)
    else:
        executor.shutdown()
    return unfinished


def _say_unfinished(what: str, unfinished: Missing) -> None:
    names = ", ".join(job.name for job, _html, _key in unfinished)
    print(f"{what} while rendering one of {names}: trying again, each in a fresh worker", file=sys.stderr)


def _end(executor: ProcessPoolExecutor) -> None:
    """Kill the pool's workers (a hung one does not answer SIGTERM in time) and let it go.

    The pool's manager thread is waited for: it closes its wake-up pipe as it ends, and Python, as it exits,
    writes to that pipe if the thread still runs (a race that prints "Bad file descriptor" at exit)."""
    manager = getattr(executor, "_executor_manager_thread", None)
    for process in list(getattr(executor, "_processes", {}).values()):
        process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    if manager is not None:
        manager.join(timeout=60)


def _render_alone(job: Job, html: str) -> tuple[bytes, float, int]:
    """Lay out one document in a fresh process of its own, ended after `pdf_timeout()` seconds."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_layout_into, args=(sender, html, job.paper), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(pdf_timeout()):
            raise RenderFailed(f"rendering {job.name}: its worker stopped answering for {pdf_timeout():.0f} s")
        try:
            result = receiver.recv()
        except EOFError:
            process.join()
            why = _how(process.exitcode)
            raise RenderFailed(f"rendering {job.name}: its worker process died twice ({why})") from None
    finally:
        receiver.close()
        process.kill()
        process.join()
    if isinstance(result, str):
        raise RenderFailed(f"rendering the {job.name} toolkit failed: {result}")
    return result


def _layout_into(sender: Connection, html: str, paper: str) -> None:
    """In a fresh process: lay out one document and send the result (or the error's words) back."""
    _warm_worker()
    try:
        sender.send(_layout(html, paper))
    except Exception as error:
        sender.send(str(error))


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        return f"{name}: killed" + (", often by the system when memory runs out" if name == "SIGKILL" else "")
    return f"exit code {exitcode}"


def cache_max_bytes() -> int:
    """The size the PDF cache is pruned to: TIPTOOLKIT_PDF_CACHE_MAX_MB, default 1024."""
    return int(float(os.environ.get("TIPTOOLKIT_PDF_CACHE_MAX_MB", "1024")) * 1_048_576)


def prune_cache(cache_dir: Path, keep: set[str], max_bytes: int | None = None) -> list[str]:
    """Remove least recently used entries not in `keep` until the cache holds at most `max_bytes`.

    The keys the last build used are always kept, so the cache never drops below one
    build's worth and other builds sharing the folder (other datasets, papers) keep
    theirs while there is room. Returns the removed keys.
    """
    limit = cache_max_bytes() if max_bytes is None else max_bytes
    entries = []  # (last used, key, bytes)
    total = 0
    for path in cache_dir.glob("*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed by a concurrent prune
            continue
        meta = path.with_suffix(".json")
        size = stat.st_size + (meta.stat().st_size if meta.exists() else 0)
        total += size
        if path.stem not in keep:
            entries.append((stat.st_mtime, path.stem, size))
    removed = []
    for _mtime, key, size in sorted(entries):
        if total <= limit:
            break
        for suffix in (".pdf", ".json"):
            (cache_dir / f"{key}{suffix}").unlink(missing_ok=True)
        total -= size
        removed.append(key)
    return removed


def main_shard(dataset: Dataset, shard_spec: str, jobs: int | None, cache_dir: Path) -> int:
    """Render one CI shard into the cache; print what was done."""
    report: list[Result] = []
    render_all(dataset, None, jobs=jobs, cache_dir=cache_dir, shard_spec=shard_spec, report=report)
    for result in report:
        state = f"rendered in {result.seconds:.1f} s" if result.rendered else "cached"
        print(f"{result.job.name}: {result.pages} pages, {result.bytes:,} bytes, {state}", file=sys.stderr)
    return 0
