"""The frontline pocket guide: the shared guide's content and rules, the per-country view, the site page, the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pytest

from tiptoolkit import analysis
from tiptoolkit.dataset import Dataset
from tiptoolkit.validate import validate

from .conftest import edit

TEMPLATES = Path(analysis.__file__).parent


# ---------------------------------------------------------------- the content


def test_the_guide_says_what_never_to_do(dataset: Dataset) -> None:
    guide = dataset.frontline
    never = {item.id for item in guide.never.items}
    assert {
        "no-punishment",
        "no-questioning-child-alone",
        "no-return-before-assessment",
        "no-sharing-without-consent",
        "no-publicity",
    } <= never
    aspects = {row.id for row in guide.differences.rows}
    assert {"consent", "exploitation", "transnationality", "relationship", "who-is-harmed"} <= aspects
    for _anchor, section in analysis.frontline_sections(guide):
        assert section.sources and section.last_reviewed.isoformat() == "2026-11-29"


def test_short_sentences_for_large_type(dataset: Dataset) -> None:
    """Read at a glance: item titles of a few words, texts of at most three short sentences."""
    for _anchor, section in analysis.frontline_sections(dataset.frontline):
        for item in getattr(section, "items", []):
            assert len(item.title.split()) <= 12, item.id
            sentences = [s for s in item.text.replace("!", ".").split(". ") if s.strip()]
            assert len(sentences) <= 3 and max(len(s.split()) for s in sentences) <= 30, item.id


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "  - identification-and-national-referral\n",
            "  - no-such-step\n",
            "is not a step of the cooperation procedure",
        ),
        (
            "  - detection-and-immediate-safety\n  - identification-and-national-referral\n",
            "  - detection-and-immediate-safety\n  - detection-and-immediate-safety\n",
            "is listed twice",
        ),
        (
            "    - vps/identification\n    - vps/interpretation\n",
            "    - vps/nowhere\n    - vps/interpretation\n",
            "does not name an article, provision or standard",
        ),
        ("    - id: urgent-needs\n", "    - id: make-safe\n", "duplicate id 'make-safe'"),
    ],
)
def test_frontline_rules(real_copy: Path, old: str, new: str, message: str) -> None:
    edit(real_copy / "frontline" / "frontline.yaml", old, new)
    _, problems = validate(real_copy)
    assert any(message in p.message and p.file == "frontline/frontline.yaml" for p in problems), problems


def test_the_guide_is_optional(real_copy: Path) -> None:
    (real_copy / "frontline" / "frontline.yaml").unlink()
    ds, problems = validate(real_copy)
    assert not problems
    assert analysis.pocket_guide(ds, ds.countries["npl"]) is None


# ---------------------------------------------------------------- the view


def test_pocket_guide_view(dataset: Dataset) -> None:
    coop = dataset.cooperation
    essential = [f.id for s in coop.referral_form.sections for f in s.fields if f.essential]
    for country in dataset.countries.values():
        guide = analysis.pocket_guide(dataset, country)
        assert guide.contacts == tuple(country.contacts)
        assert [n.id.upper() for n, _ in guide.neighbours] == [
            c for c in country.neighbours if c.lower() in dataset.countries
        ]
        for neighbour, contacts in guide.neighbours:
            assert contacts == tuple(dataset.countries[neighbour.id].contacts)
        missing = {c for c in country.neighbours if c.lower() not in dataset.countries}
        records = [pycountry.countries.get(alpha_3=c) for c in missing]  # names as readers know them, not codes
        assert set(guide.missing_neighbours) == {getattr(r, "common_name", None) or r.name for r in records}
        assert [f.id for f in guide.essential_fields] == essential and all(f.essential for f in guide.essential_fields)
        assert [s.id for s in guide.steps] == dataset.frontline.sop_steps


# ---------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def pages(dataset: Dataset) -> dict[str, str]:
    from tiptoolkit.site.pages import Linker, SiteBuilder

    return {page.path: page.markdown for page in SiteBuilder(dataset, Linker(), pocket_pdfs(dataset)).build()}


def pocket_pdfs(dataset: Dataset) -> dict:
    """A manifest of every pocket guide the build publishes, English and national languages."""
    from tiptoolkit.pdf import batch
    from tiptoolkit.site.pages import PdfInfo

    jobs = [job for job in batch.jobs_for(dataset) if job.kind == "pocket"]
    return {job.name: PdfInfo(f"toolkits/{job.name}.pdf", 30_000, 6) for job in jobs}


def test_frontline_page(dataset: Dataset, pages: dict[str, str]) -> None:
    page = pages["cooperation/frontline.md"]
    for anchor, _section in analysis.frontline_sections(dataset.frontline):
        assert f"{{: #{anchor} }}" in page
    for anchor in ("procedure", "form", "pocket-guides", "sources"):
        assert f"{{: #{anchor} }}" in page
    # every country's guide is listed on the countries index, so this page does not grow with the countries
    assert "countries/#pocket-guides" in page and "-pocket-en.pdf" not in page
    index = pages["countries/index.md"]
    assert "{: #pocket-guides }" in index
    for country in dataset.countries.values():
        assert f"toolkits/{country.id}-pocket-en.pdf" in index


def test_country_pages_link_their_pocket_guide(dataset: Dataset, pages: dict[str, str]) -> None:
    for country in dataset.countries.values():
        page = pages[f"countries/{country.id}.md"]
        assert f"toolkits/{country.id}-pocket-en.pdf" in page
        for other in dataset.countries.values():
            if other is not country:
                assert f"toolkits/{other.id}-pocket-en.pdf" not in page


def test_pocket_guides_in_national_languages_are_linked(dataset: Dataset, pages: dict[str, str]) -> None:
    """English pages offer the other editions; the Nepali edition offers the Nepali guide first."""
    from tiptoolkit.site.pages import Linker, SiteBuilder
    from tiptoolkit.views.edition import editions

    assert editions(dataset)
    for iso3, lang in editions(dataset):
        link = f'toolkits/{iso3}-pocket-{lang}.pdf" hreflang="{lang}" lang="{lang}"'
        assert link in pages[f"countries/{iso3}.md"]
        assert link in pages["countries/index.md"]
    nepali = {
        page.path: page.markdown for page in SiteBuilder(dataset, Linker(), pocket_pdfs(dataset), lang="ne").build()
    }
    page = nepali["countries/npl.md"]
    assert 'toolkits/npl-pocket-ne.pdf" hreflang="ne" download' in page
    assert "npl-pocket-en.pdf" not in page
    assert 'toolkits/ind-pocket-en.pdf" hreflang="en" download' in nepali["countries/ind.md"]  # no Nepali guide


def test_templates_hold_no_guide_text(dataset: Dataset) -> None:
    templates = "\n".join(p.read_text(encoding="utf-8") for p in TEMPLATES.rglob("*.j2"))
    for _anchor, section in analysis.frontline_sections(dataset.frontline):
        for item in [*getattr(section, "items", []), *getattr(section, "rows", [])]:
            for text in (
                getattr(item, "text", None),
                getattr(item, "trafficking", None),
                getattr(item, "smuggling", None),
            ):
                if text:
                    assert text[:40] not in templates, item.id


# ---------------------------------------------------------------- the PDFs, read back

A6 = (297.64, 419.53)  # points
CODES = [
    "afg",
    "ind",
    "npl",
]  # a country with many neighbours outside the data, the one with most neighbours, an open border


def pdf_text(data: bytes) -> str:
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return re.sub(r"(\w-) (\w)", r"\1\2", text)  # a word broken after its hyphen at a line end


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pockets(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Pocket guides rendered through the batch's own jobs, written to files for poppler."""
    from tiptoolkit.pdf import batch

    folder = tmp_path_factory.mktemp("pockets")
    jobs = {job.iso3: job for job in batch.jobs_for(dataset) if job.kind == "pocket" and job.lang == "en"}
    assert set(jobs) == set(dataset.countries)
    paths = {}
    for code in CODES:
        job = jobs[code]
        assert job.name == f"{code}-pocket-en" and job.paper == "a6"
        path = folder / f"{job.name}.pdf"
        path.write_bytes(batch.layout(batch.job_html(dataset, job), job.paper))
        paths[code] = path
    return paths


