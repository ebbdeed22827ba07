"""The built site, read back as HTML: pages, anchors, provenance, open data, offline copy, safety."""

from __future__ import annotations

import csv
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from markupsafe import escape

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT, load_dataset

pytestmark = pytest.mark.slow


def html(site: Path, page: str) -> str:
    return (
        (site / page / "index.html").read_text(encoding="utf-8")
        if not page.endswith(".html")
        else (site / page).read_text()
    )


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_generated_markdown_is_committed():
    docs = DEFAULT_ROOT.parent / "docs"
    assert not (docs / "countries").exists() and not (docs / "instruments").exists()


def test_every_country_has_a_page_with_its_pdf(site, dataset):
    for iso3, country in dataset.countries.items():
        page = html(site, f"countries/{iso3}")
        assert re.search(rf"<h1 id=\"[a-z-]+\">{re.escape(country.name)}<a class=\"headerlink\"", page), iso3
        match = re.search(
            rf'href="([^"]*toolkits/{iso3}-en\.pdf)" download>Download the [^<]+ toolkit \(PDF, ([\d.]+ [KM]B), (\d+) pages\)',
            page,
        )
        assert match, f"no download button on {iso3}"
        pdf = (site / f"countries/{iso3}" / match.group(1)).resolve()
        assert pdf.read_bytes()[:5] == b"%PDF-"
        for section in (
            "position",
            "ratifications",
            "coverage",
            "gaps",
            "laws",
            "action-plan",
            "cooperation",
            "contacts",
            "sources",
        ):
            assert f'id="{section}"' in page, (iso3, section)


def test_articles_have_stable_anchors_and_implementing_provisions(site, dataset):
    page = html(site, "instruments/tip-protocol")
    for number in range(1, 21):
        assert f'id="art-{number}"' in page
    art5 = page[page.index('id="art-5"') : page.index('id="art-6"')]
    assert "Implemented by:" in art5 and "model-law/tip-model-law/" in art5


def test_model_law_chapters_hold_their_provisions(site, dataset):
    for key, provision in dataset.provisions.items():
        law = dataset.provision_law[key]
        page = html(site, f"model-law/{law.id}/{provision.chapter}")
        assert f'id="{provision.id}"' in page, key


def test_every_page_shows_review_date_and_sources(site, dataset):
    labels = {lang: language.strings["page.last_reviewed"].text for lang, language in dataset.languages.items()}
    for page in all_pages(site):
        text = page.read_text(encoding="utf-8")
        if page.name == "404.html" or ("tk-reviewed" not in text and page.parent.name in ("data",)):
            continue
        edition = page.relative_to(site).parts[0]
        label = labels.get(edition, labels["en"])  # in the edition's language, the date kept left to right
        assert re.search(rf'{re.escape(label)}: <time datetime="[0-9-]+" dir="ltr">', text), page
    for page in (
        "countries/npl",
        "instruments/tip-protocol",
        "victim-protection/non-punishment",
        "glossary",
        "cooperation",
    ):
        assert 'id="sources"' in html(site, page), page


def test_edit_links_open_the_yaml_file(site):
    assert "/edit/main/toolkit_data/countries/npl.yaml" in html(site, "countries/npl")
    assert "/edit/main/toolkit_data/victim_protection/vps.yaml" in html(site, "victim-protection/shelter")
    assert "/edit/main/docs/about.md" in html(site, "about")


def test_abbreviations_expand_on_hover(site):
    page = html(site, "countries/bgd")
    assert '<abbr title="United Nations Convention against Transnational Organized Crime">UNTOC</abbr>' in page


