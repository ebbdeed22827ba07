"""Building the site once per test session, and serving it on loopback for the browser."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from tiptoolkit.build import build

ENGINES = ("mkdocs", "zensical")
SITES = {"mkdocs": "site", "zensical": "zensical_site"}  # the session fixture of each engine's build
# The search box to click and the result links, as each engine's theme draws them (Zensical's search dialog is
# in a shadow root, which Playwright's selectors enter).
SEARCH = {
    "mkdocs": ("input[data-md-component=search-query]", ".md-search-result__item a"),
    "zensical": (".md-search__button", "dialog[aria-label=Search] ol[role=listbox] a"),
}


def build_site(root: Path, site_dir: Path, pdfs: bool = True, engine: str = "mkdocs") -> Path:
    code = build(root, site_dir, jobs=2, pdfs=pdfs, engine=engine)
    assert code == 0, f"build exited {code}"
    return site_dir


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extra_headers: ClassVar[dict[str, str]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serve(folder: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 on a free port; yields the base URL."""
    handler = type("Handler", (_QuietHandler,), {"extra_headers": headers or {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