@pytest.mark.parametrize("code", CODES)
def test_pocket_guide_is_a6(pockets: dict[str, Path], code: str) -> None:
    import pypdf

    reader = pypdf.PdfReader(pockets[code])
    assert 4 <= len(reader.pages) <= 28
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A6[0]) < 1 and abs(height - A6[1]) < 1, (width, height)


@pytest.mark.parametrize("code", CODES)
def test_pocket_guide_sections_and_real_contacts(dataset: Dataset, pockets: dict[str, Path], code: str) -> None:
    text = pdf_text(pockets[code].read_bytes())
    country = dataset.countries[code]
    guide = analysis.pocket_guide(dataset, country)
    assert country.name in text
    for _anchor, section in analysis.frontline_sections(dataset.frontline):
        assert flat(section.title) in text
        for item in getattr(section, "items", []):
            assert flat(item.title) in text, item.id
    for label in (
        "Whom to call",
        "Steps of the cross-border procedure",
        "What the referral form asks first",
        "Sources",
    ):
        assert label in text
    for contact in guide.contacts:
        assert flat(contact.agency) in text, contact.id
    for neighbour, contacts in guide.neighbours:
        assert f"Across the border: {neighbour.name}" in text
        for contact in contacts:
            assert flat(contact.agency) in text, (neighbour.id, contact.id)
    for missing in guide.missing_neighbours:
        assert missing in text
    others = {c.id for c in dataset.countries.values()} - {code} - {n.id for n, _ in guide.neighbours}
    for other in others:  # only the country's own and its neighbours' agencies
        for contact in dataset.countries[other].contacts:
            if all(contact.agency != c.agency for c in guide.contacts) and all(
                contact.agency != c.agency for _, cs in guide.neighbours for c in cs
            ):
                assert flat(contact.agency) not in text, (other, contact.id)
    for field in guide.essential_fields:
        assert flat(field.label) in text, field.id
    for step in guide.steps:
        assert flat(step.title) in text, step.id


