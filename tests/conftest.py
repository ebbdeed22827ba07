"""Shared fixtures: a fixed "today", copies of the real and minimal content, and the validated real dataset."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.validate import validate

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = "2026-12-08"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIPTOOLKIT_TODAY", TODAY)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the small, valid fixture dataset."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content."""
    target = tmp_path / "toolkit_data"
    shutil.copytree(DEFAULT_ROOT, target)
    return target


@pytest.fixture(scope="session")
def dataset():
    """The real content, validated once per session."""
    import os

    os.environ["TIPTOOLKIT_TODAY"] = TODAY
    ds, problems = validate(DEFAULT_ROOT)
    assert not problems, "\n".join(map(str, problems))
    return ds


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` once in a file, failing loudly if `old` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="session")
def site(tmp_path_factory, dataset) -> Path:
    reuse = os.environ.get("TIPTOOLKIT_TEST_SITE")  # a site built earlier, to iterate on these tests quickly
    if reuse:
        return Path(reuse)
    from .site_fixtures import build_site

    return build_site(DEFAULT_ROOT, tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory, site) -> Path:
    """The same content built by Zensical (`--engine zensical`); after the MkDocs build, whose PDFs it takes
    from the PDF cache."""
    reuse = os.environ.get("TIPTOOLKIT_TEST_ZENSICAL_SITE")
    if reuse:
        return Path(reuse)
    from .site_fixtures import build_site

    return build_site(DEFAULT_ROOT, tmp_path_factory.mktemp("zensical") / "site", engine="zensical")


@pytest.fixture(scope="module")  # not session: one sync Playwright at a time, and each module starts its own
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from .hardening_helpers import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
