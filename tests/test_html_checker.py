"""The Nu Html Checker (vnu.jar from npm, pinned in package-lock.json, run with Debian's Java) over every page of
the built site, every language edition: no error comes from our templates or content.

The errors that remain come from the markup of Material for MkDocs itself; each is listed below with where it
comes from, and the test fails when one of them is gone (a theme update fixed it: remove it from the list)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tiptoolkit.dataset import DEFAULT_ROOT

VNU = DEFAULT_ROOT.parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_MARKUP = {  # (start of the checker's message, text of the markup it quotes) -> where the theme writes it
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'): (
        "base.html: the drawer and search toggles are checkboxes with autocomplete=off"
    ),
    ("Bad value “” for attribute “tabindex” on element “label”", 'class="md-nav__link'): (
        "partials/nav-item.html: a section's label in the navigation has an empty tabindex"
    ),
    ("The value of the “for” attribute of the “label” element must be", 'for="__toc"'): (
        "partials/toc.html: the table of contents' title labels the __toc toggle, which base.html leaves out "
        "of a page whose contents are in the navigation"
    ),
}
MUST_CHECK = ["index.html", "countries/npl/index.html", "compare/coverage/index.html"]  # and each edition's home


def theme_error(message: dict) -> tuple[str, str] | None:
    for key in THEME_MARKUP:
        start, markup = key
        if message["message"].startswith(start) and markup in message.get("extract", ""):
            return key
    return None


def test_no_html_error_comes_from_our_templates(site: Path, dataset):
    java = shutil.which("java")
    if java is None or not VNU.exists():
        pytest.fail("the Nu Html Checker needs Java and vnu-jar: run `make test` (it installs both)")
    pages = sorted(site.rglob("*.html"))
    checked = {page.relative_to(site).as_posix() for page in pages}
    homes = [f"{lang}/index.html" for lang in dataset.languages if lang != "en"]
    assert set(MUST_CHECK + homes) <= checked
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    messages = json.loads(run.stderr)["messages"]  # the checker writes its report to standard error
    ours = [
        f"{m['url'].removeprefix(f'file:{site.resolve()}/')}: {m['message']} in {m.get('extract', '').strip()!r}"
        for m in messages
        if theme_error(m) is None
    ]
    assert ours == [], "\n".join(ours[:20])
    still = {theme_error(m) for m in messages}
    assert still == set(THEME_MARKUP), f"no longer reported, remove from THEME_MARKUP: {set(THEME_MARKUP) - still}"