@pytest.mark.parametrize("code", CODES)
def test_pocket_guide_large_type(pockets: dict[str, Path], code: str) -> None:
    """Body text at least 11pt: word boxes from poppler, whose height is 1.362 x the size for Noto Sans."""
    import re
    import statistics
    import subprocess

    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pockets[code]), "-"], capture_output=True, text=True, check=True
    ).stdout
    sizes = [
        (float(m.group(2)) - float(m.group(1))) / 1.362
        for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]
    assert statistics.median(sizes) >= 11
    assert sum(size >= 10.9 for size in sizes) / len(sizes) >= 0.8


@pytest.mark.parametrize("code", CODES)
def test_pocket_guide_is_black_and_white(pockets: dict[str, Path], code: str, tmp_path: Path) -> None:
    """Printable in black and white: every pixel of every page is a grey."""
    import subprocess

    from PIL import Image, ImageChops

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pockets[code]), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages
    for page in pages:
        red, green, blue = Image.open(page).convert("RGB").split()
        for one, other in ((red, green), (green, blue)):
            assert ImageChops.difference(one, other).getextrema()[1] <= 8, page.name


def test_accession_kits_and_pocket_guides_are_cached(
    dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build renders them with the toolkits, and a second build renders nothing."""
    import json

    from tiptoolkit.pdf import batch

    npl = [job for job in batch.jobs_for(dataset) if job.iso3 == "npl"]
    assert {job.kind for job in npl} == {"toolkit", "accession", "pocket"}
    first: list = []
    second: list = []
    cache = tmp_path / "cache"
    selected = [job for job in npl if job.kind != "toolkit"]
    monkeypatch.setattr(batch, "jobs_for", lambda ds, langs=("en",): selected)  # only the short products: quick
    batch.render_all(dataset, tmp_path / "toolkits", jobs=1, cache_dir=cache, report=first)
    manifest = json.loads((tmp_path / "toolkits" / "manifest.json").read_text())
    batch.render_all(dataset, tmp_path / "toolkits", jobs=1, cache_dir=cache, report=second)
    assert set(manifest) == {job.name for job in selected}
    assert all(result.rendered for result in first) and not any(result.rendered for result in second)
    assert manifest["npl-pocket-en"]["path"] == "toolkits/npl-pocket-en.pdf"


# ---------------------------------------------------------------- national languages


@pytest.fixture(scope="module")
def national_pockets(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The pocket guide of every national-language edition, rendered through the batch's own jobs."""
    from tiptoolkit.pdf import batch

    folder = tmp_path_factory.mktemp("national-pockets")
    paths = {}
    for job in batch.jobs_for(dataset):
        if job.kind == "pocket" and job.lang != "en":
            assert job.name == f"{job.iso3}-pocket-{job.lang}" and job.paper == "a6"
            paths[(job.iso3, job.lang)] = folder / f"{job.name}.pdf"
            paths[(job.iso3, job.lang)].write_bytes(batch.layout(batch.job_html(dataset, job), job.paper))
    return paths


def reading_text(path: Path) -> str:
    """What poppler reads: NFKC (Arabic presentation forms), no bidi marks, whitespace collapsed, and no space
    before punctuation (poppler adds one between right-to-left text and a colon or comma). Arabic vowel marks are
    dropped: poppler puts a mark that ends a word before the word, in visual order (shaping is checked by eye)."""
    import subprocess
    import unicodedata

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)
    text = re.sub(r"[\u202a-\u202e\s]+", " ", unicodedata.normalize("NFKC", text.stdout))
    return re.sub(r" ([:,\u060c\u06d4])", r"\1", strip_marks(text))


