"""Atomic builds: `tiptoolkit build` killed with SIGINT or SIGTERM at several moments (PDF rendering, the MkDocs
build, just before the swap, and at arbitrary delays) leaves the previous site complete, byte for byte, no staging
folder behind, and the lock free; a second build while one runs is refused with exit code 3.

The build runs in a subprocess through a small driver that announces each stage on stderr (and can hold at one),
so the signal lands where the test means it to; everything else is the real `tiptoolkit build`.
"""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import TODAY, edit
from .hardening_helpers import minimal_copy, snapshot

pytestmark = pytest.mark.slow

DRIVER = r"""
import os, sys, time
from pathlib import Path
import tiptoolkit.build as build
import tiptoolkit.pdf.batch as batch
from tiptoolkit.cli import main

batch.DEFAULT_CACHE = Path(os.environ["HX_CACHE"])
hold = os.environ.get("HX_HOLD", "")

def announce(stage):
    sys.stderr.write(f"@@{stage}\n")
    sys.stderr.flush()
    if stage == hold:
        time.sleep(60)

real_render_all, real_mkdocs, real_zip = batch.render_all, build.mkdocs_build, build.zip_folder

def render_all(*args, **kwargs):
    announce("pdf")
    return real_render_all(*args, **kwargs)

def mkdocs_build(*args, **kwargs):
    announce("mkdocs")
    return real_mkdocs(*args, **kwargs)

def zip_folder(*args, **kwargs):
    real_zip(*args, **kwargs)
    announce("swap")  # the last step before the PDFs move in and the folders are exchanged

batch.render_all, build.mkdocs_build, build.zip_folder = render_all, mkdocs_build, zip_folder
sys.exit(main(sys.argv[1:]))
"""


STAGING_PREFIXES = (".site-new-", ".site-offline-", ".offline-", ".site-old-")


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(STAGING_PREFIXES))


