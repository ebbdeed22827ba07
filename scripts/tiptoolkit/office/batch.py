"""Every working file the build publishes in `drafts/`, from a cache keyed by what each file shows.

A file's key is a hash of its view (everything it shows, computed in `views.drafts`), of the code that lays it
out and of the versions of the libraries that write it. A rebuild with no change writes nothing new; an edit
rebuilds only the files that show what changed (a country's coverage: its bill; its coordination body: its matrix). A cached file is checked against the SHA-256
kept beside it before it is used: a damaged one is made again.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from .. import analysis
from ..analysis import countries_in_order
from ..dataset import CACHE_ROOT, Dataset
from ..files import cache_or_spare, prune_unused, write_atomic, write_manifest
from ..views.drafts import bill_view, plan_matrix, referral_view
from .bill import bill_docx
from .form import referral_docx
from .matrix import matrix_xlsx

DEFAULT_CACHE = CACHE_ROOT / "office"
CODE = Path(__file__).resolve().parent
KEEP_UNUSED_DAYS = 30  # a cached file no build used for this long is removed


@dataclass(frozen=True)
class DraftJob:
    """One working file: its name in `drafts/`, the view it shows and how it is laid out."""

    name: str  # e.g. npl-amendment-bill-en.docx
    kind: str  # bill, matrix or form
    make_view: Callable[[], object]
    lay_out: Callable[[object], bytes]


@dataclass(frozen=True)
class DraftResult:
    name: str
    key: str
    bytes: int
    made: bool  # False when it came from the cache


def draft_jobs(ds: Dataset) -> list[DraftJob]:
    """A bill for each country with an assessed gap, an action plan matrix for each country and a blank one for
    the region, and the referral form in English and in each language it is translated into, in a stable order."""
    bill, matrix, form = ("bill", bill_docx), ("matrix", matrix_xlsx), ("form", referral_docx)
    planned: list[tuple[str, tuple, Callable[[], object]]] = []
    for country in countries_in_order(ds):
        if analysis.gaps(ds, country):
            planned.append((f"{country.id}-amendment-bill-en.docx", bill, functools.partial(bill_view, ds, country.id)))
        if ds.action_plan is not None:
            planned.append(
                (f"{country.id}-action-plan-en.xlsx", matrix, functools.partial(plan_matrix, ds, country.id))
            )
    if ds.action_plan is not None:
        planned.append(("action-plan-template-en.xlsx", matrix, functools.partial(plan_matrix, ds, None)))
    if ds.cooperation is not None:
        translated = ds.cooperation.referral_form.translations
        for lang in ["en", *sorted(code for code in ds.languages if code in translated)]:
            planned.append((f"referral-form-{lang}.docx", form, functools.partial(referral_view, ds, lang)))
    return [DraftJob(name, kind, make_view, lay_out) for name, (kind, lay_out), make_view in planned]


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The layout code and the versions of the libraries that write the files."""
    digest = hashlib.sha256()
    for name in ("python-docx", "openpyxl", "lxml"):
        digest.update(f"{name} {version(name)}\n".encode())
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def draft_key(job: DraftJob, view: object) -> str:
    """The cache key of a file: its kind, its view (a dataclass of plain values: its repr is stable) and the code."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"{job.kind}\0{job.name}\0{view!r}".encode())
    return digest.hexdigest()


def checksum_of(cached: Path) -> Path:
    """Where the SHA-256 of a cached file is kept: beside it."""
    return cached.with_name(cached.name + ".sha256")


def intact(cached: Path) -> bool:
    """A cached file whose bytes match the SHA-256 kept beside it."""
    try:
        return hashlib.sha256(cached.read_bytes()).hexdigest() == checksum_of(cached).read_text(encoding="ascii")
    except OSError:
        return False


def store(cached: Path, data: bytes) -> None:
    write_atomic(cached, data)
    write_atomic(checksum_of(cached), hashlib.sha256(data).hexdigest())


def render_drafts(
    ds: Dataset, out_dir: Path, cache_dir: Path = DEFAULT_CACHE, jobs: int | None = None
) -> tuple[Path, list[DraftResult]]:
    """Every working file into `out_dir`, with a `manifest.json` the site reads; returns it and what was done.

    The views are computed here; the files not in the cache are laid out in `jobs` worker processes (default:
    the number of cores)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with cache_or_spare(cache_dir, out_dir.parent, "cache of the working files") as folder:
        planned = []  # (job, view, cached file)
        for job in draft_jobs(ds):
            view = job.make_view()
            planned.append((job, view, folder / f"{draft_key(job, view)}{Path(job.name).suffix}"))
        missing = [(job, view, cached) for job, view, cached in planned if not _usable(job, cached)]
        for (_job, _view, cached), data in zip(missing, _lay_out_all(missing, jobs), strict=True):
            store(cached, data)
        made = {cached for _job, _view, cached in missing}
        results = [_publish(job, cached, out_dir, cached in made) for job, _view, cached in planned]
        prune(folder)
    manifest = {Path(r.name).stem: {"path": f"{out_dir.name}/{r.name}", "bytes": r.bytes} for r in results}
    return write_manifest(manifest, out_dir), results


def _usable(job: DraftJob, cached: Path) -> bool:
    """The cached file is there and intact (a damaged one is said once and made again)."""
    if not cached.exists():
        return False
    if intact(cached):
        os.utime(cached)  # last used, for prune
        return True
    print(f"the cached {job.name} was damaged: made again", file=sys.stderr)
    return False


def _lay_out_all(missing: list[tuple[DraftJob, object, Path]], jobs: int | None) -> list[bytes]:
    """Each missing file's bytes, in order: in worker processes when there are several files and cores."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
    if workers == 1:
        return [job.lay_out(view) for job, view, _cached in missing]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        return list(executor.map(_lay_out, [(job.lay_out, view) for job, view, _cached in missing]))


def _lay_out(work: tuple[Callable[[object], bytes], object]) -> bytes:
    lay_out, view = work
    return lay_out(view)


def _publish(job: DraftJob, cached: Path, out_dir: Path, made: bool) -> DraftResult:
    target = out_dir / job.name
    shutil.copyfile(cached, target)
    os.utime(target, (0, 0))
    return DraftResult(job.name, cached.stem, target.stat().st_size, made)


def prune(cache_dir: Path, days: int = KEEP_UNUSED_DAYS) -> None:
    """Remove the cached files no build has used for `days` (this build's were just written or touched)."""
    for path in prune_unused([*cache_dir.glob("*.docx"), *cache_dir.glob("*.xlsx")], days):
        checksum_of(path).unlink(missing_ok=True)


def main_drafts(root: Path, out_dir: Path) -> int:
    """`tiptoolkit drafts`: validate, then every working file into `out_dir`; say what was made and how fast."""
    from ..problems import format_problems
    from ..validate import validate

    ds, problems = validate(root)
    if problems:
        print(format_problems(problems, prefix=f"{root.name}/"), file=sys.stderr)
        print(f"drafts stopped: {len(problems)} problem(s) in the content", file=sys.stderr)
        return 1
    started = time.perf_counter()
    _manifest, results = render_drafts(ds, out_dir)
    for result in results:
        print(
            f"{out_dir / result.name}: {result.bytes:,} bytes, {'made' if result.made else 'cached'}", file=sys.stderr
        )
    made = sum(result.made for result in results)
    print(f"{len(results)} files ({made} made) in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0
