"""Validation rules: one test per rule on the minimal fixture, the golden broken fixture, and every real file."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.load import data_files, load_document
from tiptoolkit.validate import RULES, provision_numbering, references_resolve, stale, validate

from .conftest import FIXTURES, TODAY, edit

COUNTRY = "countries/npl.yaml"
LAW = "model_law/test-model-law.yaml"


def messages(root: Path) -> list[str]:
    _, problems = validate(root)
    return [f"{p.file}:{p.line}: {p.field}: {p.message}" for p in problems]


def test_minimal_fixture_is_clean(minimal):
    assert messages(minimal) == []


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # file_name_is_id
        (
            COUNTRY,
            "id: npl",
            "id: ind",
            "countries/npl.yaml:2: id: id 'ind' differs from the file name: rename the file to ind.yaml or fix the id",
        ),
        # file_names_its_schema
        (
            COUNTRY,
            "# yaml-language-server: $schema=../schemas/country.schema.json\n",
            "",
            "countries/npl.yaml:1: : first line must name the schema: # yaml-language-server: $schema=../schemas/country.schema.json",
        ),
        # unique_ids
        (
            "victim_protection/vps.yaml",
            "      - id: open",
            "      - id: funded",
            "victim_protection/vps.yaml:14: standards[0].checklist[1].id: duplicate checklist item id 'funded' (first on line 12): make it unique",
        ),
        # provision_numbering
        (
            LAW,
            "    chapter: offences",
            "    chapter: crimes",
            "model_law/test-model-law.yaml:13: provisions[0].chapter: unknown chapter 'crimes': use one of offences",
        ),
        (
            LAW,
            "  - id: art-1\n    number: 1",
            "  - id: art-1\n    number: 2",
            "model_law/test-model-law.yaml:11: provisions[0].id: id must be 'art-2' to match number 2",
        ),
        # references_resolve
        (
            "action_plan/nap.yaml",
            "              - vps/shelter",
            "              - vps/housing",
            "action_plan/nap.yaml:24: pillars[0].objectives[0].activities[0].serves[1]: 'vps/housing' does not name an article, provision or standard in the content: check the id",
        ),
        (
            "victim_protection/vps.yaml",
            "      - test-protocol/art-2",
            "      - test-protocol/art-99",
            "victim_protection/vps.yaml:19: standards[0].related[0]: 'test-protocol/art-99' does not name an article, provision or standard in the content: check the id",
        ),
        (
            "cooperation/cooperation.yaml",
            "    standards:\n      - vps/shelter",
            "    standards:\n      - vps/nothing",
            "cooperation/cooperation.yaml:20: steps[0].standards[0]: 'vps/nothing' does not name a standard in the content: check the id",
        ),
        (
            COUNTRY,
            "  - provision: test-model-law/art-1",
            "  - provision: test-model-law/art-7",
            "countries/npl.yaml:22: coverage[0].provision: 'test-model-law/art-7' is not a model provision: check the id",
        ),
        (
            COUNTRY,
            "  - instrument: test-protocol",
            "  - instrument: other-protocol",
            "countries/npl.yaml:13: ratifications[0].instrument: no instrument 'other-protocol': did you mean 'test-protocol'?",
        ),
        # iso_codes_exist
        (COUNTRY, "  - CHN", "  - ABC", "countries/npl.yaml:8: neighbours[1]: 'ABC' is not an ISO 3166-1 alpha-3 code"),
        # ratification_consistent
        (
            COUNTRY,
            "    action: ratification\n",
            "",
            "countries/npl.yaml:14: ratifications[0].status: a party needs `action` (ratification, accession, ...)",
        ),
        (
            COUNTRY,
            "    status: party",
            "    status: not-party",
            "countries/npl.yaml:14: ratifications[0].status: status is 'not-party' but a deposit or action is given: set status `party` or remove them",
        ),
        (
            COUNTRY,
            "    signed: 2002-12-12\n",
            "",
            "countries/npl.yaml:13: ratifications[0].signed: ratification follows a signature: give `signed`, or explain in `note`",
        ),
        (
            COUNTRY,
            "    status: party\n    signed: 2002-12-12\n    action: ratification\n    deposited: 2011-12-23\n",
            "    status: signatory\n",
            "countries/npl.yaml:13: ratifications[0].signed: a signatory needs the signature date (`signed`), or a `note` saying it is not known",
        ),
        # checklist_answers_resolve
        (
            COUNTRY,
            "  - standard: vps/shelter\n",
            "  - standard: vps/housing\n",
            "countries/npl.yaml:31: protection_checklist[0].standard: 'vps/housing' is not a victim protection standard: use `vps/<id>`",
        ),
        (
            COUNTRY,
            "      open: no\n",
            "      opened: no\n",
            "countries/npl.yaml:33: protection_checklist[0].answers: 'opened' is not an item of vps/shelter's checklist: use one of funded, open",
        ),
        (
            COUNTRY,
            "    confidence: low\ncontacts:",
            "    confidence: low\n  - standard: vps/shelter\n    last_reviewed: 2026-11-01\n    sources: [{title: T}]\n"
            "contacts:",
            "countries/npl.yaml:41: protection_checklist[1].standard: 'vps/shelter' is answered twice: merge the two records",
        ),
        # coverage_justified
        (
            COUNTRY,
            "    citation: Act 2007, s.3\n",
            "",
            "countries/npl.yaml:22: coverage[0].citation: coverage 'partial' needs the national provision in `citation` (act, year, section and subsection; for `none`, the laws read)",
        ),
        (
            COUNTRY,
            "    note: Covers only some forms of exploitation.\n",
            "",
            "countries/npl.yaml:22: coverage[0].note: coverage 'partial' needs a `note` saying what the national law does and what is missing",
        ),
        (
            COUNTRY,
            "        kind: statute\n",
            "",
            "countries/npl.yaml:27: coverage[0].sources: coverage 'partial' must rest on the text of the law: add the statute you read to `sources` with `kind: statute` (reports about the law may be added as `kind: secondary`)",
        ),
        (
            COUNTRY,
            "        kind: statute\n",
            "        kind: secondary\n",
            "countries/npl.yaml:27: coverage[0].sources: coverage 'partial' must rest on the text of the law: add the statute you read to `sources` with `kind: statute` (reports about the law may be added as `kind: secondary`)",
        ),
        (
            COUNTRY,
            "    coverage: partial\n    citation: Act 2007, s.3\n    note: Covers only some forms of exploitation.\n",
            "    coverage: unknown\n",
            "countries/npl.yaml:22: coverage[0].note: coverage 'unknown' needs a `note` saying what was searched for, and where",
        ),
        (
            COUNTRY,
            "    coverage: partial\n    citation: Act 2007, s.3\n    note: Covers only some forms of exploitation.\n",
            "    coverage: none\n    note: Nothing found.\n",
            "countries/npl.yaml:22: coverage[0].citation: coverage 'none' needs the national provision in `citation` (act, year, section and subsection; for `none`, the laws read)",
        ),
        # mandatory_provisions_assessed
        (
            COUNTRY,
            "coverage:\n  - provision: test-model-law/art-1",
            "coverage_old:\n  - provision: test-model-law/art-1",
            "countries/npl.yaml:21: coverage_old: unknown key 'coverage_old': did you mean 'coverage'?",
        ),
        # mandatory_articles_implemented
        (
            LAW,
            "    mandatory: true",
            "    mandatory: false",
            "instruments/test-protocol.yaml:22: articles[1].obligation: mandatory article test-protocol/art-2 is implemented by no mandatory model provision: add one or list it in `implements`",
        ),
        # dates_possible
        (
            COUNTRY,
            "    deposited: 2011-12-23",
            "    deposited: 2027-01",
            "countries/npl.yaml:17: ratifications[0].deposited: 2027-01 is in the future (today is {today})",
        ),
        (
            COUNTRY,
            "    deposited: 2011-12-23",
            "    deposited: 2002-11",
            "countries/npl.yaml:17: ratifications[0].deposited: deposited (2002-11) is before signed (2002-12-12)",
        ),
        (
            "instruments/test-protocol.yaml",
            "last_reviewed: 2026-11-01",
            "last_reviewed: 2026-12-31",
            "instruments/test-protocol.yaml:29: last_reviewed: 2026-12-31 is in the future (today is {today})",
        ),
    ],
)
def test_each_rule_reports_where_to_fix(minimal, file, old, new, expected):
    """The whole problem: file, line, field and message (what an editor reads, and what the fix must follow)."""
    edit(minimal / file, old, new)
    found = messages(minimal)
    expected = expected.format(today=TODAY)
    message = expected.split(": ", 2)[-1]
    assert [m for m in found if m.endswith(message)] == [expected], found


def test_every_instrument_recorded(minimal):
    """A second instrument appears: the country must say where it stands on it."""
    # every_instrument_recorded
    source = minimal / "instruments/test-protocol.yaml"
    other = (
        source.read_text()
        .replace("id: test-protocol", "id: other-protocol")
        .replace("test-protocol/art-1", "other-protocol/art-1")
    )
    (minimal / "instruments/other-protocol.yaml").write_text(other)
    assert any("countries/npl.yaml" in m and "no record for 'other-protocol'" in m for m in messages(minimal))


def test_missing_assessment_is_reported(minimal):
    # mandatory_provisions_assessed
    text = (minimal / COUNTRY).read_text()
    start = text.index("coverage:")
    end = text.index("contacts:")
    (minimal / COUNTRY).write_text(text[:start] + "coverage: []\n" + text[end:])
    (message,) = [m for m in messages(minimal) if "not assessed" in m]
    assert "1 mandatory provision(s) not assessed: paste these rows under `coverage:`" in message
    block = message.split(":", 3)[3].split("fill them in", 1)[1].split(":", 1)[1]  # the rows, as printed
    assert "  - provision: test-model-law/art-1\n    coverage: unknown\n" in block
    edit(minimal / COUNTRY, "coverage: []\n", "coverage:" + block + "\n")
    assert messages(minimal) == []  # pasted as printed, the rows are valid


def test_editors_mistakes_are_said_in_words(minimal):
    """A misspelt instrument id is one problem with a suggestion (not also a missing record); a code in the wrong
    case says the form expected; an empty file says so once."""
    edit(minimal / COUNTRY, "  - instrument: test-protocol", "  - instrument: test-protocl")
    assert messages(minimal) == [
        "countries/npl.yaml:13: ratifications[0].instrument: no instrument 'test-protocl': did you mean 'test-protocol'?"
    ]
    edit(minimal / COUNTRY, "  - instrument: test-protocl", "  - instrument: test-protocol")
    edit(minimal / COUNTRY, "  - CHN", "  - chn")
    assert messages(minimal) == [
        "countries/npl.yaml:8: neighbours[1]: should be three capital letters, an ISO 3166-1 alpha-3 code, "
        "e.g. `LAO` (got 'chn')"
    ]
    edit(minimal / COUNTRY, "  - chn", "  - CHN")
    (minimal / "glossary.yaml").write_text("# yaml-language-server: $schema=../schemas/glossary.schema.json\n")
    assert messages(minimal) == ["glossary.yaml:1: : the file is empty: start from its template in CONTRIBUTING.md"]


PARAGRAPHS = """    obligation: mandatory
    paragraphs:
      - number: "1"
        obligation: mandatory
        summary: States must make the conduct an offence.
      - number: "2"
        obligation: optional
        summary: States may also punish preparation.
    related:"""


@pytest.mark.parametrize(
    ("implements", "mandatory", "expected"),
    [
        ("test-protocol/art-2(1)", "true", None),
        ("test-protocol/art-2(2)", "false", None),
        ("test-protocol/art-2(2)", "true", "marked mandatory, but nothing it implements binds a State"),
        ("test-protocol/art-2", "true", "marked mandatory, but nothing it implements binds a State"),
        ("test-protocol/art-2(1)", "false", "implements test-protocol/art-2(1), which States must carry out"),
        ("test-protocol/art-2(3)", "true", "'test-protocol/art-2(3)' does not name an article or paragraph"),
    ],
)
def test_mandatory_label_follows_the_paragraphs(minimal, implements, mandatory, expected):
    """A provision is mandatory exactly when it implements a mandatory paragraph, or an article all of whose
    paragraphs are; an article that mixes levels counts only through the paragraph named."""
    # mandatory_label_follows_treaties
    edit(minimal / "instruments/test-protocol.yaml", "    obligation: mandatory\n    related:", PARAGRAPHS)
    edit(minimal / LAW, "      - test-protocol/art-2\n", f'      - "{implements}"\n')
    edit(minimal / LAW, "    mandatory: true", f"    mandatory: {mandatory}")
    found = [m for m in messages(minimal) if m.startswith(LAW)]
    assert (found == []) if expected is None else any(expected in m for m in found), found


def test_regional_conventions_do_not_make_a_provision_mandatory(minimal):
    """Model provisions are written for any State: a regional convention's duty binds its own parties only."""
    # mandatory_label_follows_treaties
    edit(minimal / "instruments/test-protocol.yaml", "kind: protocol", "kind: regional-convention")
    found = messages(minimal)
    assert any(m.startswith(LAW) and "marked mandatory, but nothing it implements binds" in m for m in found), found


