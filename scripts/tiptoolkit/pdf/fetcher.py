"""The only way WeasyPrint may read anything while rendering a toolkit.

Serves files inside the package's `pdf/assets/` folder and small `data:` URLs;
refuses (and logs on the `tiptoolkit.pdf` logger) everything else: `file://`
outside the assets (symlinks resolved first), `http(s)://` and any other scheme,
and `data:` URLs over 64 KB. Fonts do not come through here: WeasyPrint finds
them through fontconfig.

WeasyPrint 70 takes a `weasyprint.urls.URLFetcher` instance (its `fetch(url,
headers)` is overridden here); it turns our exceptions into a logged, non-fatal
"failed to load" and carries on, so a refused URL never stops a build, and never
reaches the network or the disk.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

LOGGER = logging.getLogger("tiptoolkit.pdf")
ASSETS = (Path(__file__).parent / "assets").resolve()
MAX_DATA_URL = 64 * 1024


class RefusedURL(ValueError):
    """A URL the toolkit renderer will not fetch."""


def _shown(url: str) -> str:
    return url if len(url) <= 120 else f"{url[:100]}... ({len(url)} characters)"


class AssetFetcher(URLFetcher):
    """Fetch only our own assets (and small data: URLs); refuse and log the rest."""

    def __init__(self, assets: Path = ASSETS) -> None:
        super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=False)
        self.assets = Path(assets).resolve()

    def refuse(self, url: str, why: str) -> RefusedURL:
        LOGGER.warning("refused to fetch %s: %s", _shown(url), why)
        return RefusedURL(f"{why}: {_shown(url)}")

    def asset_path(self, url: str) -> Path | None:
        """The file inside the assets folder that a file:// URL names, else None."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        try:
            path = Path(unquote(parts.path)).resolve()
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_relative_to(self.assets) or not path.is_file():
            return None
        return path

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            if len(url) > MAX_DATA_URL:
                raise self.refuse(url, f"data: URL over {MAX_DATA_URL // 1024} KB")
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.asset_path(url)
            if path is None:
                raise self.refuse(url, f"file outside {self.assets}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise self.refuse(url, "only the toolkit's own assets are fetched (no network)")

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)
