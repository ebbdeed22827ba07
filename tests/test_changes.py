"""The change report's wording (`tiptoolkit diff`), checked against values written out here or read from the raw YAML,
never from the report's own code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tiptoolkit.changes import (
    Change,
    Labeller,
    Report,
    content_changes,
    country_facts,
    diff_values,
    download_keys,
    markdown,
)
from tiptoolkit.dataset import DEFAULT_ROOT
from tiptoolkit.validate import validate

from .conftest import edit
from .test_expectations import raw

WORDS = [f"w{i}" for i in range(100)]  # 399 characters: too long to show whole, so a rewrite shows its edits


def rewritten(old: list[str], new: list[str]) -> str:
    [(where, what)] = diff_values({"text": " ".join(old)}, {"text": " ".join(new)}, Labeller())
    assert where == ""
    return what


def replaced(words: list[str], changes: dict[int, str]) -> list[str]:
    return [changes.get(i, word) for i, word in enumerate(words)]


def test_a_rewrite_shows_each_edit_with_two_words_either_side():
    assert rewritten(WORDS, replaced(WORDS, {10: "x10", 30: "x30", 50: "x50"})) == (
        "text rewritten (100 → 100 words): "
        "`w8 w9 w10 w11 w12` → `w8 w9 x10 w11 w12`; "
        "`w28 w29 w30 w31 w32` → `w28 w29 x30 w31 w32`; "
        "`w48 w49 w50 w51 w52` → `w48 w49 x50 w51 w52`"
    )


def test_a_rewrite_shows_three_edits_and_counts_the_rest():
    assert rewritten(WORDS, replaced(WORDS, {10: "x10", 30: "x30", 50: "x50", 70: "x70", 90: "x90"})) == (
        "text rewritten (100 → 100 words): "
        "`w8 w9 w10 w11 w12` → `w8 w9 x10 w11 w12`; "
        "`w28 w29 w30 w31 w32` → `w28 w29 x30 w31 w32`; "
        "`w48 w49 w50 w51 w52` → `w48 w49 x50 w51 w52` and 2 more edit(s)"
    )


def test_a_rewrite_counts_words_and_keeps_backticks_out_of_its_code_spans():
    old = WORDS[:50]
    new = [*old[:20], "`s.", "3`", *old[21:], "w50"]
    assert rewritten(old, new) == (
        "text rewritten (50 → 52 words): `w18 w19 w20 w21 w22` → `w18 w19 's. 3' w21 w22`; `w48 w49` → `w48 w49 w50`"
    )


def test_a_long_edit_is_cut_to_80_characters_and_one_of_80_is_shown_whole():
    cut = rewritten(WORDS, replaced(WORDS, {i: f"x{i}" for i in range(40, 61)}))  # 25 words of context each side
    before, after = cut.split(": ", 1)[1].split(" → ")
    assert before == "`" + " ".join(WORDS[38:63])[:79] + "…`" and len(before) == 82
    assert after.startswith("`w38 w39 x40 x41") and after.endswith("…`") and len(after) == 82
    # 16 words of 4 characters and their 15 spaces, plus 1: exactly 80 characters, shown whole
    words = [f"a{i:03}" for i in range(60)]
    changed = replaced(words, {i: f"b{i:03}" for i in range(20, 32)})
    whole = " ".join(words[18:34]) + "x"
    assert len(whole) == 80
    words[33] += "x"
    changed[33] += "x"
    shown = rewritten(words, changed).split(": ", 1)[1]
    assert shown.split(" → ")[0] == f"`{whole}`"


def test_a_rewrite_of_a_text_that_repeats_its_words_shows_only_the_word_changed():
    """Every word of this text is frequent: difflib's "popular words" heuristic would see one long replacement."""
    old = ("the State shall " * 80).split()
    new = replaced(old, {121: "must"})
    assert (
        rewritten(old, new)
        == "text rewritten (240 → 240 words): `shall the State shall the` → `shall the must shall the`"
    )


