"""Expectations computed in the test from the raw YAML (PyYAML, no model, no `analysis`), so that a bug in the code
under test cannot also write the answer it is checked against; and the cache fingerprints, which must change with
what a PDF is made from."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tiptoolkit import analysis
from tiptoolkit.dataset import DEFAULT_ROOT, Dataset
from tiptoolkit.model import Pillar
from tiptoolkit.pdf import batch
from tiptoolkit.validate import validate

from .conftest import edit

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


# ---------------------------------------------------------------- priorities, on a country written for them

PROVISION = """  - id: art-{n}
    number: {n}
    chapter: offences
    title: Title {n}
    text: ({n}) A State provision.
    commentary: For the ranking.
    implements:
      - test-protocol/art-{article}
    mandatory: {mandatory}
    pillar: {pillar}
    sources:
      - title: Test Protocol text
    last_reviewed: 2026-11-01
"""
ROW = """  - provision: test-model-law/art-{n}
    coverage: {coverage}
    citation: Act 2007, s.{n}
    note: Read for the ranking.
    sources:
      - title: Act 2007
        kind: statute
    last_reviewed: 2026-11-01
"""
UNKNOWN = """  - provision: test-model-law/art-{n}
    coverage: unknown
    note: Not yet searched.
    last_reviewed: 2026-11-01
"""
# number: pillar, mandatory, the country's coverage. Art. 1 (prosecution, mandatory, partial)
# is the fixture's own.
PROVISIONS = {
    2: ("protection", True, "none"),
    3: ("prevention", True, "partial"),
    4: ("prosecution", False, "none"),
    5: ("prosecution", True, "none"),
    6: ("partnership", True, "unknown"),
    7: ("monitoring", True, "none"),
    8: ("coordination", True, "none"),
    9: ("partnership", True, "none"),
    10: ("prosecution", True, "full"),
}


def ranked_country(minimal: Path, record: str = "", plan: str = "") -> tuple[Dataset, object]:
    law, country = minimal / "model_law/test-model-law.yaml", minimal / "countries/npl.yaml"
    provisions = "".join(
        PROVISION.format(n=n, article=2 if mandatory else 1, mandatory=str(mandatory).lower(), pillar=pillar)
        for n, (pillar, mandatory, _) in PROVISIONS.items()
    )
    edit(law, "sources:\n  - title: Test Protocol text\nlast_reviewed", provisions + "sources:\n  - title: Test Protocol text\nlast_reviewed")  # fmt: skip
    rows = "".join(
        UNKNOWN.format(n=n) if coverage == "unknown" else ROW.format(n=n, coverage=coverage)
        for n, (_, _, coverage) in PROVISIONS.items()
    )
    edit(country, "protection_checklist:", rows + plan + "protection_checklist:")
    if record:
        edit(
            country,
            "    status: party\n    signed: 2002-12-12\n    action: ratification\n    deposited: 2011-12-23\n",
            record,
        )
    assert validate(minimal)[1] == []
    return validate_minimal(minimal)


def test_gaps_are_ranked_mandatory_first_then_by_pillar_then_none_before_partial(minimal: Path):
    """Prosecution, protection, prevention, partnership, coordination, monitoring; within a pillar a provision with
    no coverage comes before one covered in part; recommended provisions last; full and unassessed rows are no gaps."""
    dataset, country = ranked_country(minimal)
    ranked = [row.provision.number for row in analysis.ranked_gaps(dataset, country)]
    assert ranked == [5, 1, 2, 3, 9, 8, 7, 4]


def test_next_steps_say_what_to_decide_first_with_the_countrys_own_figures(minimal: Path):
    signed = "    status: signatory\n    signed: 2002-12-12\n"
    dataset, country = ranked_country(minimal, record=signed)
    assert [(s.topic, s.title, s.detail) for s in analysis.next_steps(dataset, country)] == [
        (
            "gaps",
            "Amend the law to close 7 gaps in mandatory provisions",
            "Start with Test model law art. 5 (Title 5); Test model law art. 1 (The offence); Test model law art. 2 (Title 2).",
        ),
        (
            "accession/test-protocol",
            "Ratify the Test Protocol",
            "Signed (12 Dec 2002). The accession kit sets out the steps, the declarations allowed and the laws needed first.",
        ),
        ("action-plan", "Adopt a national action plan that addresses the gaps", "No plan is recorded."),
        (
            "self-assessment",
            "Assess the 1 mandatory provisions not yet assessed",
            "Record the national provision and how far it goes in the self-assessment table, and send it back.",
        ),
    ]  # fmt: skip
    assert [s.topic for s in analysis.next_steps(dataset, country, limit=2)] == ["gaps", "accession/test-protocol"]


PLAN = """action_plans:
  - title: {title}
    start: 2011
    end: 2021
    status: {status}
    sources:
      - title: Plan text
    last_reviewed: 2026-11-01
