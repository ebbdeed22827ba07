"""Translations: the model and its validation rules, `tiptoolkit i18n status`, the translated site editions
(pages under /ne/, /bn/, /ur/, Urdu right to left, search in each script in a real browser)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tiptoolkit import i18n
from tiptoolkit.cli import main
from tiptoolkit.dataset import Dataset
from tiptoolkit.validate import validate

from .conftest import edit
from .site_fixtures import serve

EDITIONS = ("ne", "bn", "ur")


def problems_in(root: Path) -> list[str]:
    _, problems = validate(root)
    return [f"{p.file}:{p.line}: {p.field}: {p.message}" for p in problems]


def line_of(path: Path, needle: str, after: str | None = None) -> int:
    """1-based number of the first line holding `needle` (after the first line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


# ---------------------------------------------------------------- model and validation


def test_real_translations_are_current(dataset: Dataset):
    assert set(EDITIONS) | {"en"} <= set(dataset.languages)
    assert dataset.languages["ur"].direction == "rtl"
    for item in i18n.translatable_items(dataset):
        for translation in item.translations.values():
            assert i18n.fresh(item, translation)


def test_every_translation_awaits_review(dataset: Dataset):
    """No fluent reader has checked them yet: nothing may claim `reviewed`."""
    for lang in EDITIONS:
        language = dataset.languages[lang]
        assert {entry.status.value for entry in language.strings.values()} == {"needs-review"}
        assert {entry.status.value for entry in language.terminology} == {"needs-review"}
    statuses = {t.status.value for item in i18n.translatable_items(dataset) for t in item.translations.values()}
    assert statuses == {"needs-review"}


def test_changed_english_makes_the_translation_stale_with_file_and_line(real_copy: Path):
    # translations_current
    vps = real_copy / "victim_protection" / "vps.yaml"
    edit(vps, "    title: Safe and suitable accommodation\n", "    title: Safe, suitable and dignified accommodation\n")
    entitlement = validate(real_copy)[0].standards["vps/shelter"].entitlement
    expected = i18n.fingerprint("Safe, suitable and dignified accommodation", entitlement)
    found = problems_in(real_copy)
    assert len(found) == 3, found  # ne, bn and ur
    line = line_of(vps, "source_hash", after="title: Safe, suitable and dignified accommodation")
    assert found[0].startswith(f"victim_protection/vps.yaml:{line}: standards[3].translations.")
    assert all(
        "the English title and entitlement changed after this" in p and f"set source_hash to {expected}" in p
        for p in found
    )


def test_changed_english_interface_string_is_flagged_in_every_language(real_copy: Path):
    # interface_strings_consistent
    edit(real_copy / "i18n" / "en.yaml", '"Ratifications at a glance"', '"Ratifications in one table"')
    found = problems_in(real_copy)
    assert sorted(p.split(":")[0] for p in found) == ["i18n/bn.yaml", "i18n/ne.yaml", "i18n/ur.yaml"], found
    assert all(
        "strings.countries.matrix.source_hash: the English string 'countries.matrix' changed" in p for p in found
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "i18n/ne.yaml",
            '"{country}को अवस्था"',
            '"अवस्था"',
            "strings.country.position.text: placeholders differ from the English: use exactly {country}",
        ),
        (
            "i18n/ne.yaml",
            "  nav.home:",
            '  nav.homepage: {text: x, status: needs-review, source_hash: "00000000"}\n  nav.home:',
            "no English string 'nav.homepage'",
        ),
        ("countries/npl.yaml", "  bn:\n    name:", "  xx:\n    name:", "no interface language 'xx'"),
        ("countries/npl.yaml", '    name: "नेपाल"\n', "", "this translation gives no text: add one of name, summary"),
        (
            "countries/npl.yaml",
            '  ne:\n    name: "नेपाल"\n    status: needs-review',
            '  ne:\n    name: "नेपाल"\n    status: checked',
            "translations.ne.status: Input should be 'reviewed' or 'needs-review'",
        ),
    ],
)
def test_translation_rules(real_copy: Path, file: str, old: str, new: str, expected: str):
    edit(real_copy / file, old, new)
    found = problems_in(real_copy)
    assert any(expected in p for p in found), found


