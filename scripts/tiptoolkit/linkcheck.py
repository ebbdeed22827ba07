"""Check the links of a built site, offline: `tiptoolkit linkcheck [--site-dir site] [--report links.json]`.

- every internal `href` and `src` of every HTML page resolves to a file of the site, and its `#anchor` (if any)
  to an `id` (or `<a name>`) in that file;
- every PDF's internal links (link annotations, outline entries) go to a named destination that exists or to
  a page of the same PDF; no PDF link launches a file or opens another document;
- external links (http, https, mailto, ...) are collected into a report with the pages that hold them, and
  never fetched.

Pure standard library plus pikepdf; nothing here needs MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = ("href", "src", "xlink:href", "poster", "data")
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "ftp")
IGNORED_SCHEMES = ("data", "blob", "about")  # inline content, not a link to follow


@dataclass
class Broken:
    page: str  # file of the site holding the link
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.why}"


@dataclass
class Report:
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages that link to it
    pages: int = 0
    links: int = 0
    pdfs: int = 0
    pdf_links: int = 0

    def as_json(self) -> str:
        return (
            json.dumps(
                {
                    "pages": self.pages,
                    "links": self.links,
                    "pdfs": self.pdfs,
                    "pdf_links": self.pdf_links,
                    "broken": [vars(item) for item in self.broken],
                    "external": {url: sorted(pages) for url, pages in sorted(self.external.items())},
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES and not (tag == "link" and name == "href" and _is_metadata_link(attrs)):
                self.links.append(value.strip())
        if tag == "base":
            self.base = dict(attrs).get("href")

    handle_startendtag = handle_starttag


def _is_metadata_link(attrs: list[tuple[str, str | None]]) -> bool:
    """`<link rel=canonical|alternate>` names an address; it is reported as external, never resolved as a file."""
    rel = (dict(attrs).get("rel") or "").lower().split()
    return bool({"canonical", "alternate"} & set(rel)) and not (dict(attrs).get("href") or "").startswith(("#", "."))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def check_site(site: Path, base_path: str = "/") -> Report:
    """Check every HTML page and PDF under `site`. `base_path` is the path of the site's public address
    (e.g. `/toolkit/` for https://example.org/toolkit/): links starting with it are resolved inside `site`."""
    site = site.resolve()
    report = Report()
    parsed: dict[Path, _Page] = {}

    def page_of(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    html_files = sorted(p for p in site.rglob("*.html") if p.is_file())
    for path in html_files:
        name = path.relative_to(site).as_posix()
        page = page_of(path)
        report.pages += 1
        for link in page.links:
            report.links += 1
            problem = _check_link(site, path, link, base_path, page_of, report, name)
            if problem:
                report.broken.append(Broken(name, link, problem))
    for pdf in sorted(site.rglob("*.pdf")):
        report.pdfs += 1
        check_pdf(pdf, report, pdf.relative_to(site).as_posix())
    return report


def _check_link(
    site: Path, page_path: Path, link: str, base_path: str, page_of, report: Report, name: str
) -> str | None:
    if not link:
        return None
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme in EXTERNAL_SCHEMES or link.startswith("//"):
        report.external.setdefault(link, [])
        if name not in report.external[link]:
            report.external[link].append(name)
        return None
    if scheme in IGNORED_SCHEMES:
        return None
    if scheme:
        return f"a {scheme}: link in a page"
    target_path = unquote(parts.path)
    if target_path.startswith("/"):
        if not target_path.startswith(base_path) and target_path + "/" != base_path:
            return f"absolute path outside the site's base {base_path}"
        target = site / target_path[len(base_path) :]
    elif target_path:
        target = page_path.parent / target_path
    else:
        target = page_path
    try:
        target = Path(posixpath.normpath(str(target)))
    except ValueError:
        return "not a path"
    if not target.is_relative_to(site):
        return "points outside the site"
    if target.is_dir() or target_path.endswith("/"):
        target = target / "index.html"
    if not target.is_file():
        return f"no file {target.relative_to(site).as_posix()}"
    anchor = unquote(parts.fragment)
    if anchor and target.suffix == ".html" and anchor not in page_of(target).ids:
        return f"no id {anchor!r} in {target.relative_to(site).as_posix()}"
    return None


# ---------------------------------------------------------------- PDFs


def check_pdf(path: Path, report: Report, name: str) -> None:
    """Internal links and outline entries of one PDF go somewhere that exists; external ones are reported."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen for page in pdf.pages}
        names: set[str] = set()
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            names |= {str(key) for key in pikepdf.NameTree(pdf.Root.Names.Dests)}
        if "/Dests" in pdf.Root:
            names |= {str(key).lstrip("/") for key in pdf.Root.Dests.keys()}  # noqa: SIM118 (a PDF dictionary)

        def check_dest(dest, where: str) -> None:
            report.pdf_links += 1
            if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                key = str(dest).lstrip("/") if isinstance(dest, pikepdf.Name) else str(dest)
                if key not in names:
                    report.broken.append(Broken(name, f"#{key}", f"{where}: no such named destination"))
            elif isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
                if dest[0].objgen not in pages:
                    report.broken.append(Broken(name, str(dest[0].objgen), f"{where}: not a page of this PDF"))
            else:
                report.broken.append(Broken(name, repr(dest)[:80], f"{where}: unreadable destination"))

        def check_action(action, where: str) -> None:
            kind = action.get("/S")
            if kind == "/GoTo":
                check_dest(action.get("/D"), where)
            elif kind == "/URI":
                uri = str(action.get("/URI"))
                report.pdf_links += 1
                if urlsplit(uri).scheme.lower() not in EXTERNAL_SCHEMES:
                    report.broken.append(Broken(name, uri, f"{where}: a URI that is not a web or mail address"))
                else:
                    report.external.setdefault(uri, [])
                    if name not in report.external[uri]:
                        report.external[uri].append(name)
            elif kind is not None:
                report.broken.append(Broken(name, str(kind), f"{where}: {kind} action (only GoTo and URI are allowed)"))

        for number, page in enumerate(pdf.pages, 1):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                where = f"page {number} link"
                if "/Dest" in annotation:
                    check_dest(annotation.Dest, where)
                if "/A" in annotation:
                    check_action(annotation.A, where)

        seen: set[tuple[int, int]] = set()

        def walk(item) -> None:
            while item is not None and item.objgen not in seen:
                seen.add(item.objgen)
                title = str(item.get("/Title", ""))[:40]
                if "/Dest" in item:
                    check_dest(item.Dest, f"outline entry {title!r}")
                if "/A" in item:
                    check_action(item.A, f"outline entry {title!r}")
                if "/First" in item:
                    walk(item.First)
                item = item.get("/Next")

        if "/Outlines" in pdf.Root and "/First" in pdf.Root.Outlines:
            walk(pdf.Root.Outlines.First)


def site_base_path(mkdocs_yml: Path) -> str:
    """The path of `site_url` in mkdocs.yml (read as text: the file holds MkDocs-only YAML tags)."""
    for line in mkdocs_yml.read_text(encoding="utf-8").splitlines():
        if line.startswith("site_url:"):
            return urlsplit(line.split(":", 1)[1].strip().strip("'\"")).path or "/"
    return "/"


def main(site: Path, report_path: Path | None = None, mkdocs_yml: Path | None = None) -> int:
    """Print broken links (exit 1 if any) and a summary; write the whole report as JSON when asked."""
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here: run `tiptoolkit build` first", file=sys.stderr)
        return 2
    base = site_base_path(mkdocs_yml) if mkdocs_yml and mkdocs_yml.exists() else "/"
    report = check_site(site, base)
    for item in report.broken:
        print(item)
    if report_path:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(report.as_json(), encoding="utf-8")
    print(
        f"{report.pages} pages, {report.links} links; {report.pdfs} PDFs, {report.pdf_links} PDF links; "
        f"{len(report.external)} external addresses (not fetched); {len(report.broken)} broken",
        file=sys.stderr,
    )
    return 1 if report.broken else 0


__all__ = ["Broken", "Report", "check_pdf", "check_site", "main", "site_base_path"]