"""


@pytest.mark.parametrize(
    ("status", "plan_step"),
    [
        ("expired", ("action-plan", "Adopt a national action plan that addresses the gaps", "The last plan recorded, First plan, is expired.")),
        ("in-force", None),
    ],
)  # fmt: skip
def test_next_steps_follow_the_record_and_the_plan(minimal: Path, status: str, plan_step):
    """Not party and never signed: accede. A plan in force: no plan step; an expired one is named."""
    not_party = "    status: not-party\n"
    plan = PLAN.format(title="First plan", status=status)
    dataset, country = ranked_country(minimal, record=not_party, plan=plan)
    steps = [(s.topic, s.title, s.detail) for s in analysis.next_steps(dataset, country)]
    assert steps[1] == (
        "accession/test-protocol",
        "Accede to the Test Protocol",
        "Not yet party. The accession kit sets out the steps, the declarations allowed and the laws needed first.",
    )
    assert [step for step in steps if step[0] == "action-plan"] == ([plan_step] if plan_step else [])


def test_counts_and_review_dates_of_the_country_written_for_them(minimal: Path):
    dataset, country = ranked_country(minimal, plan=PLAN.format(title="First plan", status="expired").replace("2026-11-01", "2026-11-20"))  # fmt: skip
    rows = analysis.coverage(dataset, country)
    mandatory = {"partial": 2, "none": 5, "unknown": 1, "full": 1}  # arts. 1 and 3; 2, 5, 7, 8 and 9; 6; 10
    assert {level.value: n for level, n in analysis.coverage_counts(rows).items()} == mandatory
    assert {level.value: n for level, n in analysis.coverage_counts(rows, mandatory_only=False).items()} == {**mandatory, "none": 6}  # fmt: skip
    assert analysis.newest_reviewed(country) == date(2026, 11, 20)  # the plan
    assert analysis.last_reviewed(country) == date(2026, 11, 1)
    assert analysis.newest_reviewed() is None and analysis.last_reviewed() is None


# ---------------------------------------------------------------- labels, dates and the treaty timeline


def test_article_labels_follow_the_instruments_own_numbering(dataset: Dataset):
    """Regional conventions number their articles in Roman numerals (SAARC's Article VIII); the UN instruments in
    Arabic ones; past the numerals we list, Arabic again rather than a wrong numeral."""
    untoc, saarc = dataset.instruments["untoc"], dataset.instruments["saarc-convention"]
    assert raw(DEFAULT_ROOT / "instruments/saarc-convention.yaml")["kind"] == "regional-convention"
    numbered = untoc.articles[0].model_copy
    assert analysis.article_label(untoc, numbered(update={"number": 9})) == "Article 9"
    assert analysis.article_label(saarc, numbered(update={"number": 9})) == "Article IX"
    assert analysis.article_label(saarc, numbered(update={"number": 15})) == "Article XV"
    assert analysis.article_label(saarc, numbered(update={"number": 16})) == "Article 16"


def test_article_references_are_labelled_only_when_they_resolve(dataset: Dataset):
    som = raw(DEFAULT_ROOT / "instruments/som-protocol.yaml")
    article = next(a for a in som["articles"] if a.get("paragraphs"))
    n, paragraph = article["number"], article["paragraphs"][0]["number"]
    label = f"{som['abbreviation']}, Article {n}"
    assert analysis.article_ref_label(dataset, f"som-protocol/art-{n}") == label
    assert analysis.article_ref_label(dataset, f"som-protocol/art-{n}({paragraph})") == f"{label}({paragraph})"
    assert analysis.article_ref_label(dataset, f"som-protocol/art-{n}(99)") is None  # no such paragraph
    assert analysis.article_ref_label(dataset, "som-protocol/art-99") is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [(None, ""), ("2014", "2014"), ("2014-08", "Aug 2014"), ("2014-08-04", "4 Aug 2014"), ("2014-12-31", "31 Dec 2014"), ("2014-01", "Jan 2014")],
)  # fmt: skip
def test_dates_are_written_as_precisely_as_they_are_known(value, shown):
    assert analysis.format_date(value) == shown
    if value and value.count("-") == 2:
        assert analysis.format_date(date.fromisoformat(value)) == shown


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_treaty_timeline_lists_each_signature_and_deposit_in_date_order(dataset: Dataset, iso3: str):
    expected = []
    for record in raw(DEFAULT_ROOT / "countries" / f"{iso3}.yaml").get("ratifications", []):
        low = record.get("confidence") == "low"
        if record.get("signed"):
            expected.append((str(record["signed"]), record["instrument"], "signature", low))
        if record.get("deposited") and record.get("action"):
            expected.append((str(record["deposited"]), record["instrument"], record["action"], low))
    found = [(str(e.date), e.instrument.id, e.what, e.uncertain) for e in analysis.timeline(dataset, dataset.countries[iso3])]  # fmt: skip
    assert found == sorted(expected)


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_the_coverage_table_shows_mandatory_rows_and_assessed_recommended_ones(dataset: Dataset, iso3: str):
    coverage = raw_coverage(iso3)
    shown = [
        k for k, mandatory in raw_mandatory().items() if mandatory or coverage.get(k) in ("full", "partial", "none")
    ]
    table = analysis.coverage_table(dataset, dataset.countries[iso3])
    assert sorted(row.key for row in table) == sorted(shown)


def test_the_coverage_table_of_the_country_written_for_it(minimal: Path):
    """Art. 4 is recommended and assessed: shown, like every mandatory one, assessed or not."""
    dataset, country = ranked_country(minimal)
    assert [row.provision.number for row in analysis.coverage_table(dataset, country)] == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
    ]


def test_answered_checklists_keep_their_standard(dataset: Dataset):
    for country in dataset.countries.values():
        answered = analysis.answered_checklist(dataset, country)
        records = raw(DEFAULT_ROOT / "countries" / f"{country.id}.yaml").get("protection_checklist", [])
        keys = [key for key in dataset.standards if key in {record["standard"] for record in records}]
        assert [a.standard for a in answered] == [dataset.standards[key] for key in keys]
        assert [a.record.standard for a in answered] == keys


def test_gaps_and_provisions_left_to_assess_per_pillar(minimal: Path):
    assert analysis.gaps_by_pillar(*validate_minimal(minimal)) == {Pillar.PROSECUTION: (1, 0)}  # only pillars it has
    dataset, country = ranked_country(minimal)
    assert analysis.gaps_by_pillar(dataset, country) == {
        Pillar.PREVENTION: (1, 0),  # art. 3
        Pillar.PROTECTION: (1, 0),  # art. 2
        Pillar.PROSECUTION: (3, 0),  # arts. 1, 4 (recommended) and 5; art. 10 is fully covered
        Pillar.PARTNERSHIP: (1, 1),  # art. 9; art. 6 not yet assessed
        Pillar.COORDINATION: (1, 0),  # art. 8
        Pillar.MONITORING: (1, 0),  # art. 7
    }


def validate_minimal(minimal: Path) -> tuple[Dataset, object]:
    dataset, _ = validate(minimal)
    return dataset, dataset.countries["npl"]


def test_the_provisions_implementing_an_article(minimal: Path):
    dataset, _ = ranked_country(minimal)
    assert [key for key, _ in analysis.implementing(dataset, "test-protocol/art-1")] == ["test-model-law/art-4"]
    assert [key for key, _ in analysis.implementing(dataset, "test-protocol/art-2")] == [
        f"test-model-law/art-{n}" for n in (1, 2, 3, 5, 6, 7, 8, 9, 10)
    ]


def plans(*given: tuple[str, int | None, int | None, str]) -> str:
    lines = ["action_plans:\n"]
    for title, start, end, status in given:
        lines.append(f"  - title: {title}\n    status: {status}\n")
        lines += [f"    {key}: {year}\n" for key, year in (("start", start), ("end", end)) if year]
        lines.append("    sources:\n      - title: Plan text\n    last_reviewed: 2026-11-01\n")
    return "".join(lines)


PLANS = [("A", 2011, 2021, "expired"), ("B", None, None, "unknown"), ("C", 2015, None, "draft"), ("D", None, 2019, "expired"), ("F", 2016, 2021, "expired"), ("E", 2015, 2020, "expired")]  # fmt: skip


def test_plans_are_listed_newest_first_by_start_or_else_end(minimal: Path):
    _, country = ranked_country(minimal, plan=plans(*PLANS))
    assert [plan.title for plan in analysis.plans_newest_first(country)] == ["D", "F", "E", "C", "A", "B"]


@pytest.mark.parametrize(
    ("given", "current"),
    [
        (PLANS, "F"),  # none in force: the one that ended last (F and A both end in 2021; F started later)
        ([*PLANS[:2], ("G", 2012, 2016, "in-force"), *PLANS[2:]], "G"),  # in force, whatever its dates
        ([], None),
    ],
)
def test_the_current_plan_is_the_one_in_force_else_the_latest(minimal: Path, given, current):
    _, country = ranked_country(minimal, plan=plans(*given) if given else "")
    plan = analysis.current_plan(country)
    assert (plan.title if plan else None) == current


@pytest.mark.parametrize("iso3", COUNTRIES)
def test_agreements_are_those_naming_the_country_once_each_by_date(dataset: Dataset, iso3: str):
    """Recorded in the country's file or in a partner's; an agreement recorded in both is listed once."""
    found = {}
    for path in sorted((DEFAULT_ROOT / "countries").glob("*.yaml")):
        for agreement in raw(path).get("agreements", []):
            if iso3.upper() in agreement["parties"]:
                found.setdefault(agreement["id"], agreement)
    expected = sorted(found.values(), key=lambda a: (str(a.get("signed") or ""), a["id"]))
    assert [a.id for a in analysis.agreements(dataset, dataset.countries[iso3])] == [a["id"] for a in expected]


def test_the_real_agreements_include_one_a_partner_records(dataset: Dataset):
    """So that the case above reaches an agreement found in another country's file."""
    assert any(
        analysis.agreements(dataset, country) != [a for a in country.agreements if country.id.upper() in a.parties]
        for country in dataset.countries.values()
    )


@pytest.mark.parametrize("missing", ["frontline/frontline.yaml", "cooperation/cooperation.yaml"])
def test_without_the_guide_or_the_procedure_there_are_no_frontline_steps(real_copy: Path, missing: str):
    (real_copy / missing).unlink()
    dataset, _ = validate(real_copy)
    assert analysis.frontline_steps(dataset) == []
    assert analysis.pocket_guide(dataset, dataset.countries["npl"]) is None
    essential = analysis.essential_fields(dataset)
    assert (essential == []) is (missing == "cooperation/cooperation.yaml")


def test_instruments_are_ordered_convention_protocols_regional_whatever_their_dates(dataset: Dataset):
    """The order readers expect (UNTOC, its Protocols, then regional conventions), not the order of entry into force,
    even were a Protocol or a regional convention older than the Convention."""
    moved = {"untoc": "2010-01", "tip-protocol": "2003-12", "som-protocol": "2004-01", "saarc-convention": "2002-01"}
    instruments = {key: dataset.instruments[key].model_copy(update={"entry_into_force": when}) for key, when in moved.items()}  # fmt: skip
    ordered = analysis.instruments_in_order(SimpleNamespace(instruments=instruments))
    assert [i.id for i in ordered] == ["untoc", "tip-protocol", "som-protocol", "saarc-convention"]


def test_a_kit_is_for_its_country_and_names_the_convention_it_needs(dataset: Dataset):
    for country in dataset.countries.values():
        for kit in analysis.accession_kits(dataset, country):
            assert kit.country is country and kit.cell.country is country
            parent = raw(DEFAULT_ROOT / "instruments" / f"{kit.instrument.id}.yaml").get("parent")
            assert (kit.precondition.instrument.id if kit.precondition else None) == parent


def test_frontline_sections_are_anchored_by_the_names_readers_link_to(dataset: Dataset):
    anchors = [anchor for anchor, _ in analysis.frontline_sections(dataset.frontline)]
    assert anchors == ["trafficking-indicators", "smuggling-indicators", "differences", "first-steps", "never", "child-safeguards"]  # fmt: skip


def test_file_stems_of_the_kits_and_guides(dataset: Dataset):
    npl, som = dataset.countries["npl"], dataset.instruments["som-protocol"]
    assert analysis.pocket_stem(npl) == "npl-pocket-en" and analysis.pocket_stem(npl, "ne") == "npl-pocket-ne"
    assert analysis.accession_stem(npl, som) == "npl-accession-som-protocol-en"
    assert analysis.accession_stem(npl, som, "ne") == "npl-accession-som-protocol-ne"


def test_sources_are_every_distinct_source_cited_inside(minimal: Path):
    """The country file cites "Status page" twice (its own list and a treaty record's): listed once."""
    _, country = validate_minimal(minimal)
    titles = [source.title for source in analysis.sources(country)]
    assert sorted(titles) == ["Act 2007", "Agency site", "Self-assessment returned in the Nepal toolkit", "Status page"]
    assert titles[0] == "Status page"  # the country's own list comes first


def test_a_treaty_with_no_record_is_said_so_and_left_out_of_the_timeline(dataset: Dataset):
    """Without a record for UNTOC (the first instrument), the cell says so and the timeline goes on to the others."""
    npl = dataset.countries["npl"]
    without = npl.model_copy(update={"ratifications": [r for r in npl.ratifications if r.instrument != "untoc"]})
    cell = analysis.ratification(without, dataset.instruments["untoc"])
    assert (cell.record, cell.status.value, cell.label, cell.joined) == (None, "unknown", "No record", False)
    events = [(e.instrument.id, e.what) for e in analysis.timeline(dataset, without)]
    assert events and "untoc" not in {instrument for instrument, _ in events}
    assert set(events) == {(e.instrument.id, e.what) for e in analysis.timeline(dataset, npl)} - {
        ("untoc", what) for what in ("signature", "ratification", "accession")
    }


def test_provisions_are_listed_trafficking_law_first_in_each_laws_order(dataset: Dataset):
    laws = sorted((raw(path) for path in (DEFAULT_ROOT / "model_law").glob("*.yaml")), key=lambda law: law["id"] != "tip-model-law")  # fmt: skip
    expected = [f"{law['id']}/{p['id']}" for law in laws for p in law["provisions"]]
    assert [key for key, _, _ in analysis.all_provisions(dataset)] == expected


def test_an_answered_checklist_keeps_its_standard_and_answers(minimal: Path):
    dataset, country = validate_minimal(minimal)
    [answered] = analysis.answered_checklist(dataset, country)
    assert answered.standard is dataset.standards["vps/shelter"]
    assert answered.record.answers == {"funded": "partly", "open": "no"} and answered.counts == (0, 1, 1)


def test_signed_but_not_party_is_asked_to_ratify(minimal: Path):
    record = "    status: not-party\n    signed: 2002-12-12\n"
    dataset, country = ranked_country(minimal, record=record)
    [step] = [s for s in analysis.next_steps(dataset, country) if s.topic.startswith("accession/")]
    assert step.title == "Ratify the Test Protocol"


def test_a_pocket_guide_holds_its_country_the_guide_and_the_form(dataset: Dataset):
    for country in dataset.countries.values():
        guide = analysis.pocket_guide(dataset, country)
        assert guide.country is country and guide.guide is dataset.frontline
        assert guide.form is dataset.cooperation.referral_form


def test_the_glossary_sources_are_its_own_and_each_terms_once_each(dataset: Dataset):
    glossary = raw(DEFAULT_ROOT / "glossary.yaml")
    cited = [*glossary.get("sources", []), *(term["source"] for term in glossary["terms"] if term.get("source"))]
    distinct = {(s["title"], s.get("url"), s.get("locator")) for s in cited}
    found = analysis.sources(dataset.glossary)
    assert {(s.title, s.url, s.locator) for s in found} == distinct and len(found) == len(distinct) > 2


def test_next_steps_are_five_at_most(dataset: Dataset):
    """With no treaty record, Nepal would have an accession step per instrument besides its gaps and its plan."""
    npl = dataset.countries["npl"]
    unrecorded = npl.model_copy(update={"ratifications": []})
    assert len(analysis.next_steps(dataset, unrecorded, limit=10)) > 5
    assert len(analysis.next_steps(dataset, unrecorded)) == 5