def test_english_shows_where_a_translation_is_missing(dataset: Dataset):
    standard = dataset.standards["vps/shelter"]
    ne = i18n.Translator(dataset, "ne")
    assert ne.field(standard, "title") == i18n.Localized(
        "सुरक्षित र उपयुक्त आवास", "ne", False, ne.field(standard, "title").status
    )
    fallback = ne.field(standard, "state_duties")
    assert fallback.fallback and fallback.lang == "en" and fallback.text == standard.state_duties
    assert i18n.Translator(dataset, "en").field(standard, "title").text == "Safe and suitable accommodation"


# ---------------------------------------------------------------- i18n status


def test_i18n_status_matches_the_data(dataset: Dataset, capsys):
    assert main(["i18n", "status", "--format", "json"]) == 0
    rows = {(row["lang"], row["kind"]): row for row in json.loads(capsys.readouterr().out)}
    items = [item for standard in dataset.standards.values() for item in standard.checklist]
    fields = [f for section in dataset.cooperation.referral_form.sections for f in section.fields]
    for lang in EDITIONS:
        checklist = rows[(lang, "victim protection checklist items")]
        assert checklist["total"] == len(items)
        assert checklist["translated"] == sum(lang in item.translations for item in items) == len(items)
        assert checklist["needs_review"] == checklist["translated"] and checklist["stale"] == 0
        labels = rows[(lang, "referral form fields")]
        assert labels["translated"] == sum(
            len(i18n.given_fields(f.translations[lang])) for f in fields if lang in f.translations
        )
        assert labels["total"] == len(fields) + sum(1 for f in fields if f.help)  # labels and help texts
        ui = rows[(lang, "interface strings")]
        assert ui["total"] == len(dataset.languages["en"].strings)
        assert ui["translated"] == len(dataset.languages[lang].strings)
    assert main(["i18n", "status"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"^ne +victim protection checklist items +129/129 100% +0 +129 +0$", text, re.M), text


def test_a_reviewed_translation_is_counted_apart_and_the_edition_says_how_far_review_went(real_copy: Path, capsys):
    from tiptoolkit.pdf.edition import edition_html

    ds, _ = validate(real_copy)
    reviewed, translated = i18n.review_counts(ds, "bn")
    assert reviewed == 0 and translated == sum(row.translated for row in i18n.status(ds) if row.lang == "bn")
    assert f"{translated}টি অনূদিত লেখার মধ্যে 0টি" in edition_html(ds, "BGD", "bn")
    vps = real_copy / "victim_protection" / "vps.yaml"
    text = vps.read_text(encoding="utf-8")
    at = text.index("      bn:\n", text.index("id: trained-interviewers"))
    status_at = text.index("status: needs-review", at)
    vps.write_text(
        text[:status_at] + "status: reviewed" + text[status_at + len("status: needs-review") :], encoding="utf-8"
    )
    ds, problems = validate(real_copy)
    assert not problems
    assert i18n.review_counts(ds, "bn") == (1, translated)
    assert main(["--root", str(real_copy), "i18n", "status", "--format", "json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["lang"] == "bn" and "checklist" in r["kind"])
    assert (row["reviewed"], row["needs_review"]) == (1, row["translated"] - 1)
    assert f"{translated}টি অনূদিত লেখার মধ্যে 1টি" in edition_html(ds, "BGD", "bn")


def test_i18n_hash_prints_the_fingerprint(capsys):
    assert main(["i18n", "hash", "Countries"]) == 0
    assert capsys.readouterr().out.strip() == i18n.fingerprint("Countries") == "8faf7ec7"


# ---------------------------------------------------------------- the site's editions


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("lang", EDITIONS)
def test_each_edition_has_its_pages(site: Path, lang: str):
    for page in (
        "index.html",
        "countries/npl/index.html",
        "victim-protection/shelter/index.html",
        "action-plan/protection/index.html",
        "cooperation/referral-form/index.html",
        "about/index.html",
    ):
        html = read(site, f"{lang}/{page}")
        assert f'<html lang="{lang}"' in html, page
        assert f'<body dir="{"rtl" if lang == "ur" else "ltr"}"' in html, page


@pytest.mark.slow
def test_translated_pages_use_the_translations_and_mark_english(site: Path, dataset: Dataset):
    shelter = read(site, "ne/victim-protection/shelter/index.html")
    assert "सुरक्षित र उपयुक्त आवास" in shelter and "जाँचसूची" in shelter
    assert dataset.standards["vps/shelter"].checklist[0].translations["ne"].text in shelter
    assert '<div lang="en" class="tk-en">' in shelter and "(अङ्ग्रेजीमा)" in shelter  # entitlement: not translated
    urdu = read(site, "ur/countries/pak/index.html")
    assert "پاکستان کی صورت حال" in urdu and '<div lang="en" dir="ltr" class="tk-en">' in urdu
    # pages with no translation at all say so once and hold English
    instrument = read(site, "bn/instruments/tip-protocol/index.html")
    assert "এই পাতাটি এখনও অনুবাদ হয়নি" in instrument and '<div lang="en">' in instrument
    # the English edition is untouched: no fallback marks, and a switcher to the same page in each language
    english = read(site, "countries/npl/index.html")
    assert 'class="tk-en"' not in english and "tk-fallback" not in english
    for lang, name in (("ne", "नेपाली"), ("bn", "বাংলা"), ("ur", "اردو")):
        assert re.search(
            rf'href="\.\./\.\./{lang}/countries/npl/" hreflang="{lang}" lang="{lang}"'
            rf' class="md-select__link">\s*{name}',
            english,
        )
    assert re.search(
        r'href="\.\./\.\./\.\./countries/npl/" hreflang="en" lang="en" class="md-select__link">\s*English',
        read(site, "ne/countries/npl/index.html"),
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", EDITIONS)
def test_search_settings_of_each_edition(site: Path, lang: str, dataset: Dataset):
    config = json.loads(read(site, f"{lang}/search/search_index.json"))["config"]
    assert config["lang"] == ["en"] and "trimmer" not in config["pipeline"]
    assert config["separator"] == dataset.languages[lang].search_separator
    assert re.compile(config["separator"]).split("क।ख॥ग") == ["क", "ख", "ग"] or lang == "ur"
    assert re.compile(config["separator"]).split("الف۔ب،ج؟د") == ["الف", "ب", "ج", "د"] or lang != "ur"


# ---------------------------------------------------------------- search in a real browser


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


def search(browser, url: str, query: str) -> list[str]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url)
        page.locator("input[data-md-component=search-query]").click()
        page.keyboard.type(query, delay=20)
        # Playwright types letters outside the US layout as text input without key events; a real keyboard (or IME)
        # sends keyup, which is what Material listens to: one neutral key does the same. Until the worker has built
        # the index (slow on a busy machine) the query waits, so the key is pressed again until results show.
        for attempt in range(8):
            page.keyboard.press("End")
            try:
                page.wait_for_selector(".md-search-result__item", timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 7:
                    raise
        links = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    finally:
        page.close()
    assert errors == []
    return [link.removeprefix(url) for link in links]


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("ne", "पहिचान", "victim-protection/identification/"),  # identification
        ("ne", "आवास।", "victim-protection/shelter/"),  # accommodation, typed with a danda
        ("bn", "শনাক্তকরণ", "victim-protection/identification/"),
        ("bn", "ক্ষতিপূরণ", "victim-protection/compensation/"),  # compensation: conjuncts
        ("ur", "شناخت", "victim-protection/identification/"),
        ("ur", "معاوضہ۔", "victim-protection/compensation/"),  # with the Urdu full stop
    ],
)
def test_search_finds_a_word_in_each_script(browser, base_url: str, lang: str, query: str, expected: str):
    links = search(browser, f"{base_url}{lang}/", query)
    assert any(link.startswith(expected) for link in links), links
    assert all(
        "%E0%A5%A4" not in link and "%DB%94" not in link for link in links
    )  # the danda and ۔ split, not searched


@pytest.mark.slow
@pytest.mark.browser
def test_urdu_page_is_laid_out_right_to_left(browser, base_url: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{base_url}ur/countries/pak/")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        title = page.locator("h1").bounding_box()
        content = page.locator(".md-content").bounding_box()
        # the heading hugs the right edge of the content column
        assert title["x"] + title["width"] > content["x"] + content["width"] * 0.6
        # the review date, in English digits and months, keeps its own order inside the Urdu line
        style = page.locator(".tk-reviewed time").evaluate(
            "t => [getComputedStyle(t).direction, getComputedStyle(t).unicodeBidi]"
        )
        assert style == ["ltr", "isolate"]
    finally:
        page.close()


# ---------------------------------------------------------------- national-language PDF editions

PDF_PHRASES = {
    # (edition, phrases in reading order: cover, a chapter heading, a checklist question, a form label)
    ("npl", "ne"): [
        "नेपाली संस्करण",
        "नेपालको अवस्था",
        "पीडित संरक्षणका मापदण्डहरू",
        "छिटो र सक्रिय पहिचान",
        "अनुमोदन",
        "सीमापार प्रेषण सूचना",
        "प्रेषण गर्ने निकाय र कार्यालय",
    ],
    ("bgd", "bn"): [
        "বাংলা সংস্করণ",
        "বাংলাদেশ-এর অবস্থান",
        "ভিকটিম সুরক্ষার মানদণ্ড",
        "দ্রুত ও সক্রিয় শনাক্তকরণ",
        "আন্তঃসীমান্ত রেফারেল নোটিশ",
        "রেফারকারী সংস্থা ও দপ্তর",
    ],
    ("pak", "ur"): [
        "اردو ایڈیشن",
        "پاکستان کی صورت حال",
        "متاثرین کے تحفظ کے معیارات",
        "بروقت اور فعال شناخت",
        "سرحد پار ریفرل نوٹس",
        "ریفر کرنے والا ادارہ اور دفتر",
    ],
}


@pytest.fixture(scope="module")
def editions(dataset: Dataset, tmp_path_factory) -> dict[tuple[str, str], Path]:
    from tiptoolkit.pdf.render import render_country

    folder = tmp_path_factory.mktemp("editions")
    paths = {}
    for iso3, lang in PDF_PHRASES:
        paths[(iso3, lang)] = folder / f"{iso3}-{lang}.pdf"
        paths[(iso3, lang)].write_bytes(render_country(dataset, iso3.upper(), lang=lang))
    return paths


def pdftotext(path: Path) -> str:
    import subprocess
    import unicodedata

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    text = unicodedata.normalize("NFKC", text)  # running heads come out as Arabic presentation forms
    return re.sub(r"[\u202a-\u202e\s]+", " ", text)  # bidi embedding marks and line breaks


def test_editions_are_those_with_a_translation(dataset: Dataset):
    from tiptoolkit.views.edition import editions as find

    assert set(find(dataset)) == set(PDF_PHRASES)


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "lang"), list(PDF_PHRASES))
def test_edition_text_reads_back_in_order(editions, iso3: str, lang: str):
    text = pdftotext(editions[(iso3, lang)])
    position = 0
    for phrase in PDF_PHRASES[(iso3, lang)]:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} not found after position {position}: {text[position : position + 300]!r}"
        position = found + len(phrase)


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "lang"), list(PDF_PHRASES))
def test_edition_headings_are_not_stranded(editions, iso3: str, lang: str):
    """Every bookmarked heading of a national edition has room for content under it (bottom margin 18 mm = 51 pt)."""
    import pikepdf

    with pikepdf.open(editions[(iso3, lang)]) as pdf:
        item = pdf.Root.Outlines.First
        stack = []
        while item is not None or stack:
            if item is None:
                item = stack.pop()
                continue
            top = float(item.Dest[3])
            assert top >= 51 + 45, f"{item.Title} starts {top - 51:.0f} pt above the bottom margin"
            if "/First" in item:
                stack.append(item.get("/Next"))
                item = item.First
            else:
                item = item.get("/Next")


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "lang"), list(PDF_PHRASES))
def test_edition_checklist_offers_three_answers_in_the_language(dataset: Dataset, editions, iso3: str, lang: str):
    """Yes, partly or no, shown in the edition's language and saved as the English value the import reads."""
    from pypdf import PdfReader

    from tiptoolkit.selfassessment import checklist_field_name

    shown = dataset.languages[lang].strings["pdf.answers"].text.split("|")
    fields = PdfReader(editions[(iso3, lang)]).get_fields()
    for standard in dataset.victim_protection.standards:
        for item in standard.checklist:
            options = [list(option) for option in fields[checklist_field_name(standard.id, item.id)]["/Opt"]]
            assert options == [["", ""], *map(list, zip(("yes", "partly", "no"), shown, strict=True))]


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "lang"), list(PDF_PHRASES))
def test_edition_fonts_are_the_scripts_noto_faces_and_embedded(editions, iso3: str, lang: str):
    import subprocess

    out = subprocess.run(["pdffonts", str(editions[(iso3, lang)])], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    families = {row[0].split("+", 1)[-1] for row in rows}
    expected = {"ne": "Noto-Sans-Devanagari", "bn": "Noto-Sans-Bengali", "ur": "Noto-Naskh-Arabic"}[lang]
    assert expected in families, families
    assert all(name.startswith("Noto-") for name in families), families
    assert all(row[-5] == "yes" for row in rows), out  # embedded (subset)


@pytest.mark.slow
def test_urdu_edition_runs_right_to_left(dataset: Dataset):
    from tiptoolkit.pdf.render import render_html

    html = render_html(dataset, "PAK", "ur")
    assert '<html lang="ur" dir="rtl">' in html
    assert "@top-right { content: string(doc)" in html and '@bottom-left { content: "صفحہ " counter(page)' in html
    nepali = render_html(dataset, "NPL", "ne")
    assert '<html lang="ne" dir="ltr">' in nepali and "counter(page)" in nepali


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "lang"), list(PDF_PHRASES))
def test_every_glyph_drawn_comes_from_a_font_that_has_it(dataset: Dataset, iso3: str, lang: str, caplog):
    """WeasyPrint logs a warning for every .notdef glyph it draws: none may appear."""
    import logging

    from tiptoolkit.pdf.render import render_country

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_country(dataset, iso3.upper(), lang=lang)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_a_plan_s_years_read_in_order_in_the_right_to_left_edition(dataset: Dataset, editions):
    """Years between brackets after an English title, in an Urdu paragraph, came out reversed ("2025–2023"): the
    range is set left to right on its own."""
    from tiptoolkit.analysis import current_plan

    plan = current_plan(dataset.countries["pak"])  # the one the edition names
    assert plan.start and plan.end and plan.start != plan.end
    text = subprocess.run(
        ["pdftotext", str(editions[("pak", "ur")]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"{plan.start}–{plan.end}" in text and f"{plan.end}–{plan.start}" not in text


def test_a_translated_value_inside_an_untranslated_sentence_keeps_its_language_and_direction(real_copy: Path):
    """'22 of 45' in Urdu inside a sentence not translated yet: the Urdu run is marked as Urdu, right to left, so
    the English sentence around it does not reorder its numbers ('45 22' for '22 of 45')."""
    from tiptoolkit.localizer import Localizer

    key = "country.assessed_from_statute"
    path = real_copy / "i18n" / "ur.yaml"
    path.write_text(
        "".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(f"  {key}:")
        ),
        encoding="utf-8",
    )
    dataset, _ = validate(real_copy)
    urdu = Localizer(i18n.Translator(dataset, "ur"))
    assert i18n.Translator(dataset, "ur").string(key).fallback
    count = urdu.t("country.n_of_m", n=22, m=45)
    html = str(urdu.t(key, count=count))
    assert html.startswith('<span lang="en" dir="ltr" class="tk-en"><span lang="ur" dir="rtl">')
    assert f'<span lang="ur" dir="rtl">{count}</span> mandatory model provisions' in html
    english = str(
        Localizer(i18n.Translator(dataset, "en")).t(
            key, count=Localizer(i18n.Translator(dataset, "en")).t("country.n_of_m", n=22, m=45)
        )
    )
    assert english == "22 of 45 mandatory model provisions that apply here assessed from the text of the law itself."