def test_checklist_answers_are_yes_partly_or_no(minimal):
    """A bare `no` (a boolean to YAML 1.1) is the answer no; anything else is refused in words."""
    assert messages(minimal) == []  # the fixture answers `open: no`, unquoted
    edit(minimal / COUNTRY, "      open: no\n", "      open: maybe\n")
    (message,) = messages(minimal)
    assert "protection_checklist[0].answers.open" in message and "'yes', 'partly' or 'no'" in message


def test_two_regions_cannot_publish_under_one_older_name(real_copy):
    """Both regions asking for `toolkit-en.pdf`: the second is told which region already has it."""
    # pdf_alias_unique
    other = real_copy / "regions/south-eastern-asia.yaml"
    edit(other, "last_reviewed:", "pdf_alias: toolkit\nlast_reviewed:")
    line = other.read_text(encoding="utf-8").splitlines().index("pdf_alias: toolkit") + 1
    assert messages(real_copy) == [
        f"regions/south-eastern-asia.yaml:{line}: pdf_alias: south-asia already publishes its toolkit as "
        "toolkit-en.pdf: remove one of the two `pdf_alias`"
    ]


def test_every_rule_is_exercised():
    """Every rule has a test that names it in a `# rule_name` comment (keeps the suite honest as rules are added)."""
    source = "\n".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    untested = [rule.__name__ for rule in RULES if f"# {rule.__name__}" not in source]
    assert untested == []