def lock_is_free(site: Path) -> bool:
    with open(site.parent / f".{site.name}.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


class Run:
    """One `tiptoolkit build` through the driver."""

    def __init__(self, root: Path, site: Path, cache: Path, *, pdf: bool, hold: str = "") -> None:
        args = ["--root", str(root), "build", "--site-dir", str(site), "--jobs", "2"] + ([] if pdf else ["--no-pdf"])
        env = {**os.environ, "TIPTOOLKIT_TODAY": TODAY, "HX_CACHE": str(cache), "HX_HOLD": hold}
        self.process = subprocess.Popen(
            [sys.executable, "-c", DRIVER, *args],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
            # as a command typed at a terminal: a suite run in the background inherits SIGINT ignored
            preexec_fn=functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL),
        )
        self.stderr: list[str] = []

    def wait_for(self, stage: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        for line in self.process.stderr:
            self.stderr.append(line)
            if line.strip() == f"@@{stage}":
                return
            assert time.monotonic() < deadline, f"no {stage} stage within {timeout} s"
        raise AssertionError(f"the build ended before the {stage} stage:\n{''.join(self.stderr)}")

    def finish(self, timeout: float = 120) -> tuple[int, str]:
        rest = self.process.communicate(timeout=timeout)[1]
        return self.process.returncode, "".join(self.stderr) + rest


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built once: the minimal content, a complete previous site built from it, then an edit so that a new build
    differs; and the site a finished new build gives (the reference)."""
    base = tmp_path_factory.mktemp("atomic")
    root = minimal_copy(base / "data")
    code, log = Run(root, base / "out" / "site", base / "cache", pdf=False).finish()
    assert code == 0, log
    edit(root / "countries/npl.yaml", "summary: A test profile.", "summary: A changed test profile.")
    code, log = Run(root, base / "reference" / "site", base / "cache", pdf=False).finish()
    assert code == 0, log
    return {"root": root, "site": base / "out" / "site", "reference": base / "reference" / "site"}


@pytest.fixture
def project(template: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A private copy of the previous site and a PDF cache of its own. The content is shared (a build only reads it),
    and must stay where it is: the pages' edit links name its folder, so the reference was built from there too."""
    site = tmp_path / "out" / "site"
    shutil.copytree(template["site"], site)
    return {"root": template["root"], "site": site, "cache": tmp_path / "cache", "reference": template["reference"]}


MOMENTS = [("pdf", True, 1.0), ("mkdocs", False, 0.3), ("swap", False, 0.0)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize(("stage", "pdf", "delay"), MOMENTS, ids=[moment[0] for moment in MOMENTS])
def test_interrupted_build_leaves_the_previous_site(project, stage, pdf, delay, signum):
    before = snapshot(project["site"])
    assert "index.html" in before and "countries/npl/index.html" in before
    run = Run(project["root"], project["site"], project["cache"], pdf=pdf, hold="swap" if stage == "swap" else "")
    run.wait_for(stage)
    time.sleep(delay)
    run.process.send_signal(signum)
    code, log = run.finish()
    assert code == 130, log
    assert "build interrupted: site/ left as it was" in log
    assert "Traceback" not in log, log
    assert snapshot(project["site"]) == before
    assert leftovers(project["site"].parent) == []
    assert lock_is_free(project["site"])
    assert not [p for p in project["cache"].rglob("*.tmp")]  # no half-written PDF in the cache


@pytest.mark.parametrize("delay", [0.3, 1.5, 2.5, 3.5])
def test_killed_at_any_moment_the_site_is_old_or_new_never_half(project, delay):
    before, after = snapshot(project["site"]), snapshot(project["reference"])
    assert before != after
    run = Run(project["root"], project["site"], project["cache"], pdf=False)
    time.sleep(delay)
    run.process.send_signal(signal.SIGTERM)
    code, log = run.finish()
    now = snapshot(project["site"])
    # 130: interrupted; 0: finished first; -15: killed before Python set its handlers up (nothing was touched
    # yet) or after the build had finished and let them go (the new site is in place).
    assert code in (-15, 0, 130), (code, log[-2000:])
    finished = "built " in log or "the new site was already in place" in log
    assert now == (after if finished else before), (code, log[-2000:])
    assert finished or code != 0
    assert leftovers(project["site"].parent) == []
    assert lock_is_free(project["site"])


def test_second_build_is_refused_while_one_runs(project):
    first = Run(project["root"], project["site"], project["cache"], pdf=False, hold="mkdocs")
    first.wait_for("mkdocs")
    env = {**os.environ, "TIPTOOLKIT_TODAY": TODAY}
    second = subprocess.run(
        [
            sys.executable,
            "-m",
            "tiptoolkit.cli",
            "--root",
            str(project["root"]),
            "build",
            "--no-pdf",
            "--site-dir",
            str(project["site"]),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert second.returncode == 3, second.stderr
    assert f"build refused: another build of {project['site']} is running (pid {first.process.pid})" in second.stderr
    assert not lock_is_free(project["site"])
    first.process.send_signal(signal.SIGTERM)
    code, log = first.finish()
    assert code == 130, log
    assert lock_is_free(project["site"])
    assert leftovers(project["site"].parent) == []


def test_killed_outright_the_next_build_cleans_up(project):
    """SIGKILL cannot be caught: the previous site still stands (the swap is one rename), and the staging folder
    left behind is removed by the next build, under the lock."""
    before = snapshot(project["site"])
    run = Run(project["root"], project["site"], project["cache"], pdf=False, hold="swap")
    run.wait_for("swap")
    run.process.send_signal(signal.SIGKILL)
    code, _ = run.finish()
    assert code == -signal.SIGKILL
    assert snapshot(project["site"]) == before
    assert [name for name in leftovers(project["site"].parent) if name.startswith(".site-new-")]
    assert lock_is_free(project["site"])
    code, log = Run(project["root"], project["site"], project["cache"], pdf=False).finish()
    assert code == 0, log
    assert snapshot(project["site"]) == snapshot(project["reference"])
    assert leftovers(project["site"].parent) == []


def test_an_interrupt_python_dropped_still_stops_the_build():
    """Python drops an exception raised inside some callbacks (a weak reference's, while a module is imported):
    the signal is remembered, and the check before the swap raises it again."""
    from tiptoolkit.build import interrupts_as_exceptions

    with interrupts_as_exceptions() as interrupt:
        interrupt.check()  # nothing received yet
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        except KeyboardInterrupt:
            pass  # as when the exception is raised where Python ignores it
        with pytest.raises(KeyboardInterrupt, match="signal 15"):
            interrupt.check()