def test_charts_are_inline_svg_with_title_description_and_table(site):
    """One heat map per region, each with its own ids (one page holds them all) and a table after it."""
    page = html(site, "compare/coverage")
    assert re.search(
        r'<svg class="tk-chart"[^>]*role="img"[^>]*aria-labelledby="coverage-south-asia-title coverage-south-asia-desc"',
        page,
    )
    assert '<title id="coverage-south-asia-title">' in page and 'id="table-south-asia"' in page
    ids = re.findall(r'<title id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == len({c.region for c in load_dataset()[0].countries.values()})
    assert '<svg class="tk-chart"' in html(site, "countries/npl")


def test_country_pages_sit_in_the_countries_section(site):
    """Not listed in the navigation (it would grow with the countries on every page), a country page still
    shows its section: the Countries tab active, the path Home > Countries above its title, the section beside."""
    page = html(site, "countries/npl")
    tab = re.search(r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert tab and tab.group(1) == "../" and "Countries" in tab.group(2)
    path = re.search(r'<nav class="md-path".*?</nav>', page, re.S).group(0)
    assert re.findall(r'<span class="md-ellipsis">\s*(\S[^<]*?)\s*</span>', path) == ["Home", "Countries"]
    sidebar = page[page.index('<nav class="md-nav md-nav--primary') : page.index('<div class="md-content"')]
    assert "Countries" in sidebar and "../bgd/" not in sidebar
    assert html(site, "instruments/untoc").count("countries/npl/") <= 1  # other pages do not list the countries


def test_home_page_offers_every_country_first_and_one_legend_for_the_matrix(site, dataset):
    page = html(site, ".")
    countries = re.search(r'<ul class="tk-country-list".*?</ul>', page, re.S)
    assert countries and countries.start() < page.index("<h2")  # above the first section
    names = re.findall(r'<a href="countries/(\w+)/">([^<]+)</a>', countries.group(0))
    assert names == [(c.id, c.name) for c in analysis.countries_in_order(dataset)]
    matrices = re.findall(
        r'<h3 id="ratifications-([\w-]+)">.*?(<div class="md-typeset__scrollwrap tk-matrix">.*?</table>\s*</div></div>)'
        r'\s*(<p class="tk-legend">.*?</p>)?',
        page,
        re.S,
    )
    regions = analysis.regions(dataset)
    assert [region for region, _, _ in matrices] == [r.id for r in regions]  # one matrix per region, under its name
    for region, (_, table, legend) in zip(regions, matrices, strict=True):
        cells = [cell for row in region.matrix for cell in row]
        assert len(cells) == len(region.countries) * len(region.instruments) == table.count("<td>")
        unconfirmed = sum(cell.uncertain for cell in cells)
        assert "unconfirmed</span>" not in table  # no word repeated in every cell
        if unconfirmed == len(cells):
            assert "tk-uncertain" not in table and "No record in this table has yet been confirmed" in legend
        else:
            assert table.count('class="tk-uncertain"') == unconfirmed and (legend != "") == (unconfirmed > 0)


def test_heat_map_names_its_countries_and_keeps_whole_labels(site, dataset):
    page = html(site, "compare/coverage")
    for region in analysis.regions(dataset):
        chart = re.search(rf'<svg class="tk-chart"[^>]*coverage-{region.id}-title.*?</svg>', page, re.S).group(0)
        columns = re.findall(r'<text [^>]*class="tk-axis"[^>]*>([^<]+)</text>', chart)
        assert columns == [escape(country.name) for country in region.countries]
    svg = re.search(r'<svg class="tk-chart".*?</svg>', page, re.S).group(0)
    labels = [
        " ".join(re.findall(r"<tspan [^>]*>([^<]*)</tspan>", label))
        for label in re.findall(r'class="tk-label"[^>]*>(.*?)</text>', svg)
    ]
    provisions = [provision for _key, provision, _cells in analysis.heatmap(dataset)]
    assert len(labels) == len(provisions) and "…" not in svg
    assert all(label.endswith(escape(provision.title)) for label, provision in zip(labels, provisions, strict=True))


def test_open_data(site, dataset):
    everything = json.loads((site / "data/toolkit.json").read_text())
    assert {c["id"] for c in everything["countries"]} == set(dataset.countries)
    for iso3 in dataset.countries:
        assert json.loads((site / f"data/countries/{iso3}.json").read_text())["id"] == iso3
    rows = list(csv.DictReader((site / "data/ratifications.csv").read_text().splitlines()))
    open_to = [  # a row for each instrument a country may join: every State, or its code in `open_to`
        (c, i)
        for c in dataset.countries.values()
        for i in dataset.instruments.values()
        if i.open_to is None or c.id.upper() in i.open_to
    ]
    assert len(rows) == len(open_to) < len(dataset.countries) * len(dataset.instruments)
    assert (site / "data/schemas/country.schema.json").exists()
    page = html(site, "open-data")
    assert "data/toolkit.json" in page and "ratifications.csv" in page and "coverage.csv" in page


def test_search_index_holds_countries_articles_and_standards(site):
    index = json.loads((site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert "countries/npl/" in locations
    assert "victim-protection/non-punishment/" in locations
    assert any(loc.startswith("instruments/tip-protocol/#art-6") for loc in locations)


def test_search_index_leaves_out_what_the_comparisons_repeat(site):
    """The comparisons' source lists and the heat map repeat the country pages and the table: shown, not indexed."""
    index = json.loads((site / "search/search_index.json").read_text())
    text = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert text["compare/coverage/#sources"] == text["compare/ratifications/#sources"] == ""
    assert text["countries/npl/#sources"] == ""  # a long bibliography: its statutes are named in the sections
    assert "Afghanistan" not in text["compare/coverage/#south-asia"]  # the heat map's column labels
    assert "Not assessed" in text["compare/coverage/#table-south-asia"]
    assert "<li>" in text["countries/npl/#gaps"]  # what a country page says of its law is indexed
    page = html(site, "compare/coverage")
    assert page.count("<li>") > 50 and "<svg" in page


def test_search_index_holds_hyphenated_words_also_written_as_one(site):
    index = json.loads((site / "search/search_index.json").read_text())
    assert index["config"]["fields"]["title_joined"] == index["config"]["fields"]["title"]
    assert index["config"]["fields"]["text_joined"] == index["config"]["fields"]["text"]
    standard = next(doc for doc in index["docs"] if doc["location"] == "victim-protection/non-punishment/")
    assert "nonpunishment" in standard["title_joined"].split()
    for doc in index["docs"]:  # each joined word is a hyphenated word the reader sees in the text, none from markup
        visible = re.sub(r"<[^>]*>", " ", doc["text"]).lower()
        for word in doc.get("text_joined", "").split():
            assert "-" not in word and re.search("-?".join(word), visible), (doc["location"], word)
    ur = json.loads((site / "ur/search/search_index.json").read_text())
    assert "text_joined" in ur["config"]["fields"]


def test_no_third_party_requests_in_the_html(site):
    for page in all_pages(site):
        text = page.read_text(encoding="utf-8")
        for tag, attribute in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in re.findall(rf"<{tag}\b[^>]*>", text):
                if 'rel="canonical"' in element or 'rel="alternate"' in element:
                    continue  # names the public address; nothing is fetched
                url = (re.findall(rf'\b{attribute}="([^"]+)"', element) or [""])[0]
                assert not re.match(r"(https?:)?//", url), f"{page}: {tag} {url}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_offline_copy_browses_from_files(site):
    with zipfile.ZipFile(site / "downloads/offline-site.zip") as archive:
        names = set(archive.namelist())
        top = "counter-trafficking-toolkit/"
        assert top + "index.html" in names and top + "countries/npl.html" in names
        assert top + "toolkits/npl-en.pdf" in names
        assert any(name.startswith(top + "search/") and name.endswith(".js") for name in names)
        page = archive.read(top + "countries/npl.html").decode()
        assert 'href="../toolkits/npl-en.pdf"' in page


def test_no_script_or_handler_from_content(site):
    for page in all_pages(site):
        text = page.read_text(encoding="utf-8")
        for script in re.findall(r"<script\b[^>]*>", text):
            assert (
                ('src="' in script and ("assets/javascripts/" in script or "search" in script))
                or "application/json" in script
                or script == "<script>"
            ), (page, script)
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+\s*=", text.replace('onclick="return false"', "")), page


def test_time_elements_carry_a_machine_readable_date(site):
    """`<time>` shows "29 Nov 2026" to readers and gives the date in ISO form to machines (valid HTML)."""
    found = 0
    for path in site.rglob("*.html"):
        for attributes, shown in re.findall(r"<time\b([^>]*)>([^<]*)</time>", path.read_text(encoding="utf-8")):
            found += 1
            match = re.search(r'datetime="(\d{4}-\d{2}-\d{2})"', attributes)
            assert match, f"{path.relative_to(site)}: <time{attributes}>{shown}</time> has no ISO datetime"
            day = date.fromisoformat(match.group(1))
            assert shown.strip() in (day.isoformat(), f"{day.day} {day:%b} {day.year}"), (path, shown)
    assert found > 20


def test_summaries_are_cut_at_a_sentence_end(site):
    """The countries index shows whole sentences of each summary, never a sentence cut short."""
    html = (site / "countries" / "index.html").read_text(encoding="utf-8")
    items = [
        re.sub(r"<[^>]+>", "", item)
        for item in re.findall(r"<li><a [^>]*><strong>[^<]+</strong></a>: (.*?)</li>", html)
    ]
    assert len(items) >= 8
    assert all(item.rstrip().endswith((".", "!", "?")) for item in items), items


def test_sentences_keeps_whole_sentences():
    from tiptoolkit.text import sentences

    text = "One two three. Four five six seven. Eight."
    assert sentences(text, 20) == "One two three."
    assert sentences(text, 40) == "One two three. Four five six seven."
    assert sentences(text, 5) == "One two three."  # the first sentence, whole, even when longer than the limit
    assert sentences("पहिलो वाक्य। दोस्रो वाक्य।", 15) == "पहिलो वाक्य।"
    cited = "It approved it by Law No. 12 of 2017, under art. 5 and ss. 3-4. Then more."
    assert sentences(cited, 60) == "It approved it by Law No. 12 of 2017, under art. 5 and ss. 3-4."


def test_each_region_builds_its_page_matrix_and_toolkits(site, dataset):
    """Every region with a country gets a page listing exactly its countries, a matrix of its countries by the
    instruments open to them, a regional toolkit of its own and one toolkit per country. South Asia's regional
    toolkit keeps its older name, byte for byte."""
    import pypdf

    regions = analysis.regions(dataset)
    assert [r.id for r in regions] == ["south-asia", "south-eastern-asia"]
    for region in regions:
        page = html(site, f"regions/{region.id}")
        article = page[page.index("<article") : page.index("</article>")]
        countries = re.search(r'<h2 id="countries".*?<ul class="tk-country-list">(.*?)</ul>', article, re.S).group(1)
        assert re.findall(r'href="../../countries/(\w{3})/"', countries) == [c.id for c in region.countries]
        matrix = article[article.index('id="ratifications"') :]
        columns = re.findall(r'<th scope="col"><a href="../../instruments/([\w-]+)/"', matrix)
        assert columns == [i.id for i in region.instruments]
        assert "Not open to it" not in matrix  # each region's instruments are open to each of its countries
        pdf = site / "toolkits" / f"region-{region.id}-en.pdf"
        assert f'href="../../toolkits/region-{region.id}-en.pdf"' in article
        reader = pypdf.PdfReader(pdf)
        assert reader.metadata.title == f"Counter-Trafficking Toolkit: {region.name}"
        chapters = {
            item.title: reader.get_destination_page_number(item)
            for item in reader.outline
            if not isinstance(item, list)
        }
        start, end = chapters["1 Ratifications across the region"], chapters["2 Model provisions"]
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages[start : end + 1])
        others = [c for c in dataset.countries.values() if c.region != region.id]
        assert all(c.name in text for c in region.countries) and not any(c.name in text for c in others)
        for country in region.countries:
            toolkit = pypdf.PdfReader(site / "toolkits" / f"{country.id}-en.pdf")
            assert toolkit.metadata.title == f"Counter-Trafficking Toolkit: {country.name}"
    south_asia = (site / "toolkits" / "region-south-asia-en.pdf").read_bytes()
    assert (site / "toolkits" / "toolkit-en.pdf").read_bytes() == south_asia
    assert (site / "toolkits" / "region-south-eastern-asia-en.pdf").read_bytes() != south_asia