def test_every_rule_is_listed_to_run():
    """A public function of the validator that takes only the dataset is a rule: it must be in RULES to run."""
    import inspect

    from tiptoolkit import validate as module

    rules = [
        function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "__mutmut" not in name  # the copies `make mutation` makes of each function
        and list(inspect.signature(function).parameters) == ["ds"]
    ]
    assert len(rules) > 10 and {f.__name__ for f in rules} == {f.__name__ for f in RULES}


def test_an_id_that_differs_from_the_file_name_is_reported_at_the_id(minimal):
    # file_name_is_id
    country = minimal / COUNTRY
    text = country.read_text(encoding="utf-8")
    line = text[: text.index("\nid: npl\n") + 1].count("\n") + 1
    country.write_text(text.replace("\nid: npl\n", "\nid: ind\n", 1), encoding="utf-8")
    problems = [p for p in validate(minimal)[1] if "differs from the file name" in p.message]
    assert [(p.file, p.line, p.column, p.field) for p in problems] == [(COUNTRY, line, 5, "id")]


def test_a_lost_schema_line_is_reported_at_the_top_with_the_line_to_put_back(minimal):
    # file_names_its_schema
    country = minimal / COUNTRY
    line = "# yaml-language-server: $schema=../schemas/country.schema.json\n"
    country.write_text(country.read_text(encoding="utf-8").replace(line, "", 1), encoding="utf-8")
    problems = [(p.file, p.line, p.column, p.field, p.message) for p in validate(minimal)[1]]
    assert problems == [(COUNTRY, 1, 1, "", f"first line must name the schema: {line.strip()}")]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("glossary.yaml", "glossary"),
        ("action_plan/nap.yaml", "action plan template"),
        ("victim_protection/vps.yaml", "victim protection standards"),
        ("cooperation/cooperation.yaml", "cooperation SOP"),
    ],
)
def test_required_documents(minimal, path: str, name: str):
    # required_documents
    (minimal / path).unlink()
    problems = [(p.file, p.line, p.column, p.field, p.message) for p in validate(minimal)[1] if "missing" in p.message]
    assert problems == [(path, 1, 1, "", f"the {name} is missing: restore {path}")]


