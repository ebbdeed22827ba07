"""The site built by Zensical (`tiptoolkit build --engine zensical`) against the MkDocs build of the same content:
the same pages, headings and anchors, the same files to download, and what our plugin does inside MkDocs done
around Zensical. The browser tests (tests/test_browser.py) run against both builds."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tiptoolkit.build import build
from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.linkcheck import check_site, site_base_path
from tiptoolkit.site import zensical

from .site_fixtures import SEARCH, serve

# Files one engine writes and the other does not, or writes under another name: why it cannot be helped.
ENGINE_FILES = {
    "assets/": "each theme's own scripts, stylesheets and icons",
    "search/search_index.js": "Material's search index (.json; a script in the offline copy); Zensical's is search.js",
    "search.js": "Zensical's search index (.json; a script in the offline copy); Material's is search/search_index.js",
    "sitemap.xml.gz": "Material compresses its sitemap too; Zensical writes sitemap.xml only",
}
# Anchors one engine adds to every page: why.
ENGINE_IDS = {"__skip": "the target of the 'skip to content' link: Zensical puts it inside the article"}
PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "scripts" / "tiptoolkit"


class Outline(HTMLParser):
    """A page's article as readers and links see it: its headings (level, anchor, text), every anchor in it and
    every link from it."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.headings: list[tuple[str, str | None, str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self._depth = 0
        self._heading: list | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        self._depth += tag == "article"
        if not self._depth:
            return
        if attributes.get("id") and attributes["id"] not in ENGINE_IDS:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(urljoin(self.url, attributes["href"]).replace("/index.html", "/"))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag, attributes.get("id"), ""]

    def handle_endtag(self, tag: str) -> None:
        self._depth -= tag == "article"
        if self._heading and tag == self._heading[0]:
            self.headings.append((tag, self._heading[1], " ".join(self._heading[2].split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._heading[2] += data


def outline(path: Path, page: str) -> Outline:
    """The outline of the page at `page` in the site, its links made absolute: `../` and `.././`, `#x` and
    `./#x` lead to the same place."""
    parsed = Outline(f"https://site.invalid/{page}")
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def files(site: Path) -> set[str]:
    """Every file of a site, but those of ENGINE_FILES (at the root of the site or of a translated edition)."""
    found = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    return {f for f in found if not any(f.split("/", 1)[-1].startswith(e) or f.startswith(e) for e in ENGINE_FILES)}


def edit_link(page: Path) -> str | None:
    """Where a page's "edit this page" button leads, or None without one."""
    found = re.search(r'<a href="([^"]*)"[^>]*rel="edit"', page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def compare_pages(mkdocs: Path, zensical_site: Path) -> int:
    """Assert both sites have the same files and, page by page, the same headings, anchors and links; the number
    of pages compared."""
    assert files(mkdocs) == files(zensical_site)
    pages = sorted(f for f in files(mkdocs) if f.endswith(".html"))
    for page in pages:
        ours, theirs = outline(mkdocs / page, page), outline(zensical_site / page, page)
        assert ours.headings, f"{page}: no heading in the MkDocs build"
        assert theirs.headings == ours.headings, page
        assert theirs.ids == ours.ids, (page, sorted(ours.ids ^ theirs.ids)[:10])
        assert theirs.links == ours.links, (
            page,
            [(a, b) for a, b in zip(ours.links, theirs.links, strict=False) if a != b][:5],
        )
    return len(pages)


@pytest.mark.slow
def test_every_page_is_in_both_builds_with_the_same_headings_and_anchors(site: Path, zensical_site: Path):
    """Every edition (English at the root, the translations in their folders), every page."""
    pages = compare_pages(site, zensical_site)
    assert pages > 300 and "ne/countries/npl/index.html" in files(zensical_site)
    links = check_site(zensical_site, site_base_path(PROJECT / "mkdocs.yml"))
    assert links.broken == [] and links.pages == pages, "\n".join(map(str, links.broken[:20]))


@pytest.mark.slow
def test_the_offline_copies_have_the_same_pages_headings_and_anchors(site: Path, zensical_site: Path, tmp_path):
    for name, built in (("mkdocs", site), ("zensical", zensical_site)):
        with zipfile.ZipFile(built / "downloads/offline-site.zip") as archive:
            archive.extractall(tmp_path / name)
    top = "counter-trafficking-toolkit"
    pages = compare_pages(tmp_path / "mkdocs" / top, tmp_path / "zensical" / top)
    assert (tmp_path / "zensical" / top / "countries/npl.html").is_file() and pages > 300


@pytest.mark.slow
def test_the_downloads_and_the_open_data_are_the_same_files(site: Path, zensical_site: Path):
    """The PDFs, working files and open data do not depend on the engine: the same bytes."""
    for folder in ("toolkits", "drafts", "data"):
        names = sorted(p.relative_to(site).as_posix() for p in (site / folder).rglob("*") if p.is_file())
        assert names, folder
        for name in names:
            assert (zensical_site / name).read_bytes() == (site / name).read_bytes(), name


def first_country_pages(chromium, site: Path, engine: str, names: list[str]) -> list[str | None]:
    """For each name searched in the site as `engine` draws it, the first country page among the results."""
    box, results = SEARCH[engine]
    found = []
    with serve(site) as url:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for name in names:
            page.goto(url)
            page.locator(box).click()
            page.keyboard.type(name, delay=20)
            page.locator(results).first.wait_for(timeout=30_000)
            links = page.locator(results).evaluate_all("links => links.map(a => a.href)")
            countries = [m.group(1) for link in links if (m := re.search(r"/countries/([a-z]{3})[/.]", link))]
            found.append(countries[0] if countries else None)
        context.close()
    return found


@pytest.mark.slow
@pytest.mark.browser
def test_search_finds_the_same_country_pages_in_both_builds(chromium, site: Path, zensical_site: Path, dataset):
    """Each country searched by its name: its own page is the first country page found, in both builds."""
    ids = sorted(dataset.countries)
    names = [dataset.countries[code].name for code in ids]
    assert first_country_pages(chromium, site, "mkdocs", names) == ids
    assert first_country_pages(chromium, zensical_site, "zensical", names) == ids


@pytest.mark.slow
def test_what_the_plugin_does_inside_mkdocs_is_done_around_zensical(site: Path, zensical_site: Path, dataset):
    """The home page's macros, abbreviations, review dates, "edit this page" on the data file, the language
    selector to the same page, and a translated page shown in English marked as such."""
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert "{{" not in home and re.search(rf"covers {len(dataset.countries)}\s+countries in 2 regions", home)
    assert 'href="countries/npl/"' in home  # the country list
    npl = (zensical_site / "countries/npl/index.html").read_text(encoding="utf-8")
    assert '<abbr title="South Asian Association for Regional Cooperation">SAARC</abbr>' in npl
    assert edit_link(zensical_site / "countries/npl/index.html").endswith("/edit/main/toolkit_data/countries/npl.yaml")
    pages = sorted(f for f in files(site) if f.endswith(".html"))
    edits = {page: edit_link(site / page) for page in pages}
    assert edits["compare/coverage/index.html"] is None  # a page drawn from many files has no button
    assert len(set(edits.values())) > 20
    assert {page: edit_link(zensical_site / page) for page in pages} == edits
    reviewed = re.search(r'<time datetime="([^"]*)" dir="ltr">([^<]*)</time>', npl)
    assert reviewed.groups() == (dataset.countries["npl"].last_reviewed.isoformat(), reviewed.group(2))
    nepali = (zensical_site / "ne/countries/npl/index.html").read_text(encoding="utf-8")
    assert '<html lang="ne"' in nepali
    assert 'href="../../../countries/npl/" hreflang="en"' in nepali
    fallback = (zensical_site / "ne/about/index.html").read_text(encoding="utf-8")
    assert 'class="tk-fallback-note"' in fallback and '<div lang="en">' in fallback


@pytest.mark.slow
def test_what_zensical_lacks_today_is_still_lacking(site: Path, zensical_site: Path):
    """Known differences, checked so that an upgrade that removes one says so (then update the README's list).

    - A country page is not in the navigation (see `pages.in_navigation`): our MkDocs plugin gives it the
      Countries section as parent, so its tab is shown active and "Countries" above its title; Zensical runs no
      plugin, so neither shows.
    - Zensical's search reads no extra field: the words joined for search ("nonpunishment") are at the end of
      each section's text in its index, and show at the end of a result's excerpt."""
    active = '<li class="md-tabs__item md-tabs__item--active">'
    assert active in (site / "countries/npl/index.html").read_text(encoding="utf-8")
    assert active not in (zensical_site / "countries/npl/index.html").read_text(encoding="utf-8")
    assert active in (zensical_site / "countries/index.html").read_text(encoding="utf-8")
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    assert any(item["text"].endswith(" nonpunishment") for item in index["items"])


@pytest.mark.slow
def test_the_offline_copy_asks_nothing_of_the_network(zensical_site: Path, tmp_path):
    with zipfile.ZipFile(zensical_site / "downloads/offline-site.zip") as archive:
        archive.extractall(tmp_path)
    home = (tmp_path / "counter-trafficking-toolkit/index.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]*)"', home)
    assert scripts and all(not src.startswith(("http:", "https:", "//")) for src in scripts), scripts
    assert '<link rel="alternate" href=' not in home  # each edition's sitemap, which file:// refuses
    # Its search index, a script there, has the joined words too ("nonpunishment"), as the online one.
    script = (tmp_path / "counter-trafficking-toolkit/search.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {") and script.endswith("};")
    index = json.loads(script.removeprefix("var __index = ").removesuffix(";"))
    assert any(item["text"].endswith(" nonpunishment") for item in index["items"])


def test_a_failing_zensical_run_says_why_in_one_line(tmp_path):
    """A template Zensical cannot read: its reason, without the traceback around it."""
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "docs/index.md").write_text("# Home\n", encoding="utf-8")
    (project / "overrides/partials").mkdir(parents=True)
    (project / "overrides/partials/footer.html").write_text("{{ 'x'.rstrip() }}", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: T\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8"
    )
    with pytest.raises(zensical.ZensicalFailed) as failed:
        zensical.run(project, epoch=None)
    assert str(failed.value).startswith("Zensical could not build the site: ")
    assert "rstrip" in str(failed.value) and "Traceback" not in str(failed.value)


@pytest.mark.slow
def test_a_build_whose_zensical_run_fails_says_why_and_keeps_the_site(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the site before", encoding="utf-8")

    def fails(project: Path, epoch: str | None) -> None:
        raise zensical.ZensicalFailed("Zensical could not build the site: a reason in its own words")

    monkeypatch.setattr(zensical, "run", fails)
    assert build(DEFAULT_ROOT, site, pdfs=False, engine="zensical") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == (
        "build failed: Zensical could not build the site: a reason in its own words; site/ left as it was"
    )
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the site before"
    assert not list(tmp_path.glob(".site-*")) and not list(tmp_path.glob(".zensical-*"))


def test_the_data_layer_and_the_pdfs_import_no_engine():
    """`model`, `load`, `validate`, `analysis` and `pdf/` import neither MkDocs nor Zensical; the engine-free
    page set (site/content.py) and the Zensical adapter import no MkDocs."""
    modules = ["model", "load", "validate", "analysis", "site.content", "site.zensical"]
    modules += [f"pdf.{p.stem}" for p in sorted((PACKAGE / "pdf").glob("*.py")) if p.stem != "__init__"]
    code = (
        "import sys\n"
        + "".join(f"import tiptoolkit.{m}\n" for m in modules)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'zensical')))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ast.literal_eval(found) == []


def test_the_build_refuses_an_unknown_engine_in_words():
    from tiptoolkit.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["build", "--engine", "hugo"])
    assert exited.value.code == 2


def test_a_zensical_build_with_a_content_problem_stops_before_any_site(real_copy, tmp_path, capsys):
    from .conftest import edit

    edit(real_copy / "countries/npl.yaml", "id: npl\n", "id: npx\n")
    code = build(real_copy, tmp_path / "site", pdfs=False, engine="zensical")
    assert code == 1 and not (tmp_path / "site").exists()
    assert "problem(s) in the content; site/ left as it was" in capsys.readouterr().err
