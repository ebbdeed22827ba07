"""Reproducible builds: two builds of the same content, in two processes with different hash seeds, into two
differently named folders, with separate PDF caches (so every PDF is laid out twice), give byte-identical files:
pages, sitemap.xml and sitemap.xml.gz, the search index, the open data, the offline zip and the PDFs."""

from __future__ import annotations

import gzip
import os
import re
import struct
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.validate import validate

from .conftest import TODAY
from .hardening_helpers import minimal_copy, snapshot

pytestmark = pytest.mark.slow


def start_build(root: Path, site: Path, cache: Path, seed: str, pdf: bool) -> subprocess.Popen:
    env = {**os.environ, "TIPTOOLKIT_TODAY": TODAY, "PYTHONHASHSEED": seed}
    env.pop("SOURCE_DATE_EPOCH", None)
    args = ["--root", str(root), "build", "--site-dir", str(site), "--cache-dir", str(cache), "--jobs", "1"]
    return subprocess.Popen(
        [sys.executable, "-m", "tiptoolkit.cli", *args, *([] if pdf else ["--no-pdf"])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def two_builds(root: Path, tmp_path: Path, pdf: bool) -> tuple[Path, Path]:
    first, second = tmp_path / "first" / "site", tmp_path / "second-build" / "public"
    runs = [
        start_build(root, first, tmp_path / "cache-1", "1", pdf),
        start_build(root, second, tmp_path / "cache-2", "2", pdf),
    ]
    for run in runs:
        _, log = run.communicate(timeout=600)
        assert run.returncode == 0, log
    return first, second


def assert_identical(first: Path, second: Path) -> dict[str, bytes]:
    a, b = snapshot(first), snapshot(second)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == [], different
    return a


def test_minimal_content_with_pdfs_builds_byte_identical(tmp_path):
    root = minimal_copy(tmp_path / "data")
    files = assert_identical(*two_builds(root, tmp_path, pdf=True))
    for name in (
        "sitemap.xml",
        "sitemap.xml.gz",
        "search/search_index.json",
        "downloads/offline-site.zip",
        "toolkits/npl-en.pdf",
        "toolkits/region-south-asia-en.pdf",  # the fixture has no region file, so no older name
        "data/toolkit.json",
    ):
        assert name in files, name
    dataset, problems = validate(root)
    assert not problems
    newest = analysis.newest_reviewed(*(document.model for document in dataset.documents))
    # The dates MkDocs writes come from the content, not from the clock.
    assert set(re.findall(rb"<lastmod>([^<]+)</lastmod>", files["sitemap.xml"])) == {newest.isoformat().encode()}
    gz = files["sitemap.xml.gz"]
    mtime = struct.unpack("<I", gz[4:8])[0]
    assert mtime == int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())
    assert gzip.decompress(gz) == files["sitemap.xml"]


def test_real_content_site_builds_byte_identical(tmp_path):
    assert_identical(*two_builds(DEFAULT_ROOT, tmp_path, pdf=False))