def test_stale_lists_old_reviews(minimal):
    dataset, problems = validate(minimal)
    assert not problems
    assert stale(dataset, 60) == []
    old = stale(dataset, 10)
    assert old and all("last reviewed 2026-11-01, 37 days ago" in p.message for p in old)
    assert all(p.field.endswith("last_reviewed") for p in old)


def test_golden_broken_fixture():
    """The deliberately broken dataset yields exactly the expected problems, in order."""
    _, problems = validate(FIXTURES / "broken")
    expected = json.loads((FIXTURES / "broken.expected.json").read_text())
    assert [p.__dict__ for p in problems] == expected


def test_four_mistakes_in_four_files(real_copy):
    """A misspelt key, a wrong type, a dangling reference and a duplicate id: four problems, right files and lines."""
    edit(real_copy / "countries/npl.yaml", "\nofficial_name:", "\nofficial_nmae:")
    edit(real_copy / "instruments/tip-protocol.yaml", "complete: true", "complete: [yes]")
    edit(real_copy / "model_law/som-model-law.yaml", "      - som-protocol/art-6\n", "      - som-protocol/art-99\n")
    vps = real_copy / "victim_protection/vps.yaml"
    edit(vps, "      - id: frontline-training\n", "      - id: written-guidance\n")
    _, problems = validate(real_copy)
    files = sorted(p.file for p in problems)
    assert files == sorted(
        [
            "countries/npl.yaml",
            "instruments/tip-protocol.yaml",
            "model_law/som-model-law.yaml",
            "victim_protection/vps.yaml",
        ]
    ), problems
    lines = {p.file: p.line for p in problems}
    assert lines["countries/npl.yaml"] == _line_of(real_copy / "countries/npl.yaml", "official_nmae:")
    assert lines["instruments/tip-protocol.yaml"] == _line_of(
        real_copy / "instruments/tip-protocol.yaml", "complete: [yes]"
    )
    assert lines["model_law/som-model-law.yaml"] == _line_of(
        real_copy / "model_law/som-model-law.yaml", "som-protocol/art-99"
    )
    assert lines["victim_protection/vps.yaml"] == _line_of(vps, "      - id: written-guidance\n", occurrence=2)