def facts_from_the_yaml(country: dict, abbreviations: dict[str, str]) -> list[tuple[str, str]]:
    """What a reviewer of a new country file is shown, written out from the YAML: treaty records, laws, coverage
    counts, plans, the coordination body and contacts."""
    expected = []
    for record in country.get("ratifications", []):
        dates = [f"{label} `{record[key]}`" for key, label in (("signed", "signed"), ("deposited", "deposited"), ("in_force", "in force")) if record.get(key)]  # fmt: skip
        status = {"party": "party", "not-party": "not party", "signatory": "signatory", "unknown": "unknown"}[
            record["status"]
        ]
        label = f"{abbreviations[record['instrument']]} {record.get('action') or 'record'}"
        expected.append((label, ", ".join([status, *dates])))
    spaced = {"in-force": "in force", "not-enacted": "not enacted"}
    for law in country.get("laws", []):
        expected.append((f"law “{law['title']}”", f"{law['kind']} of {law['year']}, {spaced.get(law['status'], law['status'])}"))  # fmt: skip
    levels: dict[str, int] = {}
    for row in country.get("coverage", []):
        levels[row["coverage"]] = levels.get(row["coverage"], 0) + 1
    if levels:
        expected.append(("coverage", ", ".join(f"{levels[level]} {level}" for level in sorted(levels))))
    for plan in country.get("action_plans", []):
        years = "–".join(str(plan[key]) for key in ("start", "end") if plan.get(key))
        status = spaced.get(plan["status"], plan["status"])
        expected.append((f"action plan “{plan['title']}”", f"{years}, {status}" if years else status))
    if country.get("coordination_body"):
        expected.append(("coordination body", f"`{country['coordination_body']['name']}`"))
    expected += [(f"contact {contact['agency']}", contact["role"]) for contact in country.get("contacts", [])]
    return expected


@pytest.mark.parametrize("code", sorted(path.stem for path in (DEFAULT_ROOT / "countries").glob("*.yaml")))
def test_a_country_added_is_shown_fact_by_fact(dataset, code: str):
    abbreviations = {path.stem: raw(path)["abbreviation"] for path in (DEFAULT_ROOT / "instruments").glob("*.yaml")}
    country = raw(DEFAULT_ROOT / "countries" / f"{code}.yaml")
    assert list(country_facts(dataset.countries[code], Labeller(dataset))) == facts_from_the_yaml(
        country, abbreviations
    )


def test_the_real_countries_show_every_kind_of_fact(dataset):
    """So that the case above reaches each branch: a plan with no years, words joined by hyphens in a status."""
    plans = [plan for country in dataset.countries.values() for plan in country.action_plans]
    assert any(not plan.start and not plan.end for plan in plans) and any(plan.start and plan.end for plan in plans)
    assert any(law.status == "in-force" for country in dataset.countries.values() for law in country.laws)
    assert all(country.coordination_body for country in dataset.countries.values())


@pytest.mark.parametrize(
    ("file", "title"),
    [
        ("countries/npl.yaml", "Nepal"),  # a country by its name
        ("instruments/test-protocol.yaml", "Test Protocol"),  # an instrument by its short title
        ("model_law/test-model-law.yaml", "Test model law"),
        ("victim_protection/vps.yaml", "Victim protection standards"),  # by its title
        ("glossary.yaml", "glossary"),  # no title: by its id
    ],
)
def test_a_file_added_or_removed_is_named_as_readers_know_it(minimal: Path, tmp_path: Path, file: str, title: str):
    with_it, _ = validate(minimal)
    (minimal / file).unlink()
    without_it, _ = validate(minimal)
    assert [change.what for change in content_changes(with_it, without_it)] == [f"removed ({title})"]
    added = content_changes(without_it, with_it)
    assert added[0].what == f"added ({title})"  # a country added is followed by its facts (tested above)


def test_a_working_file_is_to_be_rebuilt_when_what_it_shows_changes(minimal: Path):
    """The amendment bill shows the national provision of each gap; the blank action plan template shows none."""
    (minimal / "i18n").mkdir()
    shutil.copy2(DEFAULT_ROOT / "i18n" / "en.yaml", minimal / "i18n" / "en.yaml")  # the PDFs' interface strings
    before = download_keys(validate(minimal)[0])
    edit(minimal / "countries/npl.yaml", "    citation: Act 2007, s.3\n", "    citation: Act 2007, s.4\n")
    after = download_keys(validate(minimal)[0])
    drafts = {path for path in before if path.startswith("drafts/")}
    assert {"drafts/npl-amendment-bill-en.docx", "drafts/action-plan-template-en.xlsx"} <= drafts
    assert {path for path in drafts if before[path] != after[path]} == {"drafts/npl-amendment-bill-en.docx"}


