"""The working files (#21), opened by the libraries that read them: the draft amendment bill and the referral form
(python-docx), the action plan matrix (openpyxl). Expectations come from the raw YAML where they can, so a bug
in `views.drafts` cannot also write the answer; LibreOffice converts each kind to PDF."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from tiptoolkit.dataset import DEFAULT_ROOT, Dataset
from tiptoolkit.office import batch
from tiptoolkit.office.bill import bill_docx
from tiptoolkit.office.form import referral_docx
from tiptoolkit.office.matrix import COLUMNS, matrix_xlsx
from tiptoolkit.validate import validate
from tiptoolkit.views.drafts import bill_view, clauses, plan_matrix, referral_view

from .conftest import edit
from .test_expectations import COUNTRIES, GAP, raw, raw_coverage

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def raw_laws() -> list[dict]:
    """The model laws as their files say, trafficking first (the order of the bill's parts)."""
    return sorted((raw(path) for path in (DEFAULT_ROOT / "model_law").glob("*.yaml")), key=lambda law: law["id"])[::-1]


def expected_sections(iso3: str) -> list[tuple[str, dict]]:
    """(full id, provision) of the country's gaps in bill order: law, chapter, mandatory first, number."""
    rows = raw_coverage(iso3)
    found = []
    for law in raw_laws():
        chapters = [chapter["id"] for chapter in law["chapters"]]
        provisions = [p for p in law["provisions"] if rows.get(f"{law['id']}/{p['id']}") in GAP]
        provisions.sort(key=lambda p: (chapters.index(p["chapter"]), not p["mandatory"], p["number"]))
        found += [(f"{law['id']}/{p['id']}", p) for p in provisions]
    return found


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def bills(dataset: Dataset) -> dict[str, bytes]:
    return {iso3: bill_docx(bill_view(dataset, iso3)) for iso3 in COUNTRIES if expected_sections(iso3)}


def test_every_country_with_a_gap_gets_a_bill(dataset: Dataset):
    names = {job.name for job in batch.draft_jobs(dataset)}
    with_gaps = {iso3 for iso3 in COUNTRIES if expected_sections(iso3)}
    assert with_gaps, "the real content has gaps"
    assert {name.split("-")[0] for name in names if "amendment-bill" in name} == with_gaps


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_bill_s_sections_are_the_country_s_gaps_in_the_model_law_s_order(bills: dict[str, bytes], iso3: str):
    if iso3 not in bills:
        pytest.skip(f"{iso3} has no assessed gap")
    document = open_docx(bills[iso3])
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    expected = [f"Section {n}. {p['title']}" for n, (_key, p) in enumerate(expected_sections(iso3), start=1)]
    assert headings == expected
    parts = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert parts[0] == "Cover note" and parts[-1] == "Placeholders to fill in"


def comments_by_heading(document) -> dict[str, str]:
    """Heading 3 text -> the text of the comment anchored on it."""
    comments = {comment.comment_id: comment.text for comment in document.comments}
    anchored = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 3":
            starts = paragraph._p.findall(qn("w:commentRangeStart"))
            assert len(starts) == 1, f"{paragraph.text}: one comment"
            anchored[paragraph.text] = comments[int(starts[0].get(qn("w:id")))]
    return anchored


def test_each_section_carries_its_commentary_and_the_national_provision_as_a_comment(bills: dict[str, bytes]):
    iso3 = "npl"
    country = {row["provision"]: row for row in raw(DEFAULT_ROOT / "countries" / f"{iso3}.yaml")["coverage"]}
    anchored = comments_by_heading(open_docx(bills[iso3]))
    for number, (key, provision) in enumerate(expected_sections(iso3), start=1):
        comment = anchored[f"Section {number}. {provision['title']}"]
        assert " ".join(provision["commentary"].split())[:60] in comment
        if country[key].get("citation"):
            assert country[key]["citation"] in comment
    body = "\n".join(p.text for p in open_docx(bills[iso3]).paragraphs)
    first = expected_sections(iso3)[0][1]
    assert " ".join(first["commentary"].split())[:60] not in body, "commentary goes in comments, not the text"


def test_options_are_each_shown_and_marked_for_choice(bills: dict[str, bytes]):
    iso3 = max(bills, key=lambda code: sum(bool(p.get("option_groups")) for _k, p in expected_sections(code)))
    text = [p.text for p in open_docx(bills[iso3]).paragraphs]
    groups = [group for _key, p in expected_sections(iso3) for group in p.get("option_groups", [])]
    assert groups
    for group in groups:
        assert any(line.endswith(f": {group['title']}") and line.startswith("Choose") for line in text), group["id"]
        for option in group["options"]:
            assert f"☐ {option['label']}" in text


def test_placeholders_are_styled_and_listed_at_the_end(bills: dict[str, bytes]):
    document = open_docx(bills["npl"])
    styled = {run.text for p in document.paragraphs for run in p.runs if run.style.name == "Placeholder"}
    listed = [row.cells[0].text for row in document.tables[-1].rows[1:]]
    in_text = set()
    for _key, provision in expected_sections("npl"):
        texts = [provision["text"]] + [o["text"] for g in provision.get("option_groups", []) for o in g["options"]]
        for text in texts:
            in_text |= set(re.findall(r"\[[^\[\]]*\]", text))  # innermost brackets: each is inside a listed one
    assert in_text and styled == set(listed) and len(listed) == len(set(listed))
    for inner in in_text:
        assert any(inner in outer for outer in listed), inner


def test_clauses_use_the_list_styles_by_level(bills: dict[str, bytes]):
    document = open_docx(bills["npl"])
    by_style = {}
    for paragraph in document.paragraphs:
        label = re.match(r"^\(([0-9A-Za-z]+)\)\t", paragraph.text)
        if label:
            by_style.setdefault(paragraph.style.name, set()).add(label.group(1))
    assert {"1", "2"} <= by_style["List"] and {"a", "b"} <= by_style["List 2"] and {"i", "ii"} <= by_style["List 3"]
    assert not by_style["List 2"] & {"ii", "iii", "iv"}


def test_roman_and_letter_labels_are_told_apart():
    text = "(h) exploitation includes:\n\n(i) first;\n\n(ii) second\n\n(i) a letter after (h)?"
    assert [(c.level, c.label) for c in clauses(text)] == [(2, "(h)"), (3, "(i)"), (3, "(ii)"), (2, "(i)")]


def test_same_input_same_bytes_and_the_edition_as_the_date(dataset: Dataset, bills: dict[str, bytes]):
    view = bill_view(dataset, "npl")
    assert bill_docx(view) == bills["npl"]
    assert matrix_xlsx(plan_matrix(dataset, "npl")) == matrix_xlsx(plan_matrix(dataset, "npl"))
    assert referral_docx(referral_view(dataset)) == referral_docx(referral_view(dataset))
    properties = open_docx(bills["npl"]).core_properties
    assert properties.created.date() == view.edition == properties.modified.date()


# ---------------------------------------------------------------- the action plan matrix


def raw_plan() -> dict:
    return raw(DEFAULT_ROOT / "action_plan" / "nap.yaml")


def open_xlsx(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_matrix_has_an_overview_and_a_sheet_per_pillar_with_a_row_per_activity(dataset: Dataset):
    workbook = open_xlsx(matrix_xlsx(plan_matrix(dataset, None)))
    pillars = raw_plan()["pillars"]
    visible = [sheet.title for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    assert visible == ["Overview"] + [pillar["title"] for pillar in pillars]
    for pillar in pillars:
        sheet = workbook[pillar["title"]]
        activities = [a for objective in pillar["objectives"] for a in objective["activities"]]
        assert [cell.value for cell in sheet[1]] == [heading for heading, _w, _v in COLUMNS]
        assert [sheet.cell(row, 2).value for row in range(2, sheet.max_row + 1)] == [
            f"{a['id']}: {a['title']}" for a in activities
        ]
        assert sheet.freeze_panes == "C2" and sheet.auto_filter.ref == f"A1:L{len(activities) + 1}"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"


def test_lead_and_status_are_drop_down_lists(dataset: Dataset):
    workbook = open_xlsx(matrix_xlsx(plan_matrix(dataset, "npl")))
    sheet = workbook[raw_plan()["pillars"][0]["title"]]
    validations = {v.formula1: v for v in sheet.data_validations.dataValidation}
    assert set(validations) == {"Leads", "Statuses"}
    assert str(validations["Statuses"].sqref).startswith("J2:") and str(validations["Leads"].sqref).startswith("E2:")
    assert validations["Statuses"].showErrorMessage and not validations["Leads"].showErrorMessage
    lists = workbook["Lists"]
    statuses = [cell.value for cell in lists["B"][1:] if cell.value]
    assert statuses == ["Not started", "In progress", "Completed", "Delayed", "Dropped"]
    assert workbook.defined_names["Statuses"].attr_text == f"'Lists'!$B$2:$B${len(statuses) + 1}"
    leads = {cell.value for cell in lists["A"][1:] if cell.value}
    body = raw(DEFAULT_ROOT / "countries" / "npl.yaml")["coordination_body"]["name"]
    assert body in leads and "[Ministry responsible for justice]" in leads


def test_a_country_s_matrix_suggests_its_body_and_marks_priorities_from_its_gaps(dataset: Dataset):
    body = raw(DEFAULT_ROOT / "countries" / "npl.yaml")["coordination_body"]["name"]
    workbook = open_xlsx(matrix_xlsx(plan_matrix(dataset, "npl")))
    template = {
        f"{a['id']}: {a['title']}": a for p in raw_plan()["pillars"] for o in p["objectives"] for a in o["activities"]
    }
    gaps = {key for key, value in raw_coverage("npl").items() if value in GAP}
    priorities = 0
    for sheet in (sheet for sheet in workbook.worksheets if sheet.title not in ("Overview", "Lists")):
        for row in sheet.iter_rows(min_row=2, values_only=True):
            activity = template[row[1]]
            secretariat = activity["lead"] == "National coordination committee secretariat"
            assert row[4] == (body if secretariat else activity["lead"])
            if row[10]:
                priorities += 1
                for label in re.findall(r"(TIP|SOM) model law art\. (\d+)", row[10]):
                    assert f"{label[0].lower()}-model-law/art-{label[1]}" in gaps
    assert priorities
    blank = open_xlsx(matrix_xlsx(plan_matrix(dataset, None)))
    pillars = [sheet for sheet in blank.worksheets if sheet.title not in ("Overview", "Lists")]
    assert not any(row[10] for sheet in pillars for row in sheet.iter_rows(min_row=2, values_only=True))


def test_content_that_looks_like_a_formula_stays_text(dataset: Dataset):
    view = plan_matrix(dataset, "npl")
    sheet = view.sheets[0]
    row = dataclasses.replace(sheet.rows[0], activity='=HYPERLINK("http://example.org","x")')
    view = dataclasses.replace(view, sheets=(dataclasses.replace(sheet, rows=(row, *sheet.rows[1:])), *view.sheets[1:]))
    cell = open_xlsx(matrix_xlsx(view))[sheet.title]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_overview_counts_by_status_with_formulas(dataset: Dataset):
    overview = open_xlsx(matrix_xlsx(plan_matrix(dataset, "npl")))["Overview"]
    formulas = [cell.value for row in overview.iter_rows() for cell in row if str(cell.value).startswith("=COUNTIF")]
    assert any('"Completed")' in formula for formula in formulas)


# ---------------------------------------------------------------- the referral form


def test_every_field_of_the_referral_form_is_a_content_control(dataset: Dataset):
    document = open_docx(referral_docx(referral_view(dataset)))
    assert document.paragraphs[0].text == "Cross-border referral notice"
    controls = {}
    for sdt in document.element.body.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        controls[properties.find(qn("w:tag")).get(qn("w:val"))] = properties
    form = raw(DEFAULT_ROOT / "cooperation" / "cooperation.yaml")["referral_form"]
    fields = [field for section in form["sections"] for field in section["fields"]]
    assert list(controls) == [field["id"] for field in fields]
    for field in fields:
        properties = controls[field["id"]]
        kind = field["type"]
        if kind == "choice":
            items = properties.find(qn("w:dropDownList")).findall(qn("w:listItem"))
            assert [item.get(qn("w:value")) for item in items] == field["choices"]
        elif kind == "date":
            assert properties.find(qn("w:date")) is not None
        elif kind == "checkbox":
            assert properties.find(f"{W14}checkbox") is not None
        else:
            text = properties.find(qn("w:text"))
            assert text is not None and (text.get(qn("w:multiLine")) == "1") == (kind == "multiline")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings == [section["title"] for section in form["sections"]]


def referral_tags(document) -> list[str]:
    return [
        sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) for sdt in document.element.body.iter(qn("w:sdt"))
    ]


@pytest.mark.parametrize(("lang", "word_lang", "rtl"), [("ne", "ne-NP", False), ("ur", "ur-PK", True)])
def test_a_national_form_is_in_its_language_and_says_it_awaits_review(dataset: Dataset, lang, word_lang, rtl):
    form = raw(DEFAULT_ROOT / "cooperation" / "cooperation.yaml")["referral_form"]
    document = open_docx(referral_docx(referral_view(dataset, lang)))
    assert document.paragraphs[0].text == form["translations"][lang]["title"]
    review = raw(DEFAULT_ROOT / "i18n" / f"{lang}.yaml")["strings"]["pdf.review_note"]["text"]
    assert review in [p.text for p in document.paragraphs[:4]]
    first = form["sections"][0]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == first["translations"][lang]["title"]
    normal = document.styles["Normal"].element
    assert normal.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:bidi")) == word_lang
    assert (normal.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None) == rtl
    assert all((table._tbl.tblPr.find(qn("w:bidiVisual")) is not None) == rtl for table in document.tables)
    english = open_docx(referral_docx(referral_view(dataset)))
    assert referral_tags(document) == referral_tags(english), "the same field names in every language"
    runs = [run for table in document.tables for run in table.rows[0].cells[0].paragraphs[0].runs]
    assert (runs[0]._r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None) == rtl


# ---------------------------------------------------------------- LibreOffice, the cache, the build


def libreoffice_convert(profile: Path, to: str, out_dir: Path, files: list[Path]) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by `make test` (scripts/install-system-deps.sh test)"
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", to]
    subprocess.run([*command, "--outdir", str(out_dir), *map(str, files)], check=True, capture_output=True, timeout=300)


@pytest.mark.slow
def test_libreoffice_converts_each_kind_of_file_to_pdf(dataset: Dataset, tmp_path: Path):
    files = {
        "npl-amendment-bill-en.docx": bill_docx(bill_view(dataset, "npl")),
        "npl-action-plan-en.xlsx": matrix_xlsx(plan_matrix(dataset, "npl")),
        "referral-form-en.docx": referral_docx(referral_view(dataset)),
        "referral-form-ur.docx": referral_docx(referral_view(dataset, "ur")),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    profile = tmp_path / "profile"  # its own LibreOffice profile: nothing shared with another run
    libreoffice_convert(profile, "pdf", tmp_path, [tmp_path / name for name in files])
    from pypdf import PdfReader

    expected = {
        "npl-amendment-bill-en": "Placeholders to fill in",
        "npl-action-plan-en": "National action plan matrix: Nepal",
        "referral-form-en": "Cross-border referral",
        "referral-form-ur": "YYYY-MM-DD",
    }
    for stem, text in expected.items():
        reader = PdfReader(tmp_path / f"{stem}.pdf")
        assert len(reader.pages) > 1
        assert text in " ".join(" ".join(page.extract_text().split()) for page in reader.pages), stem
    # The drop-down lists as LibreOffice understood them: saved again by Calc, they are still there.
    again = tmp_path / "again"
    libreoffice_convert(profile, "xlsx", again, [tmp_path / "npl-action-plan-en.xlsx"])
    sheet = openpyxl.load_workbook(again / "npl-action-plan-en.xlsx")[raw_plan()["pillars"][0]["title"]]
    kept = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert kept.get("E2") and kept.get("J2"), kept


def test_files_are_made_again_only_when_what_they_show_changes(real_copy: Path, tmp_path: Path, capsys):
    cache = tmp_path / "cache"
    ds, problems = validate(real_copy)
    assert not problems
    _manifest, first = batch.render_drafts(ds, tmp_path / "one", cache)
    assert all(result.made for result in first)
    _manifest, second = batch.render_drafts(ds, tmp_path / "two", cache)
    assert not any(result.made for result in second)
    assert (tmp_path / "one" / "npl-amendment-bill-en.docx").read_bytes() == (
        tmp_path / "two" / "npl-amendment-bill-en.docx"
    ).read_bytes()

    edit(real_copy / "countries" / "npl.yaml", "coverage: partial", "coverage: none")
    ds, problems = validate(real_copy)
    assert not problems
    _manifest, third = batch.render_drafts(ds, tmp_path / "three", cache)
    assert {result.name for result in third if result.made} == {"npl-amendment-bill-en.docx"}  # still a gap

    edit(real_copy / "countries" / "npl.yaml", "National Committee for Controlling", "National Committee on")
    ds, problems = validate(real_copy)
    assert not problems
    _manifest, fourth = batch.render_drafts(ds, tmp_path / "four", cache)
    assert {result.name for result in fourth if result.made} == {"npl-action-plan-en.xlsx"}  # the suggested lead


def test_a_damaged_cached_file_is_made_again_and_said_once(dataset: Dataset, tmp_path: Path, capsys):
    cache = tmp_path / "cache"
    _manifest, results = batch.render_drafts(dataset, tmp_path / "one", cache)
    bill = next(result for result in results if result.name == "npl-amendment-bill-en.docx")
    cached = cache / f"{bill.key}.docx"
    cached.write_bytes(cached.read_bytes()[:2048])
    capsys.readouterr()
    manifest, again = batch.render_drafts(dataset, tmp_path / "two", cache)
    assert [result.name for result in again if result.made] == ["npl-amendment-bill-en.docx"]
    assert capsys.readouterr().err.count("damaged") == 1
    assert (tmp_path / "two" / "npl-amendment-bill-en.docx").read_bytes() == (
        tmp_path / "one" / "npl-amendment-bill-en.docx"
    ).read_bytes()
    assert '"two/npl-amendment-bill-en.docx"' in manifest.read_text()


@pytest.mark.slow
def test_the_site_offers_the_files_where_they_are_used(site: Path):
    country = (site / "countries" / "npl" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../drafts/npl-amendment-bill-en.docx"' in country
    assert 'href="../../drafts/npl-action-plan-en.xlsx"' in country
    plan = (site / "action-plan" / "index.html").read_text(encoding="utf-8")
    assert 'href="../drafts/action-plan-template-en.xlsx"' in plan and "(Excel," in plan
    form = (site / "cooperation" / "referral-form" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../drafts/referral-form-en.docx"' in form and "(Word," in form
    for name in ("npl-amendment-bill-en.docx", "action-plan-template-en.xlsx", "referral-form-en.docx"):
        assert (site / "drafts" / name).stat().st_size > 10_000