def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    text = path.read_text()
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1 + (1 if needle.startswith("\n") else 0)


def test_cli_exit_codes_and_formats(minimal, tmp_path):
    command = [sys.executable, "-m", "tiptoolkit.cli", "--root", str(minimal), "validate"]
    clean = subprocess.run(command, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    edit(minimal / COUNTRY, "  - CHN", "  - ABC")
    for style, marker in (
        ("text", "data/countries/npl.yaml:"),
        ("github", "::error file=data/countries/npl.yaml,line="),
        ("json", '"file": "countries/npl.yaml"'),
    ):
        result = subprocess.run([*command, "--format", style], capture_output=True, text=True)
        assert result.returncode == 1
        assert marker in result.stdout
        assert "Traceback" not in result.stdout + result.stderr


def test_cli_never_prints_a_traceback_on_garbage(minimal):
    (minimal / "countries/npl.yaml").write_bytes(b"\xff\xfe" + b"\x00garbage: [" * 50)
    (minimal / "glossary.yaml").write_text("- just\n- a list\n")
    result = subprocess.run(
        [sys.executable, "-m", "tiptoolkit.cli", "--root", str(minimal), "validate"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "countries/npl.yaml:1:1: not valid UTF-8" in result.stdout
    assert "glossary.yaml:1:1: the file must be a mapping" in result.stdout


@pytest.mark.parametrize("relative", data_files(DEFAULT_ROOT), ids=lambda p: str(p))
def test_every_real_file_loads_clean(relative):
    document, problems = load_document(DEFAULT_ROOT, relative)
    assert problems == []
    assert document.model.id == relative.stem


def test_real_content_validates_clean(dataset):
    assert dataset.countries and dataset.instruments


def test_schemas_are_fresh(tmp_path):
    from tiptoolkit.schemas import stale_schemas

    assert stale_schemas(DEFAULT_ROOT / "schemas") == [], "run `tiptoolkit schemas` and commit the result"


def test_fixture_schemas_folder_not_needed(minimal):
    shutil.rmtree(minimal / "schemas", ignore_errors=True)
    assert messages(minimal) == []


def test_assessed_counts_only_rows_read_in_the_statute(minimal):
    """ "N of M assessed from the text of the law": a row resting on reports only does not count."""
    from tiptoolkit import analysis

    dataset, _ = validate(minimal)
    assert analysis.assessed(dataset, dataset.countries["npl"]) == analysis.Assessed(from_statute=1, mandatory=1)
    edit(minimal / COUNTRY, "        kind: statute\n", "        kind: secondary\n")
    dataset, _ = validate(minimal)
    assert analysis.assessed(dataset, dataset.countries["npl"]) == analysis.Assessed(from_statute=0, mandatory=1)
    edit(minimal / COUNTRY, "    coverage: partial\n", "    coverage: not-applicable\n")
    dataset, _ = validate(minimal)
    assert analysis.assessed(dataset, dataset.countries["npl"]) == analysis.Assessed(from_statute=0, mandatory=0)


NAP = "action_plan/nap.yaml"
COOPERATION = "cooperation/cooperation.yaml"


@pytest.mark.parametrize(
    ("file", "first", "second", "field", "what"),
    [
        ("instruments/tip-protocol.yaml", "  - number: 1\n", "  - number: 2\n", "articles[1].number", "article number 1"),
        ("instruments/saarc-convention.yaml", "  - id: ask-the-depositary\n", "  - id: review-law\n", "joining_steps[1].id", "joining step id 'ask-the-depositary'"),
        ("model_law/tip-model-law.yaml", "  - id: art-1\n", "  - id: art-2\n", "provisions[1].id", "provision id 'art-1'"),
        ("model_law/som-model-law.yaml", "  - id: definitions\n", "  - id: jurisdiction\n", "chapters[2].id", "chapter id 'definitions'"),
        (
            "model_law/som-model-law.yaml",
            "          - id: a\n            label: \"Option A: offender",
            "          - id: b\n            label: \"Option B: smuggled",
            "provisions[6].option_groups[0].options[1].id",  # the 7th provision of the file
            "option id 'a'",
        ),
        ("victim_protection/vps.yaml", "  - id: identification\n", "  - id: non-punishment\n", "standards[1].id", "standard id 'identification'"),
        ("victim_protection/vps.yaml", "      - id: written-guidance\n", "      - id: frontline-training\n", "standards[0].checklist[1].id", "checklist item id 'written-guidance'"),
        (NAP, "  - id: prevention\n", "  - id: protection\n", "pillars[1].id", "pillar 'prevention'"),
        (NAP, "      - id: obj-1\n", "      - id: obj-2\n", "pillars[0].objectives[1].id", "objective id 'obj-1'"),
        (NAP, "          - id: act-1\n", "          - id: act-2\n", "pillars[0].objectives[0].activities[1].id", "activity id 'act-1'"),
        ("glossary.yaml", "  - id: untoc\n", "  - id: tip-protocol\n", "terms[1].id", "term id 'untoc'"),
        ("glossary.yaml", "    abbreviation: UNTOC\n", "    abbreviation: TIP Protocol\n", "terms[1].abbreviation", "abbreviation 'UNTOC'"),
        (COOPERATION, "  - id: detection-and-immediate-safety\n", "  - id: identification-and-national-referral\n", "steps[1].id", "step id 'detection-and-immediate-safety'"),
        (COOPERATION, "        - id: referring_agency\n", "        - id: case_reference\n", "referral_form.sections[0].fields[1].id", "form field id 'referring_agency'"),
        ("frontline/frontline.yaml", "    - id: deceived\n", "    - id: documents-held\n", "trafficking_indicators.items[1].id", "id 'deceived'"),
        (COUNTRY, "  - instrument: untoc\n", "  - instrument: tip-protocol\n", "ratifications[1].instrument", "ratification record for 'untoc'"),
        (COUNTRY, "  - id: human-trafficking-transportation-control-act-2007\n", "  - id: human-trafficking-transportation-control-regulation-2008\n", "laws[1].id", "law id 'human-trafficking-transportation-control-act-2007'"),
        (COUNTRY, "  - provision: tip-model-law/art-4\n", "  - provision: tip-model-law/art-5\n", "coverage[1].provision", "assessment of 'tip-model-law/art-4'"),
        ("countries/ind.yaml", "  - id: ind-bgd-mou-2015\n", "  - id: ind-bhr-mou-2016\n", "agreements[1].id", "agreement id 'ind-bgd-mou-2015'"),
        (COUNTRY, "  - id: nepal-police-ahtb\n", "  - id: ministry-women-children-senior-citizens\n", "contacts[1].id", "contact id 'nepal-police-ahtb'"),
    ],
)  # fmt: skip
def test_a_duplicate_is_reported_where_it_stands_with_the_line_of_the_first(
    real_copy: Path, file: str, first: str, second: str, field: str, what: str
):
    """The second item is given the first one's key: one problem, at the copy, naming the key and the first's line."""
    # unique_ids
    path = real_copy / file
    text = path.read_text(encoding="utf-8")
    at_first = text.index(first)
    at_second = text.index(second, at_first)  # the next item of the same list
    key_line, _, rest = second.partition("\n")
    made_a_copy = key_line.split(": ")[0] + ": " + first.partition("\n")[0].split(": ", 1)[1] + "\n" + rest
    path.write_text(text[:at_second] + made_a_copy + text[at_second + len(second) :], encoding="utf-8")
    first_line = text[:at_first].count("\n") + 1
    second_line = text[:at_second].count("\n") + 1
    value_column = len(key_line) - len(key_line.lstrip()) + len(key_line.split(":")[0].strip()) + 3  # after "- key: "
    found = [str(p) for p in validate(real_copy)[1] if "duplicate" in p.message]
    assert found == [
        f"{file}:{second_line}:{value_column}: {field}: duplicate {what} (first on line {first_line}): make it unique"
    ]


INSTRUMENT = "instruments/test-protocol.yaml"
NOT_NAMED = "does not name {} in the content: check the id"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (INSTRUMENT, "kind: protocol\n", "kind: protocol\nparent: untoc\n", "7:9: parent: no instrument 'untoc'"),
        (INSTRUMENT, "      - test-protocol/art-1\n", "      - test-protocol/art-9\n", "24:9: articles[1].related[0]: 'test-protocol/art-9' " + NOT_NAMED.format("an article")),
        (
            INSTRUMENT,
            "sources:\n  - title: Test Protocol text\n    issuer",
            "reservations_allowed:\n  - article: test-protocol/art-9\n    summary: A State may declare.\n"
            "sources:\n  - title: Test Protocol text\n    issuer",
            "26:14: reservations_allowed[0].article: 'test-protocol/art-9' does not name an article",
        ),
        (LAW, "      - test-protocol/art-2\n", "      - test-protocol/art-9\n", "18:9: provisions[0].implements[0]: 'test-protocol/art-9' " + NOT_NAMED.format("an article or paragraph")),
        ("victim_protection/vps.yaml", "      - test-protocol/art-2\n", "      - test-protocol/art-9\n", "19:9: standards[0].related[0]: 'test-protocol/art-9' " + NOT_NAMED.format("an article, provision or standard")),
        ("action_plan/nap.yaml", "              - vps/shelter\n", "              - vps/housing\n", "24:17: pillars[0].objectives[0].activities[0].serves[1]: 'vps/housing' " + NOT_NAMED.format("an article, provision or standard")),
        ("cooperation/cooperation.yaml", "legal_basis:\n  - test-protocol/art-2\n", "legal_basis:\n  - test-protocol/art-9\n", "7:5: legal_basis[0]: 'test-protocol/art-9' " + NOT_NAMED.format("an article")),
        ("cooperation/cooperation.yaml", "    legal_basis:\n      - test-protocol/art-2\n", "    legal_basis:\n      - test-protocol/art-9\n", "18:9: steps[0].legal_basis[0]: 'test-protocol/art-9' " + NOT_NAMED.format("an article")),
        ("cooperation/cooperation.yaml", "      - vps/shelter\n", "      - vps/nothing\n", "20:9: steps[0].standards[0]: 'vps/nothing' " + NOT_NAMED.format("a standard")),
        ("glossary.yaml", "    definition: The protocol used in tests.\n", "    definition: The protocol used in tests.\n    see_also:\n      - trafficking\n", "9:9: terms[0].see_also[0]: 'trafficking' " + NOT_NAMED.format("a glossary term")),
        (COUNTRY, "  - instrument: test-protocol\n", "  - instrument: test-protocl\n", "13:17: ratifications[0].instrument: no instrument 'test-protocl': did you mean 'test-protocol'?"),
        (
            COUNTRY,
            "    deposited: 2011-12-23\n",
            "    deposited: 2011-12-23\n    reservations:\n      - article: test-protocol/art-9\n        summary: A declaration.\n",
            "19:18: ratifications[0].reservations[0].article: 'test-protocol/art-9' does not name an article",
        ),
        (COUNTRY, "  - provision: test-model-law/art-1\n", "  - provision: test-model-law/art-7\n", "22:16: coverage[0].provision: 'test-model-law/art-7' is not a model provision: check the id"),
        (COUNTRY, "  - provision: test-model-law/art-1\n", "  - provision: test-protocol/art-2\n", "22:16: coverage[0].provision: 'test-protocol/art-2' is not a model provision: check the id"),
    ],
)  # fmt: skip
def test_each_kind_of_reference_is_checked_where_it_stands(minimal: Path, file: str, old: str, new: str, expected: str):
    """One dangling reference of each kind the validator resolves: exactly one problem, at the reference."""
    # references_resolve
    edit(minimal / file, old, new)
    dataset, _ = validate(minimal)
    assert [str(p) for p in references_resolve(dataset)] == [f"{file}:{expected}"]


@pytest.mark.parametrize("given", ["nothing-like-it", "untoc-2000"])  # the second is close, but not close enough
def test_an_unknown_instrument_is_answered_with_the_instruments_there_are(real_copy: Path, given: str):
    # references_resolve
    edit(real_copy / "countries/npl.yaml", "  - instrument: untoc\n", f"  - instrument: {given}\n")
    dataset, _ = validate(real_copy)
    known = ", ".join(sorted(path.stem for path in (real_copy / "instruments").glob("*.yaml")))
    assert [str(p) for p in references_resolve(dataset)] == [
        f"countries/npl.yaml:46:17: ratifications[0].instrument: no instrument '{given}': use one of {known}"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  related:\n    - tip-protocol/art-3\n    - vps/identification\n",
            "  related:\n    - tip-protocol/art-3\n    - vps/nothing\n",
            "200:7: trafficking_indicators.related[1]: 'vps/nothing' " + NOT_NAMED.format("an article, provision or standard"),
        ),
        (
            "sop_steps:\n  - detection-and-immediate-safety\n  - identification-and-national-referral\n",
            "sop_steps:\n  - detection-and-immediate-safety\n  - detection-and-immediate-safety\n",
            "1012:5: sop_steps[1]: 'detection-and-immediate-safety' is listed twice: remove one",
        ),
        (
            "sop_steps:\n  - detection-and-immediate-safety\n  - identification-and-national-referral\n",
            "sop_steps:\n  - detection-and-immediate-safety\n  - arrest\n",
            "1012:5: sop_steps[1]: 'arrest' is not a step of the cooperation procedure: use one of {steps}",
        ),
    ],
)  # fmt: skip
def test_the_pocket_guide_references_are_checked(real_copy: Path, old: str, new: str, expected: str):
    # references_resolve
    edit(real_copy / "frontline/frontline.yaml", old, new)
    dataset, _ = validate(real_copy)
    cooperation = yaml.safe_load((real_copy / "cooperation/cooperation.yaml").read_text(encoding="utf-8"))
    steps = ", ".join(step["id"] for step in cooperation["steps"])
    assert [str(p) for p in references_resolve(dataset)] == [f"frontline/frontline.yaml:{expected.format(steps=steps)}"]