def strip_marks(text: str) -> str:
    return re.sub(r" ?[\u064b-\u065f\u0670]", "", text)


def test_a_pocket_guide_for_every_national_language_edition(dataset: Dataset, national_pockets) -> None:
    from tiptoolkit.views.edition import editions

    assert set(national_pockets) == set(editions(dataset)) == {("npl", "ne"), ("bgd", "bn"), ("pak", "ur")}


NATIONAL = [("npl", "ne"), ("bgd", "bn"), ("pak", "ur")]


@pytest.mark.parametrize(("iso3", "lang"), NATIONAL)
def test_national_pocket_guide_reads_back_in_its_language_in_order(
    dataset: Dataset, national_pockets, iso3: str, lang: str
) -> None:
    """Every section, item title, procedure step, form field and agency, in the language and in reading order
    (in Urdu, present); none of the English it translates."""
    import unicodedata

    from tiptoolkit.i18n import Translator

    def words(value: str) -> str:
        """The words in the guide's script: poppler reorders Latin runs and their brackets inside Urdu lines."""
        value = strip_marks(unicodedata.normalize("NFKC", value))
        value = "".join(" " if unicodedata.category(c)[0] == "P" else c for c in value)
        return " ".join(word for word in value.split() if not word.isascii())

    translator = Translator(dataset, lang)
    guide = analysis.pocket_guide(dataset, dataset.countries[iso3])
    raw = reading_text(national_pockets[(iso3, lang)])
    text = words(raw)
    expected = [translator.field(guide.country, "name"), translator.field(guide.guide, "title")]
    for _anchor, section in analysis.frontline_sections(guide.guide):
        expected.append(translator.field(section, "title"))
        expected += [translator.field(item, "title") for item in getattr(section, "items", [])]
        expected += [translator.field(row, "aspect") for row in getattr(section, "rows", [])]
    expected.append(translator.string("pocket.call"))
    expected += [translator.field(contact, "agency") for contact in guide.contacts]
    expected += [translator.field(contact, "agency") for _, contacts in guide.neighbours for contact in contacts]
    expected += [translator.field(step, "title") for step in guide.steps]
    expected += [translator.field(field, "label") for field in guide.essential_fields]
    assert not [item.text for item in expected[:20] if item.fallback]  # the guide itself is translated
    position = 0
    for item in expected:
        needle = " ".join(words(item.text).split()[:4])
        if lang == "ur":  # poppler's order of words on a right-to-left line is its own: each word is there
            assert set(needle.split()) <= set(text.split()), item.text
            continue
        found = text.find(needle, position)
        assert found >= 0, f"{item.text!r} not found after {position}: {text[position : position + 200]!r}"
        position = found + len(needle)
    for _anchor, section in analysis.frontline_sections(guide.guide):
        for item in getattr(section, "items", []):
            assert " ".join(item.text[:30].split()) not in raw  # the English it replaces
    assert "unconfirmed" not in raw  # badges too
    assert words(translator.field(guide.contacts[0], "role").text).split()[0] in text


