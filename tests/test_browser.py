"""The built site in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).

Every test runs against the site as each engine builds it: MkDocs with Material, and Zensical."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from .site_fixtures import ENGINES, SEARCH, SITES, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def built(engine, request) -> Path:
    return request.getfixturevalue(SITES[engine])


@pytest.fixture(scope="module")
def base_url(built: Path):
    with serve(built) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    """A fresh page that records console errors and every request leaving the site's origin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.console_errors = []
    tab.foreign_requests = []
    tab.on("console", lambda message: tab.console_errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on(
        "request",
        lambda request: (
            tab.foreign_requests.append(request.url)
            if not request.url.startswith(base_url) and not request.url.startswith("data:")
            else None
        ),
    )
    yield tab
    assert tab.console_errors == []
    assert tab.foreign_requests == []
    context.close()


def search(page, url: str, engine: str, query: str) -> list[str]:
    """The result links of a search typed in the page at `url`."""
    box, results = SEARCH[engine]
    page.goto(url)
    page.locator(box).click()
    page.keyboard.type(query, delay=20)
    page.locator(results).first.wait_for(timeout=30_000)
    return page.locator(results).evaluate_all("links => links.map(a => a.href)")


def test_search_finds_the_non_punishment_standard(page, base_url, engine):
    links = search(page, base_url, engine, "non-punishment")
    assert any("victim-protection/non-punishment/" in link for link in links), links


def test_search_finds_a_hyphenated_term_written_as_one_word(page, base_url, engine):
    links = search(page, base_url, engine, "nonpunishment")
    assert any("victim-protection/non-punishment/" in link for link in links), links


def test_search_finds_a_country_by_name(page, base_url, engine):
    links = search(page, base_url, engine, "Bhutan")
    assert any("/countries/btn/" in link for link in links), links


def test_download_button_fetches_the_pdf(page, base_url):
    page.goto(base_url + "countries/npl/")
    button = page.locator("a.tk-download__button")
    assert "Download the Nepal toolkit" in button.inner_text()
    with page.expect_download() as download:
        button.click()
    path = download.value.path()
    assert Path(path).read_bytes()[:5] == b"%PDF-"


def test_download_is_reachable_by_keyboard(page, base_url):
    page.goto(base_url + "countries/npl/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('tk-download__button')"):
            break
    else:
        pytest.fail("the download button was not reached with the Tab key")


CHART_TEXT = """selector => Array.from(document.querySelectorAll(selector)).map(text => {
    const box = text.getBoundingClientRect();
    return {size: parseFloat(getComputedStyle(text).fontSize) * box.height / text.getBBox().height,
            left: box.left, right: box.right};
})"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", ["ur/countries/pak/", "compare/coverage/"])
def test_charts_keep_readable_labels_clear_of_the_plot(page, base_url, width, path):
    """At a phone's width a chart keeps its text at 8 px or more and scrolls sideways; on a right-to-left page
    its labels stay left of the plot, as on the others, instead of running over it."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + path)
    charts = page.locator("svg.tk-chart").count()  # the heat maps: one per region
    assert charts >= 1
    for n in range(1, charts + 1):
        chart = f"figure:nth-of-type({n}) svg.tk-chart" if charts > 1 else "svg.tk-chart"
        labels = page.evaluate(CHART_TEXT, f"{chart} .tk-label")
        assert labels and min(label["size"] for label in labels) >= 8, labels[:3]
        plot = page.evaluate(f"document.querySelector('{chart} rect, {chart} .tk-lane').getBoundingClientRect().left")
        assert max(label["right"] for label in labels) <= plot + 1, (n, max(label["right"] for label in labels), plot)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page, not the chart, scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [1280, 390])
