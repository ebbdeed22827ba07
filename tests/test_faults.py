"""Builds that survive faults (#24): a damaged cache, a cache that cannot be written, a full disk, a PDF worker that
dies or hangs, a stale lock, a content file saved during the build.

Each test starts from a site built from the minimal content (with its PDFs) and checks afterwards that `site/` is
either the previous one byte for byte or a complete new one, and that every PDF in it opens with the page count
the manifest gives.
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tiptoolkit import build as build_module
from tiptoolkit.build import build
from tiptoolkit.pdf import batch

from .conftest import edit
from .hardening_helpers import minimal_copy, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built once: the minimal content, its site with every PDF, and the PDF cache that build filled."""
    base = tmp_path_factory.mktemp("faults")
    root = minimal_copy(base / "data")
    assert build(root, base / "out" / "site", jobs=2, cache_dir=base / "cache") == 0
    return {"root": root, "site": base / "out" / "site", "cache": base / "cache"}


@pytest.fixture
def project(template: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Private copies of the content, the previous site and the PDF cache."""
    paths = {name: tmp_path / name for name in ("root", "cache")}
    paths["site"] = tmp_path / "out" / "site"
    for name, target in paths.items():
        shutil.copytree(template[name], target)
    return paths


def assert_intact(site: Path) -> None:
    """Every PDF the manifest lists opens, with its page count; no staging folder is left beside the site."""
    manifest = json.loads((site / "toolkits" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest
    for name, entry in manifest.items():
        data = (site / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"], name
        assert len(PdfReader(io.BytesIO(data)).pages) == entry["pages"], name
    assert not [p.name for p in site.parent.iterdir() if p.name.startswith((".site-new-", ".site-offline-"))]


def rebuild(project: dict[str, Path], **options) -> int:
    return build(project["root"], project["site"], jobs=2, cache_dir=project["cache"], **options)


# ---------------------------------------------------------------- 1. a damaged cache


def test_a_truncated_cached_pdf_is_rendered_again_not_published(project, capsys):
    before = snapshot(project["site"])
    for path in project["cache"].glob("*.pdf"):
        path.write_bytes(path.read_bytes()[:2048])
    capsys.readouterr()
    assert rebuild(project) == 0
    err = capsys.readouterr().err
    assert err.count("were damaged") == 1, err
    assert_intact(project["site"])
    after = snapshot(project["site"])
    pdfs = [name for name in before if name.endswith(".pdf")]
    assert pdfs and all(after[name] == before[name] for name in pdfs), "the same PDFs as the first build"


def test_damaged_content_template_and_plan_caches_are_read_again(project, tmp_path):
    """In fresh processes, as `make build` runs: the content cache (pickles), the compiled templates and
    plan.json damaged between two builds."""
    caches = tmp_path / "caches"
    env = {**os.environ, "TIPTOOLKIT_CACHE_DIR": str(caches)}
    command = [sys.executable, "-m", "tiptoolkit.cli", "--root", str(project["root"]), "build"]
    command += ["--site-dir", str(project["site"]), "--cache-dir", str(project["cache"]), "--jobs", "2"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert first.returncode == 0, first.stderr
    built = snapshot(project["site"])
    damaged = list((caches / "content").glob("*.pickle")) + list((caches / "jinja").glob("*"))
    assert len(damaged) > 5
    for path in damaged:
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"\x00garbage")
    (project["cache"] / "plan.json").write_text("{ not json", encoding="utf-8")
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr
    assert second.stderr.count("were damaged") == 1, second.stderr  # the content cache; Jinja recompiles silently
    assert_intact(project["site"])
    assert json.loads((project["cache"] / "plan.json").read_text(encoding="utf-8"))["keys"]
    assert snapshot(project["site"]) == built, "a reproducible build: the same site again"


# ---------------------------------------------------------------- 2. a cache that cannot be written


def test_a_cache_that_cannot_be_written_is_done_without(project, capsys):
    shutil.rmtree(project["cache"])
    project["cache"].write_text("a file where the cache folder should be", encoding="utf-8")
    capsys.readouterr()
    assert rebuild(project) == 0
    err = capsys.readouterr().err
    assert "cannot be written" in err and "without it" in err, err
    assert_intact(project["site"])
    assert project["cache"].is_file(), "left as it was"


# ---------------------------------------------------------------- 3. no space left on the output's disk


def test_a_full_disk_fails_with_one_message_and_keeps_the_previous_site(project, monkeypatch, capsys):
    before = snapshot(project["site"])
    real_copy = shutil.copyfile

    def full(source, target, *args, **kwargs):
        if Path(target).suffix == ".pdf":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real_copy(source, target, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", full)
    edit(project["root"] / "countries/npl.yaml", "summary: A test profile.", "summary: A changed test profile.")
    capsys.readouterr()
    assert rebuild(project) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("build failed: no space left on the device") and "site/ left as it was" in err[-1]
    assert snapshot(project["site"]) == before
    assert_intact(project["site"])


# ---------------------------------------------------------------- 4. a PDF worker that dies or hangs


def cold(project: dict[str, Path], tmp_path: Path) -> Path:
    """Empty the PDF cache, so that every PDF is laid out; returns a fresh folder to count the faults in."""
    for path in project["cache"].glob("*.pdf"):
        path.unlink()
    flag = tmp_path / "flag"
    flag.mkdir()
    return flag


def dying_layout(flag: Path, times: int, how: str = "kill"):
    """A layout that ends its own worker (SIGKILL, as the kernel's out-of-memory killer does) or hangs, `times`
    times in all, counted in files under `flag`, then lays out as usual."""
    real = batch.layout

    def layout(html: str, paper: str) -> bytes:
        if "<p></p>" not in html and len(list(flag.glob("*"))) < times:
            (flag / f"{os.getpid()}-{time.monotonic_ns()}").touch()
            if how == "hang":
                time.sleep(3600)
            if how == "exit":
                os._exit(0)  # ends without a word, as a library calling exit() would
            os.kill(os.getpid(), signal.SIGKILL)
        return real(html, paper)

    return layout


def test_a_worker_that_dies_is_reported_and_its_document_tried_again(project, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(batch, "layout", dying_layout(cold(project, tmp_path), 1))
    capsys.readouterr()
    assert rebuild(project) == 0
    err = capsys.readouterr().err
    assert "died" in err and "trying again" in err, err
    assert_intact(project["site"])


@pytest.mark.parametrize(
    ("how", "why"),
    [("kill", "SIGKILL: killed, often by the system when memory runs out"), ("exit", "exit code 0")],
)
def test_a_document_whose_worker_dies_twice_stops_the_build_cleanly(project, monkeypatch, tmp_path, capsys, how, why):
    before = snapshot(project["site"])
    monkeypatch.setattr(batch, "layout", dying_layout(cold(project, tmp_path), 1000, how))
    capsys.readouterr()
    assert rebuild(project) == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("build failed: rendering ") and "site/ left as it was" in last
    assert f"its worker process died twice ({why})" in last
    assert snapshot(project["site"]) == before


def test_a_worker_that_stops_answering_is_ended_after_the_limit(project, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(batch, "layout", dying_layout(cold(project, tmp_path), 1, how="hang"))
    monkeypatch.setenv("TIPTOOLKIT_PDF_TIMEOUT", "60")  # far above a minimal PDF, even on a loaded machine
    started = time.monotonic()
    capsys.readouterr()
    assert rebuild(project) == 0
    assert time.monotonic() - started < 600
    err = capsys.readouterr().err
    assert "stopped answering" in err, err
    assert_intact(project["site"])


# ---------------------------------------------------------------- 5. a stale lock


def test_the_lock_of_a_killed_build_is_taken_over_with_a_message(project, capsys):
    lock = project["site"].parent / f".{project['site'].name}.lock"
    lock.write_text("pid 999999999", encoding="utf-8")  # a build that held it and is gone (no such process)
    capsys.readouterr()
    assert rebuild(project, pdfs=False) == 0
    assert "pid 999999999" in capsys.readouterr().err
    assert lock.read_text(encoding="utf-8") == ""


# ---------------------------------------------------------------- 6. a content file saved during the build


def test_a_file_saved_during_the_build_does_not_reach_it(project, monkeypatch):
    real = build_module.render_downloads

    def save_during(*args, **kwargs):
        edit(project["root"] / "countries/npl.yaml", "summary: A test profile.", "summary: Saved mid-build.")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "render_downloads", save_during)
    assert rebuild(project) == 0
    page = (project["site"] / "countries" / "npl" / "index.html").read_text(encoding="utf-8")
    assert "A test profile." in page and "Saved mid-build." not in page
    data = (project["site"] / "data" / "toolkit.json").read_text(encoding="utf-8")
    assert "Saved mid-build." not in data
    monkeypatch.setattr(build_module, "render_downloads", real)
    assert rebuild(project) == 0  # the next build has the saved file
    assert "Saved mid-build." in (project["site"] / "countries" / "npl" / "index.html").read_text(encoding="utf-8")
    assert_intact(project["site"])