@pytest.mark.parametrize(
    ("root", "broken", "also"),
    [
        ("minimal", INSTRUMENT, ("cooperation/cooperation.yaml", "legal_basis:\n  - test-protocol/art-2\n", "legal_basis:\n  - test-protocol/art-2/a\n")),
        ("minimal", "victim_protection/vps.yaml", None),
        ("minimal", LAW, None),  # the country's coverage rows name its provisions
        ("real_copy", "instruments/untoc.yaml", None),
    ],
)  # fmt: skip
def test_references_into_a_file_that_failed_to_load_are_not_reported(request, root: str, broken: str, also):
    """The file's own problem is what the editor must fix; every reference into it is left alone until then (a
    reference's file is named before its first slash)."""
    # references_resolve
    folder = request.getfixturevalue(root)
    if also:
        edit(folder / also[0], also[1], also[2])
    (folder / broken).write_text("id: [unclosed\n", encoding="utf-8")
    dataset, problems = validate(folder)
    assert Path(broken).stem in dataset.failed and problems
    assert [str(p) for p in references_resolve(dataset)] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    number: 1\n    chapter: general-provisions\n", "    number: 2\n    chapter: general-provisions\n", "93:9: provisions[0].id: id must be 'art-2' to match number 2"),
        ("    number: 1\n    chapter: general-provisions\n", "    number: 1\n    chapter: crimes\n", "95:14: provisions[0].chapter: unknown chapter 'crimes': use one of {chapters}"),
    ],
)  # fmt: skip
def test_a_provision_out_of_its_numbering_or_chapters_is_reported_at_the_field(real_copy, old, new, expected):
    # provision_numbering
    file = "model_law/tip-model-law.yaml"
    edit(real_copy / file, old, new)
    chapters = yaml.safe_load((real_copy / file).read_text(encoding="utf-8"))["chapters"]
    found = [str(p) for p in provision_numbering(validate(real_copy)[0])]
    assert found == [f"{file}:" + expected.format(chapters=", ".join(sorted(c["id"] for c in chapters)))]