def test_country_page_renders_at_desktop_and_phone_width(page, base_url, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + "countries/bgd/")
    assert page.locator("svg.tk-chart").count() == 1
    assert page.title().startswith("Bangladesh")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at {width}px"
    shot = tmp_path / f"bgd-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    from PIL import Image

    with Image.open(shot) as image:
        assert image.size == (width, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, "the screenshot is (nearly) blank: the page did not paint"


def test_heat_map_of_the_region_fits_its_column(page, base_url):
    """Eight countries fit without scrolling; the whole figure is visible at desktop width."""
    page.goto(base_url + "compare/coverage/")
    figure = page.locator("figure.tk-figure").first
    overflow = figure.evaluate("f => f.scrollWidth - f.clientWidth")
    assert overflow <= 1, f"the heat map scrolls sideways by {overflow}px"
    svg, column = figure.locator("svg").bounding_box(), figure.bounding_box()
    assert svg["x"] + svg["width"] <= column["x"] + column["width"] + 1


# Zensical's theme script is larger than Material's (177 KB against 114 KB, about 20 KB more once compressed):
# the same pages cost that much more with it. The search index, most of the weight, is the same size in both.
THEME_ALLOWANCE_KB = {"mkdocs": 0, "zensical": 25}


@pytest.mark.parametrize(("path", "budget_kb"), [("", 400), ("countries/npl/", 450)])
def test_page_weight_stays_light(page, base_url, engine, path, budget_kb):
    """Everything the page loads, search index included, as a gzip-compressing server would send it."""
    budget_kb += THEME_ALLOWANCE_KB[engine]
    raw: dict[str, int] = {}
    packed: dict[str, int] = {}

    def record(response) -> None:
        if response.ok:
            body = response.body()
            raw[response.url] = len(body)
            packed[response.url] = len(gzip.compress(body, 6))

    page.on("response", record)
    page.goto(base_url + path, wait_until="networkidle")
    page.wait_for_timeout(1000)  # the search worker fetches its index after load
    total_kb = sum(packed.values()) / 1024
    print(f"\n{path or 'home'}: {len(raw)} requests, {sum(raw.values()) / 1024:.0f} KB, {total_kb:.0f} KB gzipped")
    assert total_kb <= budget_kb, sorted(packed.items(), key=lambda item: -item[1])[:5]


def test_the_offline_copy_searches_and_browses_with_the_network_refused(
    browser, built: Path, engine: str, tmp_path: Path
):
    """The offline copy unzipped and opened from files, every request that is not a file refused: search finds a
    country, its result opens the country's page, the working files and PDFs are linked from it, and no request
    left the files (Material's offline plugin would load a Web Worker shim from a CDN; the copy bundles it)."""
    import zipfile

    with zipfile.ZipFile(built / "downloads/offline-site.zip") as archive:
        archive.extractall(tmp_path)
    home = tmp_path / "counter-trafficking-toolkit" / "index.html"
    text = home.read_text(encoding="utf-8")
    assert "unpkg.com" not in text and "iframe-worker-shim.js" in text
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    refused: list[str] = []

    def only_files(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    tab.route("**/*", only_files)
    errors: list[str] = []  # Material fetched each edition's sitemap.xml, which file:// refuses, on every page
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    box, results = SEARCH[engine]
    tab.goto(home.as_uri())
    tab.locator(box).click()
    tab.keyboard.type("Nepal", delay=30)
    first = tab.locator(results).first
    first.wait_for(timeout=30_000)
    assert "countries/npl.html" in first.get_attribute("href")
    first.click()
    tab.wait_for_load_state()
    assert tab.url.startswith("file://") and "countries/npl.html" in tab.url
    assert tab.locator("h1").first.inner_text().strip().startswith("Nepal")
    for link in ("../toolkits/npl-en.pdf", "../drafts/npl-amendment-bill-en.docx"):
        href = tab.locator(f'a[href="{link}"]').first.get_attribute("href")
        assert (home.parent / "countries" / href).resolve().is_file(), href
    assert refused == [] and errors == []
    context.close()