@pytest.mark.parametrize(("iso3", "lang"), NATIONAL)
def test_national_pocket_guide_is_a6_in_the_scripts_own_fonts(national_pockets, iso3: str, lang: str) -> None:
    import subprocess

    import pypdf

    path = national_pockets[(iso3, lang)]
    reader = pypdf.PdfReader(path)
    assert 4 <= len(reader.pages) <= 28
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A6[0]) < 1 and abs(float(page.mediabox.height) - A6[1]) < 1
    assert reader.metadata.title and "Toolkit" not in reader.metadata.title  # titled in its language
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    families = {row[0].split("+", 1)[-1] for row in rows}
    expected = {"ne": "Noto-Sans-Devanagari", "bn": "Noto-Sans-Bengali", "ur": "Noto-Naskh-Arabic"}[lang]
    assert expected in families and all(name.startswith("Noto-") for name in families), families
    assert all(row[-5] == "yes" for row in rows), out  # embedded (subset)


@pytest.mark.parametrize(("iso3", "lang"), NATIONAL)
def test_national_pocket_guide_numbers_pages_in_its_texts_digits_and_direction(
    dataset: Dataset, national_pockets, iso3: str, lang: str
) -> None:
    """One digit system in a document: its page numbers in the Western digits of its dates and counts."""
    from tiptoolkit.pdf import pocket

    html = pocket.pocket_html(dataset, iso3, lang)
    direction = "rtl" if lang == "ur" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in html
    number_side = "left" if lang == "ur" else "right"
    assert f'@bottom-{number_side} {{ content: counter(page) " / " counter(pages)' in html
    assert "target-counter(attr(href), page)" in html and "counter(page," not in html
    text = reading_text(national_pockets[(iso3, lang)])
    assert re.search(r"\b[1-9]\d* / [1-9]\d*\b", text)  # a page number in Western digits
    national = {"ne": "\u0966-\u096f", "bn": "\u09e6-\u09ef", "ur": "\u06f0-\u06f9\u0660-\u0669"}[lang]
    assert not re.search(rf"[{national}] / [{national}]", text)


@pytest.mark.parametrize(("iso3", "lang"), NATIONAL)
def test_national_pocket_guide_draws_no_missing_glyph(dataset: Dataset, iso3: str, lang: str, caplog) -> None:
    import logging

    from tiptoolkit.pdf import pocket

    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pocket.render_pocket(dataset, iso3, lang)
    assert not [r for r in caplog.records if ".notdef" in r.getMessage()]


def test_untranslated_text_in_a_national_guide_is_marked_english(dataset: Dataset) -> None:
    """A neighbour's agency without a Nepali translation stands in English, marked so fonts and readers know."""
    from tiptoolkit.i18n import Translator
    from tiptoolkit.pdf import pocket

    translator = Translator(dataset, "ne")
    guide = analysis.pocket_guide(dataset, dataset.countries["npl"])
    html = pocket.pocket_html(dataset, "npl", "ne")
    for contact in [*guide.contacts, *(c for _, cs in guide.neighbours for c in cs)]:
        role = translator.field(contact, "role")
        if role.fallback:
            assert '<span lang="en" class="tk-en">' in html
        else:
            assert role.text.split()[0] in html
