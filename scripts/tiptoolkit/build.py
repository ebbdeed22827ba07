"""`tiptoolkit build`: validate, render every PDF, build the site and its offline copy, then swap it in.

The new site is assembled in a staging folder next to `site/` and exchanged with it
only when everything succeeded, so an error or an interrupt (Ctrl-C, SIGTERM) at any
moment leaves the previous `site/` complete. A lock refuses a second build while
one runs.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .dataset import DEFAULT_ROOT
from .problems import format_problems
from .validate import validate

PROJECT = DEFAULT_ROOT.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the notice about MkDocs 2 is known: mkdocs is pinned below 2
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
STORED_IN_ZIP = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".gz", ".zip"}
_VALIDATED: dict[Path, tuple[tuple, object, list]] = {}
_PINNED: dict[Path, tuple[object, list]] = {}


def validated(root: Path) -> tuple:
    """`validate(root)`, remembered while no file under `root` changes (and "today" stays the same).

    One `tiptoolkit build` needs the validated content three times (before the PDFs, then in the
    plugin of the site build and of the offline build); at 195 countries validating takes tens of
    seconds, so it is done once. The stamp is every file's path, size and modification time.
    """
    root = Path(root).resolve()
    if root in _PINNED:  # a build in progress: the content it started with, whatever is saved meanwhile
        return _PINNED[root]
    stamp = (
        os.environ.get("TIPTOOLKIT_TODAY"),
        tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*") if p.is_file())),
    )
    hit = _VALIDATED.get(root)
    if hit is not None and hit[0] == stamp:
        return hit[1], hit[2]
    dataset, problems = validate(root)
    _VALIDATED.clear()  # one content folder at a time: a long-lived `serve` keeps one dataset
    _VALIDATED[root] = (stamp, dataset, problems)
    return dataset, problems


@contextmanager
def pinned(root: Path, dataset: object, problems: list) -> Iterator[None]:
    """While a build runs, every stage (the PDFs, each MkDocs run, the offline copy) sees one snapshot of the
    content: an editor saving a file during `serve` or a build changes the next build, not half of this one."""
    root = Path(root).resolve()
    _PINNED[root] = (dataset, problems)
    try:
        yield
    finally:
        _PINNED.pop(root, None)


class BuildLocked(RuntimeError):
    pass


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for the duration of a build of `site_dir`."""
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLocked(f"another build of {site_dir} is running ({holder}): wait for it to finish") from None
        handle.seek(0)
        previous = handle.read().strip()
        if previous:  # a clean end empties the file: the build that wrote this one was killed
            print(
                f"taking over the lock of a build that did not finish ({previous}, no longer running)", file=sys.stderr
            )
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class Interrupt:
    """The signal that interrupted the build, if one did. Python drops an exception raised while it runs certain
    callbacks (a weak reference's, inside the import machinery), so the interrupt is also remembered here and
    checked once more before the new site is swapped in."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt(f"signal {self.signum}")


@contextmanager
def interrupts_as_exceptions() -> Iterator[Interrupt]:
    """Turn SIGTERM, and Ctrl-C unless it is ignored, into KeyboardInterrupt so clean-up runs, and remember it.

    A PDF worker forked before it sets its own handlers inherits this one: there it ends the worker quietly,
    as the default action would, since the parent alone cleans up."""
    owner = os.getpid()
    interrupt = Interrupt()

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != owner:
            os._exit(128 + signum)
        interrupt.signum = signum
        raise KeyboardInterrupt(f"signal {signum}")

    caught = [signal.SIGTERM] + (
        [signal.SIGINT] if signal.getsignal(signal.SIGINT) is signal.default_int_handler else []
    )
    previous = {signum: signal.signal(signum, handler) for signum in caught}
    try:
        yield interrupt
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while a step that must not be cut in half runs (creating the staging
    folder, the swap and the clean-up); they are delivered, and interrupt the build, right after it."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def source_date_epoch(dataset: object) -> str:
    """SOURCE_DATE_EPOCH for the build: midnight UTC of the newest `last_reviewed` in the content, so that the
    dates MkDocs writes (sitemap lastmod, the gzip header of sitemap.xml.gz) come from the content, not the clock."""
    from datetime import UTC, datetime

    from .analysis import newest_reviewed

    newest = newest_reviewed(*(document.model for document in dataset.documents))
    if newest is None:
        return "0"
    return str(int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp()))


def exchange(new: Path, current: Path) -> None:
    """Put `new` in place of `current` in one step (renameat2 RENAME_EXCHANGE on Linux), then remove the old one."""
    if not current.exists():
        os.rename(new, current)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if (
        renameat2 is not None
        and renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(current), rename_exchange) == 0
    ):
        shutil.rmtree(new)  # `new` now holds the previous site
        return
    old = current.with_name(f".{current.name}-old-{os.getpid()}")
    os.rename(current, old)
    os.rename(new, current)
    shutil.rmtree(old)


def mkdocs_build(
    root: Path,
    site_dir: Path,
    *,
    offline: bool = False,
    pdf_manifest: Path | None = None,
    drafts_manifest: Path | None = None,
    epoch: str | None = None,
    lang: str = "en",
) -> None:
    """Run MkDocs (strict) on the content in `root` into `site_dir`; `epoch` is the SOURCE_DATE_EPOCH to use
    unless the environment already sets one; `lang` the edition (a translated one goes in `<site>/<lang>/`)."""
    from mkdocs.commands.build import build as run_mkdocs
    from mkdocs.config import load_config

    saved = {
        key: os.environ.get(key)
        for key in (
            "TIPTOOLKIT_OFFLINE",
            "TIPTOOLKIT_PDF_MANIFEST",
            "TIPTOOLKIT_DRAFTS_MANIFEST",
            "TIPTOOLKIT_DATA_DIR",
            "SOURCE_DATE_EPOCH",
            "TIPTOOLKIT_LANG",
        )
    }
    os.environ["TIPTOOLKIT_OFFLINE"] = "true" if offline else "false"
    os.environ["TIPTOOLKIT_LANG"] = lang
    os.environ["TIPTOOLKIT_DATA_DIR"] = str(root)
    if epoch is not None and not saved["SOURCE_DATE_EPOCH"]:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    if pdf_manifest:
        os.environ["TIPTOOLKIT_PDF_MANIFEST"] = str(pdf_manifest)
    if drafts_manifest:
        os.environ["TIPTOOLKIT_DRAFTS_MANIFEST"] = str(drafts_manifest)
    try:
        config = load_config(str(PROJECT / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        if offline:
            config.use_directory_urls = False
        run_mkdocs(config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def zensical_build(
    root: Path,
    site_dir: Path,
    *,
    offline: bool = False,
    pdf_manifest: Path | None = None,
    drafts_manifest: Path | None = None,
    epoch: str | None = None,
    lang: str = "en",
) -> None:
    """As `mkdocs_build`, with Zensical: the same pages, written out for it (see site/zensical.py)."""
    from .site import zensical
    from .site.content import data_prefix

    dataset, problems = validated(root)
    if problems:  # `build` stops before any site on a problem; a direct call is told them too
        raise zensical.ZensicalFailed(
            f"the content has {len(problems)} problem(s):\n" + format_problems(problems, prefix=f"{root.name}/")
        )
    zensical.build(
        dataset,
        PROJECT / "mkdocs.yml",
        site_dir,
        data_prefix=data_prefix(root, PROJECT),
        lang=lang,
        offline=offline,
        pdf_manifest=pdf_manifest,
        drafts_manifest=drafts_manifest,
        epoch=epoch,
    )


ENGINES = ("mkdocs", "zensical")


def site_builder(engine: str) -> Callable[..., None]:
    """What builds one edition of the site with `engine`: `mkdocs_build` or `zensical_build`, looked up when
    called (so that a test may replace either)."""
    return {"mkdocs": mkdocs_build, "zensical": zensical_build}[engine]


def zip_folder(folder: Path, target: Path, top: str) -> None:
    """A reproducible zip: sorted entries, fixed timestamps and permissions."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{top}/{path.relative_to(folder).as_posix()}", date_time=FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            # PDFs (and images, fonts) are compressed already: deflating them again costs seconds per PDF for nothing.
            info.compress_type = zipfile.ZIP_STORED if path.suffix in STORED_IN_ZIP else zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def build_sites(
    root: Path,
    staging: Path,
    editions: list[str],
    manifests: dict[str, Path | None],
    epoch: str,
    engine: str = "mkdocs",
) -> None:
    """Every language edition of the site into `staging/site`, and the offline copy zipped into its downloads.

    English at the root, then each translated edition in <site>/<lang>/ (after: the engine empties its folder).
    `manifests` holds the PDFs' and the working files' manifests, in `staging/pending/<folder>/`."""
    site_build = site_builder(engine)
    listed = {"pdf_manifest": manifests.get("toolkits"), "drafts_manifest": manifests.get("drafts")}
    site_build(root, staging / "site", epoch=epoch, **listed)
    for lang in editions:
        site_build(root, staging / "site" / lang, epoch=epoch, lang=lang, **listed)
    offline = staging / "offline"  # inside the staging folder, so that it goes with it whatever interrupts the build
    site_build(root, offline, offline=True, epoch=epoch, **listed)
    for lang in editions:
        site_build(root, offline / lang, offline=True, epoch=epoch, lang=lang, **listed)
    for folder, manifest in manifests.items():
        if manifest is not None:
            shutil.copytree(staging / "pending" / folder, offline / folder)
    zip_folder(offline, staging / "site" / "downloads" / "offline-site.zip", "counter-trafficking-toolkit")