# fmt: off
ITEM_LABELS = [
    ("ratifications", {"instrument": "tip-protocol", "action": "accession"}, "TIP Protocol accession"),
    ("ratifications", {"instrument": "no-such-treaty"}, "no-such-treaty record"),
    ("coverage", {"provision": "som-model-law/art-1"}, "coverage of SOM model law art. 1"),
    ("coverage", {"provision": "no-such-law/art-1"}, "coverage of no-such-law/art-1"),
    ("articles", {"number": 6, "title": "Assistance"}, "Article 6 (Assistance)"),
    ("provisions", {"number": "8", "title": "Offence"}, "art. 8 (Offence)"),
    ("paragraphs", {"number": 2}, "paragraph 2"),
    ("sources", {"title": "A report"}, "source “A report”"),
    ("contacts", {"agency": "Border police"}, "contact Border police"),
    ("terms", {"term": "victim"}, "term “victim”"),
    ("joining_steps", {"title": "Deposit"}, "joining step “Deposit”"),
    ("objectives", {"id": "o-1"}, "objective o-1"),
    ("activities", {"id": "act-1"}, "activity act-1"),
    ("checklist", {"id": "c-1"}, "checklist c-1"),
    ("steps", {"id": "s-1"}, "step s-1"),
    ("principles", {"id": "p-1"}, "principle p-1"),
    ("options", {"id": "a"}, "option a"),
    ("option_groups", {"id": "g-1"}, "option group g-1"),
    # Any other list: its first non-empty name, in this order, else its place.
    ("laws", {"title": "Act", "agency": "x", "name": "x", "term": "x", "label": "x", "id": "x"}, "Act"),
    ("laws", {"title": "", "agency": "Ministry", "name": "x", "id": "x"}, "Ministry"),
    ("laws", {"name": "Name", "term": "x", "label": "x", "id": "x"}, "Name"),
    ("laws", {"term": "Term", "label": "x", "id": "x"}, "Term"),
    ("laws", {"label": "Label", "id": "x"}, "Label"),
    ("laws", {"id": "law-1"}, "law-1"),
    ("laws", {"note": "no name"}, "laws #3"),
]
# fmt: on


@pytest.mark.parametrize(("field", "item", "label"), ITEM_LABELS)
def test_each_kind_of_list_item_is_named_as_readers_know_it(dataset, field, item, label):
    assert Labeller(dataset).item(field, item, 2) == label


ONE_CHANGE = [Change("countries", "NPL", "TIP Protocol ratification", "deposited `2020-06` → `2020-06-16`")]


@pytest.mark.parametrize(
    ("outputs", "expected"),
    [
        (  # the pages could not be compared: said once, with the reason, and the downloads that may be rebuilt
            {"unknown": "the base does not build", "downloads": ["toolkits/npl-en.pdf", "toolkits/x-en.pdf new"]},
            "### Pages and files that will change\n\n- Any page may change: the base does not build.\n\n"
            "### Downloads that may be rebuilt (2)\n\n- `toolkits/npl-en.pdf`\n- `toolkits/x-en.pdf` new\n",
        ),
        (
            {"unknown": "the base does not build"},
            "### Pages and files that will change\n\n- Any page may change: the base does not build.\n",
        ),
        (  # nothing changes outside the data: every list says so
            {},
            "### Pages that will change (0)\n\n- none\n\n### Downloads that will be rebuilt (0)\n\n- none\n\n"
            "### Open data files that will change (0)\n\n- none\n\n"
            "Also rebuilt: the offline copy (`downloads/offline-site.zip`).\n",
        ),
        (  # everything: each list counted, the pages that only show a new size apart, the copies named
            {
                "pages": ["https://x.org/countries/npl/", "https://x.org/ne/countries/npl/"],
                "sized_pages": ["https://x.org/open-data/"],
                "downloads": ["toolkits/npl-en.pdf"],
                "data": ["data/countries/npl.json removed"],
            },
            "### Pages that will change (2)\n\n- https://x.org/countries/npl/\n- https://x.org/ne/countries/npl/\n\n"
            "Pages that also show a rebuilt file's new size or page count (1):\n\n- https://x.org/open-data/\n\n"
            "### Downloads that will be rebuilt (1)\n\n- `toolkits/npl-en.pdf`\n\n"
            "### Open data files that will change (1)\n\n- `data/countries/npl.json` removed\n\n"
            "Also rebuilt: each language edition's copy of these open data files, the search index of each edition "
            "with a changed page, the offline copy (`downloads/offline-site.zip`).\n",
        ),
        (  # a page that only shows a new size still changes the search index
            {"sized_pages": ["https://x.org/open-data/"]},
            "### Pages that will change (0)\n\n- none\n\n"
            "Pages that also show a rebuilt file's new size or page count (1):\n\n- https://x.org/open-data/\n\n"
            "### Downloads that will be rebuilt (0)\n\n- none\n\n### Open data files that will change (0)\n\n- none\n\n"
            "Also rebuilt: the search index of each edition with a changed page, the offline copy "
            "(`downloads/offline-site.zip`).\n",
        ),
    ],
)
def test_the_report_ends_with_exactly_the_pages_and_files_that_change(outputs, expected):
    """What a reviewer reads below the changes, written out in full for each shape of report."""
    text = markdown(Report("main", ONE_CHANGE, **outputs))
    head = "## Content changes since `main`\n\n1 change(s) in 1 item(s).\n\n### Countries\n\n"
    assert text == head + f"- {ONE_CHANGE[0]}\n\n" + expected


