"""Helpers shared by the hardening tests (adversarial, atomic, reproducible, links, accessibility)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tiptoolkit.dataset import DEFAULT_ROOT

from .conftest import FIXTURES


def minimal_copy(target: Path) -> Path:
    """A copy of the minimal fixture, with the English interface strings when the fixture has none of its own."""
    shutil.copytree(FIXTURES / "minimal", target)
    strings = DEFAULT_ROOT / "i18n" / "en.yaml"
    if strings.exists() and not (target / "i18n").exists():
        (target / "i18n").mkdir()
        shutil.copyfile(strings, target / "i18n" / "en.yaml")
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- the browser (Debian's Chromium, never downloaded)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def launch_chromium(playwright):
    import pytest

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