def render_downloads(
    dataset: object, pending: Path, pdfs: bool, jobs: int | None, cache_dir: Path | None, report: list | None
) -> dict[str, Path]:
    """The PDFs (unless `pdfs` is False) and the working files into `pending/<folder>/`, where they wait until the
    site is built (MkDocs empties its output folder first); returns each folder's manifest."""
    from .office.batch import render_drafts

    manifests = {}
    if pdfs:
        from .pdf.batch import DEFAULT_CACHE, render_all

        manifests["toolkits"] = render_all(
            dataset, pending / "toolkits", jobs=jobs, cache_dir=cache_dir or DEFAULT_CACHE, report=report
        )
    manifests["drafts"], _results = render_drafts(dataset, pending / "drafts", jobs=jobs)
    return manifests


def build(
    root: Path = DEFAULT_ROOT,
    site_dir: Path = Path("site"),
    *,
    jobs: int | None = None,
    pdfs: bool = True,
    cache_dir: Path | None = None,
    report: list | None = None,
    engine: str = "mkdocs",
) -> int:
    """Build everything into `site_dir`, the site by `engine` (one of ENGINES). Returns a process exit code.

    `cache_dir` is the PDF cache (default .cache/pdf); `report`, when given, receives one
    `pdf.batch.Result` per PDF (rendered or taken from the cache).
    """
    site_dir = site_dir.resolve()
    started = time.perf_counter()
    swapped: list[bool] = []  # an interrupt held back during the swap arrives after it: say which site is in place
    try:
        with build_lock(site_dir), interrupts_as_exceptions() as interrupt:
            # A build killed outright (SIGKILL, power cut) leaves its staging folder (and, in earlier versions, an
            # offline folder beside it): under the lock, nobody uses them.
            for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-offline-*"):
                for stale in site_dir.parent.glob(pattern):
                    shutil.rmtree(stale, ignore_errors=True)
            dataset, problems = validated(root)
            note = damaged_content_note()
            if note:
                print(note, file=sys.stderr)
            if problems:
                print(format_problems(problems, prefix=f"{root.name}/"), file=sys.stderr)
                print(
                    f"build stopped: {len(problems)} problem(s) in the content; site/ left as it was", file=sys.stderr
                )
                return 1
            with pinned(root, dataset, problems):
                stage_and_swap(root, site_dir, dataset, interrupt, swapped, pdfs, jobs, cache_dir, report, engine)
    except BuildLocked as error:
        print(f"build refused: {error}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        done = "the new site was already in place" if swapped else "site/ left as it was"
        print(f"build interrupted: {done}", file=sys.stderr)
        return 130
    except Exception as error:  # a failing stage must say what failed, and leave site/ intact
        reason = failure(error)
        if reason is None:
            raise
        print(f"build failed: {reason}; site/ left as it was", file=sys.stderr)
        return 1
    print(f"built {site_dir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def stage_and_swap(
    root: Path,
    site_dir: Path,
    dataset: object,
    interrupt: Interrupt,
    swapped: list[bool],
    pdfs: bool,
    jobs: int | None,
    cache_dir: Path | None,
    report: list | None,
    engine: str = "mkdocs",
) -> None:
    """The downloads and every edition of the site into a staging folder beside `site_dir`, then swapped in."""
    epoch = source_date_epoch(dataset)
    staging: Path | None = None
    try:
        # An interrupt held back here arrives as soon as `staging` is set, inside the `try`: it is cleaned up.
        with signals_deferred():
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
        manifests = render_downloads(dataset, staging / "pending", pdfs, jobs, cache_dir, report)
        editions = sorted(code for code in dataset.languages if code != "en")
        build_sites(root, staging, editions, manifests, epoch, engine)
        for folder in manifests:
            os.rename(staging / "pending" / folder, staging / "site" / folder)
        interrupt.check()  # an interrupt Python dropped (see Interrupt) still stops the build here
        with signals_deferred():
            exchange(staging / "site", site_dir)
            swapped.append(True)
    finally:
        with signals_deferred():
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


DISK_FULL = {errno.ENOSPC: "no space left on the device", errno.EDQUOT: "the disk quota is used up"}


def failure(error: BaseException) -> str | None:
    """What to tell the user of a build that failed on `error`, or None for a bug (its traceback is shown)."""
    from mkdocs.exceptions import MkDocsException

    from .pdf.batch import RenderFailed
    from .site.zensical import ZensicalFailed

    if isinstance(error, MkDocsException | RenderFailed | ZensicalFailed):
        return str(error)
    if isinstance(error, OSError):
        where = f" while writing {error.filename}" if error.filename else ""
        if error.errno in DISK_FULL:
            return f"{DISK_FULL[error.errno]}{where}: free some space and build again"
        return f"{error.strerror or error}{where}"
    return None


def damaged_content_note() -> str | None:
    """One line when the content cache held damaged entries (they were read again from the YAML files)."""
    from .load import DocumentCache

    damaged = DocumentCache.take_damaged()
    if not damaged:
        return None
    return f"{damaged} cached content file(s) were damaged (their checksum did not match), read again from the YAML"