def test_the_report_says_problems_first_and_when_nothing_changed():
    text = markdown(Report("v1", problems=2))
    assert text == (
        "## Content changes since `v1`\n\n"
        "> **2 validation problem(s)**: see the annotations on the files, or run `tiptoolkit validate`. Files that do "
        "not load are left out below.\n\n"
        "No content change: the data files mean the same as before.\n"
    )


def test_a_kind_of_document_without_a_heading_is_listed_under_its_folder():
    changes = [*ONE_CHANGE, Change("atlas", "Maps", "", "file added")]
    text = markdown(Report("main", changes))
    assert "2 change(s) in 2 item(s).\n\n### Countries\n\n" in text
    assert "\n### atlas\n\n- Maps: file added\n\n### Pages that will change (0)" in text


def test_a_report_too_long_for_a_comment_is_cut_at_a_line_and_says_so(monkeypatch):
    import tiptoolkit.changes as changes

    many = [Change("countries", f"C{n:05}", "law", "x" * 150) for n in range(600)]
    monkeypatch.setattr(changes, "MAX_COMMENT", 10**9)
    whole = markdown(Report("main", many))
    monkeypatch.undo()
    cut = markdown(Report("main", many))
    assert len(whole) > changes.MAX_COMMENT >= len(cut)
    kept = whole[: whole.rfind("\n", 0, changes.MAX_COMMENT - 200)]
    assert cut == kept + "\n\n… (report cut to fit a comment: run `tiptoolkit diff` for all of it)\n"


def test_list_items_are_matched_by_key_or_by_place_and_named_where_they_sit():
    """Items keyed by id are matched by id (a reorder is said once); items with no key, or with a key used twice
    (a validation problem), by their place; every line says where it sits, outermost first."""
    labels = Labeller()
    old = {"action_plans": [{"id": "p1", "title": "First"}, {"id": "p2", "title": "Second"}]}
    new = {"action_plans": [{"id": "p2", "title": "Second"}, {"id": "p1", "title": "First, revised"}]}
    assert list(diff_values(old, new, labels, ("NPL", "plans"))) == [
        ("NPL › plans › First, revised", "title `First` → `First, revised`"),
        ("NPL › plans", "action plans reordered"),
    ]
    unkeyed = {"rows": [{"x": 1}, {"x": 2}]}
    grown = {"rows": [{"x": 1}, {"x": 3}, {"x": 4}]}
    assert list(diff_values(unkeyed, grown, labels, ("T",))) == [
        ("T › rows #2", "x `2` → `3`"),
        ("T", "rows #3 added"),
    ]
    twice = {"contacts": [{"id": "a", "agency": "Police"}, {"id": "a", "agency": "Court"}]}
    once = {"contacts": [{"id": "a", "agency": "Police"}]}
    assert list(diff_values(twice, once, labels, ("BGD",))) == [("BGD", "contact Court removed")]


LONG = "word " * 40  # longer than a value shown whole


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (["IND"], ["IND", "CHN"], "x: added `CHN`"),
        (["IND", "CHN"], ["CHN"], "x: removed `IND`"),
        (["A"], ["B"], "x: added `B`; removed `A`"),
        (["A", "B"], ["B", "A"], "x: reordered"),
        (None, ["A", "B"], "x: added `A`, `B`"),
        (["A", "B"], [], "x: removed `A`, `B`"),
        (None, "new", "x added: `new`"),
        ("", LONG, "x added"),
        ("old", None, "x removed (was `old`)"),
        (LONG, "", "x removed"),
        ("a", "b", "x `a` → `b`"),
        (LONG + "end", LONG + "fin", "x rewritten (41 → 41 words): `word word end` → `word word fin`"),
        (LONG, LONG + " ", "x rewritten (40 → 40 words)"),
    ],
)
def test_each_kind_of_value_change_is_said_in_words(old, new, said):
    assert list(diff_values({"x": old}, {"x": new}, Labeller(), ("T",))) == [("T", said)]


@pytest.mark.parametrize("key", ["title", "agency", "name", "term", "summary"])
def test_items_without_an_id_are_matched_by_their_title_agency_name_term_or_summary(key):
    """Two items swapped: matched by that field, they are the same items in another order."""
    first, second = {key: "One", "note": "a"}, {key: "Two", "note": "b"}
    assert list(diff_values({"rows": [first, second]}, {"rows": [second, first]}, Labeller(), ("T",))) == [
        ("T", "rows reordered")
    ]
