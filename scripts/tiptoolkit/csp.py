"""The Content-Security-Policy the built site works under: `tiptoolkit csp [--site-dir site]`.

Material for MkDocs writes a few small inline scripts into every page (the storage scope, which differs with
the page's depth; the colour palette; content tabs). `script-src 'self'` alone blocks them and breaks the
palette and search, so the policy allows exactly those scripts by their SHA-256 hashes, read from the built
pages. The hashes change when Material's version or the theme settings change: print the policy again after
an upgrade. JSON data blocks (`<script type="application/json">`) are not run and need no hash.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from html.parser import HTMLParser
from pathlib import Path

POLICY = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'none'"
)
NOT_RUN = {"application/json", "application/ld+json", "text/template"}


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            attributes = dict(attrs)
            self._inside = "src" not in attributes and (attributes.get("type") or "").lower() not in NOT_RUN
            if self._inside:
                self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def inline_script_hashes(site: Path) -> list[str]:
    """`'sha256-...'` sources for every distinct inline script of every page, sorted."""
    hashes = set()
    for page in site.rglob("*.html"):
        parser = _InlineScripts()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        for script in parser.scripts:
            digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def policy(site: Path) -> str:
    """The Content-Security-Policy header value for the site built in `site`."""
    return POLICY.format(hashes=" ".join(inline_script_hashes(site)))


def main(site: Path) -> int:
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here: run `tiptoolkit build` first", file=sys.stderr)
        return 2
    print(f"Content-Security-Policy: {policy(site)}")
    return 0
