"""Expectations computed in the test from the raw YAML (PyYAML, no model, no `analysis`), so that a bug in the code
under test cannot also write the answer it is checked against; and the cache fingerprints, which must change with
what a PDF is made from."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT, Dataset
from tiptoolkit.pdf import batch

GAP = ("none", "partial")


def raw(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text)


def raw_mandatory(root: Path = DEFAULT_ROOT) -> dict[str, bool]:
    """Full provision id -> `mandatory`, as the model law files say."""
    found = {}
    for path in sorted((root / "model_law").glob("*.yaml")):
        law = raw(path)
        for provision in law["provisions"]:
            found[f"{law['id']}/{provision['id']}"] = provision["mandatory"]
    return found


def raw_coverage(iso3: str, root: Path = DEFAULT_ROOT) -> dict[str, str]:
    """Full provision id -> coverage, as the country file says (provisions it does not list are absent)."""
    return {row["provision"]: row["coverage"] for row in raw(root / "countries" / f"{iso3}.yaml")["coverage"]}


COUNTRIES = sorted(path.stem for path in (DEFAULT_ROOT / "countries").glob("*.yaml"))


def test_the_real_content_has_every_kind_of_row():
    """The expectations below mean something only if some country has each coverage value."""
    kinds = {value for iso3 in COUNTRIES for value in raw_coverage(iso3).values()}
    assert {"full", "partial", "none", "unknown"} <= kinds


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_gaps_are_the_none_and_partial_rows(dataset: Dataset, iso3: str):
    expected = {key for key, value in raw_coverage(iso3).items() if value in GAP}
    assert {row.key for row in analysis.gaps(dataset, dataset.countries[iso3])} == expected


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_what_is_left_to_assess_is_the_unknown_mandatory_rows(dataset: Dataset, iso3: str):
    mandatory, rows = raw_mandatory(), raw_coverage(iso3)
    expected = {key for key, needed in mandatory.items() if needed and rows.get(key, "unknown") == "unknown"}
    assert {row.key for row in analysis.to_assess(dataset, dataset.countries[iso3])} == expected


@pytest.mark.parametrize("iso3", ["npl", "bgd", "mdv"])
def test_country_page_counts_each_coverage_of_the_mandatory_provisions(dataset: Dataset, iso3: str):
    """The page's sentence "N of M mandatory model provisions assessed as fully covered...; P partly; ..."."""
    from tiptoolkit.site.pages import Linker, SiteBuilder

    mandatory, rows = raw_mandatory(), raw_coverage(iso3)
    values = [rows.get(key, "unknown") for key, needed in mandatory.items() if needed]
    values = [value for value in values if value != "not-applicable"]  # counted among those that apply
    full, partial, none = (values.count(value) for value in ("full", "partial", "none"))
    assert partial, "a country with partly covered provisions shows that `partial` is not counted as covered"
    pages = SiteBuilder(dataset, Linker(), {}).build()
    page = next(page.markdown for page in pages if page.path == f"countries/{iso3}.md")
    sentence = (
        f"<strong>{full} of {len(values)}</strong> mandatory model provisions assessed as fully covered by national "
        f"law; {partial} partly; {none} not covered; {values.count('unknown')} not yet assessed."
    )
    assert sentence in page


# ---------------------------------------------------------------- cache fingerprints


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package and its assets that the fingerprints read instead of the real ones."""
    package = Path(batch.__file__).resolve().parent.parent
    copy = tmp_path / "tiptoolkit"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(batch, "PACKAGE", copy)
    monkeypatch.setattr(batch, "ASSETS", copy / "pdf" / "assets")
    batch.environment_fingerprint.cache_clear()
    yield copy
    batch.environment_fingerprint.cache_clear()


@pytest.mark.parametrize(
    ("relative", "changes_the_environment"),
    [
        ("pdf/templates/toolkit.html.j2", False),  # shapes the HTML: in the inputs, and so in every HTML key
        ("pdf/layout.py", True),  # the layout code: shapes the PDF without changing its HTML
        ("pdf/jinja.py", False),  # package code that writes HTML
        ("views/toolkit.py", False),
        ("pdf/assets/toolkit.css", True),  # shapes the PDF without changing its HTML: in every cache key
    ],
)
def test_cache_fingerprints_change_with_what_a_pdf_is_made_from(
    dataset: Dataset, package_copy: Path, relative: str, changes_the_environment: bool
):
    before_inputs, before_key = batch.inputs_fingerprint(dataset), batch.cache_key("<p>same</p>", "a4")
    path = package_copy / relative
    path.write_bytes(path.read_bytes() + b"\n")
    batch.environment_fingerprint.cache_clear()
    assert batch.inputs_fingerprint(dataset) != before_inputs  # the plan's keys are not reused
    assert (batch.cache_key("<p>same</p>", "a4") != before_key) is changes_the_environment


def test_cache_key_changes_with_the_html_and_the_paper():
    keys = {batch.cache_key(html, paper) for html in ("<p>a</p>", "<p>b</p>") for paper in ("a4", "letter")}
    assert len(keys) == 4
    assert re.fullmatch(r"[0-9a-f]{64}", batch.cache_key("<p>a</p>", "a4"))