AGREEMENT = """agreements:
  - id: npl-mou
    title: Memorandum of understanding
    kind: mou
    status: in-force
    summary: Referral of cases.
    parties:
      - {first}
      - {second}
    sources:
      - title: MoU text
    last_reviewed: 2026-11-01
contacts:"""


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("NPL", "XYZ", "countries/npl.yaml:49:9: agreements[0].parties[1]: 'XYZ' is not an ISO 3166-1 alpha-3 code"),
        ("IND", "CHN", "countries/npl.yaml:48:7: agreements[0].parties: the country itself (NPL) must be one of the parties"),
    ],
)  # fmt: skip
def test_an_agreements_parties_are_real_codes_and_include_the_country(minimal: Path, first, second, expected):
    # iso_codes_exist
    edit(minimal / COUNTRY, "contacts:", AGREEMENT.format(first=first, second=second))
    assert [str(p) for p in validate(minimal)[1] if "ISO" in p.message or "parties" in p.message] == [expected]


def test_a_country_whose_code_is_not_iso_is_reported_at_its_id(minimal: Path):
    # iso_codes_exist
    text = (minimal / COUNTRY).read_text(encoding="utf-8").replace("id: npl\n", "id: xxx\n", 1)
    (minimal / COUNTRY).unlink()
    (minimal / "countries/xxx.yaml").write_text(text, encoding="utf-8")
    found = [str(p) for p in validate(minimal)[1] if "ISO" in p.message]
    assert found == ["countries/xxx.yaml:2:5: id: 'xxx' is not an ISO 3166-1 alpha-3 code"]
