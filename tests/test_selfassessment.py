"""The self-assessment round trip: a country toolkit's table of provisions not yet assessed is filled in a PDF
library, read back by `tiptoolkit import-assessment`, validated, and shown on the country's page."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tiptoolkit import analysis
from tiptoolkit.dataset import Dataset
from tiptoolkit.model import Confidence, Coverage, SourceKind
from tiptoolkit.pdf.render import render_country
from tiptoolkit.selfassessment import NOTES, Refused, checklist_field_name, field_name, import_assessment, merge
from tiptoolkit.validate import validate

RECEIVED = date(2026, 12, 6)


def _fill(pdf: bytes, values: dict[str, str]) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "no fields to update on this page", for every other page
    writer.update_page_form_field_values(None, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page(dataset: Dataset, country: str) -> str:
    from tiptoolkit.site.pages import Linker, SiteBuilder

    pages = SiteBuilder(dataset, Linker(), {}, now=RECEIVED).build()
    return next(page.markdown for page in pages if page.path == f"countries/{country}.md")


@pytest.mark.slow
def test_round_trip_from_a_filled_toolkit_to_the_site(real_copy: Path, tmp_path: Path) -> None:
    dataset, problems = validate(real_copy)
    assert not problems
    country = dataset.countries["afg"]
    first, second, third = analysis.to_assess(dataset, country)[:3]
    pdf = render_country(dataset, "AFG")
    fields = PdfReader(io.BytesIO(pdf)).get_fields()
    for row in analysis.to_assess(dataset, country):  # every provision not yet assessed has its three fields
        assert {field_name(row.key, part) for part in ("coverage", "citation", "note")} <= set(fields)
    filled = tmp_path / "afg-filled.pdf"
    filled.write_bytes(
        _fill(
            pdf,
            {
                field_name(first.key, "coverage"): "partial",
                field_name(first.key, "citation"): "Example Act 2017, art. 12(2)",
                field_name(first.key, "note"): "Covers adults only; nothing on children.",
                field_name(second.key, "coverage"): "full",
                field_name(second.key, "citation"): "Example Act 2017, art. 3",
                field_name(third.key, "coverage"): "none",  # no national provision named: cannot be imported
                checklist_field_name("identification", "written-guidance"): "partly",
                checklist_field_name("identification", "preliminary-stage"): "no",
                checklist_field_name("identification", NOTES): "No written guidance for labour inspectors.",
                checklist_field_name("shelter", NOTES): "Two shelters, both in the capital.",
            },
        )
    )

    outcome = import_assessment(real_copy, filled, received=RECEIVED)

    assert outcome.country.id == "afg"  # read from the document's title
    assert outcome.imported == sorted([first.key, second.key])
    assert outcome.conflicts == []
    assert outcome.skipped == [f"{third.key}: the national provision is not given"]
    dataset, problems = validate(real_copy)
    assert problems == []
    rows = {row.key: row for row in analysis.coverage(dataset, dataset.countries["afg"])}
    imported = rows[first.key].assessment
    assert (imported.coverage, imported.citation, imported.confidence) == (
        Coverage.PARTIAL,
        "Example Act 2017, art. 12(2)",
        Confidence.LOW,
    )
    assert imported.note == "Covers adults only; nothing on children."
    assert [s.kind for s in imported.sources] == [SourceKind.SELF_ASSESSMENT]
    assert "afg-filled.pdf" in imported.sources[0].title and imported.last_reviewed == RECEIVED
    assert rows[second.key].coverage is Coverage.FULL and rows[third.key].coverage is Coverage.UNKNOWN
    assert len(analysis.to_assess(dataset, dataset.countries["afg"])) == len(analysis.to_assess(dataset, country)) - 2
    assert outcome.checklist == ["vps/identification", "vps/shelter"]
    answers = analysis.checklist_answers(dataset.countries["afg"])
    assert answers["vps/identification"].answers == {"written-guidance": "partly", "preliminary-stage": "no"}
    assert answers["vps/identification"].note == "No written guidance for labour inspectors."
    assert answers["vps/shelter"].answers == {} and answers["vps/shelter"].confidence is Confidence.LOW
    assert [s.kind for s in answers["vps/shelter"].sources] == [SourceKind.SELF_ASSESSMENT]
    again = PdfReader(io.BytesIO(render_country(dataset, "AFG"))).get_fields()  # the next edition comes pre-filled
    assert again[checklist_field_name("identification", "written-guidance")]["/V"] == "partly"
    assert again[checklist_field_name("identification", NOTES)]["/V"] == "No written guidance for labour inspectors."
    assert not again[checklist_field_name("identification", "frontline-training")].get("/V")
    page = _page(dataset, "afg")
    assert "Example Act 2017, art. 12(2)" in page and "Covers adults only; nothing on children." in page
    identification = len(dataset.standards["vps/identification"].checklist)
    assert f"2 of {identification} questions answered (yes 0, partly 1, no 1)" in page
    assert "No written guidance for labour inspectors." in page and "Two shelters, both in the capital." in page
    text = (real_copy / "countries/afg.yaml").read_text(encoding="utf-8")
    assert "&id" not in text and "*id" not in text  # plain YAML an editor can review, no anchors


def test_an_assessed_row_is_never_overwritten() -> None:
    """A disagreement with the data is reported, the data kept; an agreement is silent; unknown rows are filled."""
    rows = [
        {"provision": "tip-model-law/art-7", "coverage": "partial", "confidence": "medium"},
        {"provision": "tip-model-law/art-10", "coverage": "full", "confidence": "low"},
        {"provision": "tip-model-law/art-13", "coverage": "unknown", "note": "Not yet searched."},
    ]
    answers = {
        "tip-model-law/art-7": {"coverage": "full", "citation": "Act, s.1"},
        "tip-model-law/art-10": {"coverage": "full", "citation": "Act, s.2"},
        "tip-model-law/art-13": {"coverage": "none", "citation": "Act", "note": "No offence of obstruction."},
        "tip-model-law/art-99": {"coverage": "full", "citation": "Act, s.9"},
    }

    class Country:
        name = "Testland"

    outcome = merge(rows, answers, Country(), "filled.pdf", RECEIVED)
    assert outcome.imported == ["tip-model-law/art-13"]
    assert outcome.conflicts == [
        "tip-model-law/art-7: the self-assessment says 'full', the data says 'partial' (confidence medium); kept as it is"
    ]
    assert outcome.skipped == ["tip-model-law/art-99: not a model provision of this country's file"]
    assert rows[0]["coverage"] == "partial" and rows[2]["coverage"] == "none"


def test_what_cannot_be_imported_is_refused_in_words(real_copy: Path, tmp_path: Path) -> None:
    not_pdf = tmp_path / "letter.pdf"
    not_pdf.write_text("Dear editors, ...")
    with pytest.raises(Refused, match="not a readable PDF"):
        import_assessment(real_copy, not_pdf)
    blank = tmp_path / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    with blank.open("wb") as out:
        writer.write(out)
    with pytest.raises(Refused, match="no answers found"):
        import_assessment(real_copy, blank)
