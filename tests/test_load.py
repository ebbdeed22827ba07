"""The loader: positions, and hostile or malformed YAML turned into problems, never exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiptoolkit.load import MAX_DEPTH, LoadError, read_yaml
from tiptoolkit.validate import validate

from .conftest import edit


def write(tmp_path: Path, data: bytes | str) -> Path:
    path = tmp_path / "file.yaml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_positions_are_one_based_for_keys_and_values(tmp_path):
    _, positions = read_yaml(write(tmp_path, "a: 1\nlist:\n  - x: 2\n    y: three\n"))
    assert positions.values[("a",)] == (1, 4)
    assert positions.keys[("list", 0, "y")] == (4, 5)
    assert positions.values[("list", 0, "y")] == (4, 8)
    assert positions.find(("list", 0, "missing")) == (3, 5)


def test_dates_stay_text_and_scalars_resolve(tmp_path):
    data, _ = read_yaml(write(tmp_path, "d: 2014-08-14\nm: 2014-08\nn: 12\nb: true\nz: null\n"))
    assert data == {"d": "2014-08-14", "m": "2014-08", "n": 12, "b": True, "z": None}


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first given on line 1)", 3),
        (
            "x: !!python/object/apply:os.system ['echo owned']\n",
            "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
            1,
        ),
        ("x: !!python/object:builtins.dict {}\n", "is not allowed", 1),
        ("a:\n\t- b\n", "tabs are not allowed", 2),
        ("a: [1, 2\n", "YAML syntax", 2),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys", 3),
    ],
)
def test_malformed_yaml_is_a_positioned_error(tmp_path, text, message, line):
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, text))
    assert message in str(caught.value)
    assert caught.value.line == line


def test_invalid_utf8_names_the_line(tmp_path):
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, b"a: ok\nb: caf\xe9\n"))
    assert "not valid UTF-8" in str(caught.value)
    assert (caught.value.line, caught.value.column) == (2, 7)


def test_byte_order_mark_is_accepted(tmp_path):
    data, _ = read_yaml(write(tmp_path, "\ufeffa: 1\n".encode()))
    assert data == {"a": 1}


def test_deep_nesting_is_refused_without_recursion(tmp_path):
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, "a: " + "[" * 10_000 + "]" * 10_000 + "\n"))
    assert f"nested more than {MAX_DEPTH} levels" in str(caught.value)


def test_alias_bomb_is_refused(tmp_path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, "\n".join(lines) + "\n"))
    assert "too many values" in str(caught.value)


def test_oversized_file_is_refused(tmp_path):
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, "a: " + "x" * 10_000_000 + "\n"))
    assert "limit" in str(caught.value)


INSTRUMENT, COUNTRY, LAW = "instruments/test-protocol.yaml", "countries/npl.yaml", "model_law/test-model-law.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # libyaml finds the list unclosed on the next line, and that is the line quoted
        (INSTRUMENT, "title: Test Protocol against Example Harms", "title: [unclosed", "4:12: YAML syntax: a `[` list not closed with `]` on the same item: close it, or quote the text (the parser says: while parsing a flow sequence did not find expected ',' or ']'); the line reads `short_title: Test Protocol`"),
        (COUNTRY, "    status: party\n", "\tstatus: party\n", "14:1: YAML syntax: while scanning a plain scalar found a tab character that violates indentation (tabs are not allowed for indentation: use spaces); the line reads `status: party`"),
        (INSTRUMENT, "kind: protocol", "kind: treaty", "6:7: kind: Input should be 'convention', 'protocol' or 'regional-convention' (got 'treaty')"),
        (INSTRUMENT, "adopted: 2000-11-15", "adopted: 2000-13-15", "7:10: adopted: not a real date: month must be in 1..12"),
        (INSTRUMENT, "adopted: 2000-11-15", "adopted: 15/11/2000", "7:10: adopted: use an ISO date: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known"),
        (INSTRUMENT, "official_url: https://example.org/test-protocol", "official_url: javascript:alert(1)", "10:15: official_url: should be a public http(s) address; https:// wherever the site serves it (got 'javascript:alert(1)')"),
        (COUNTRY, "  - CHN", "  - china", "8:5: neighbours[1]: should be three capital letters, an ISO 3166-1 alpha-3 code, e.g. `LAO` (got 'china')"),
        # a misspelt key is said once: not also as the field it misspells, missing
        (COUNTRY, "    status: party\n", "    stauts: party\n", "14:5: ratifications[0].stauts: unknown key 'stauts': did you mean 'status'?"),
        (COUNTRY, "summary: A test profile.\n", "sumary: A test profile.\n", "11:1: sumary: unknown key 'sumary': did you mean 'summary'?"),
        (COUNTRY, "      - title: Status page\n    last_reviewed: 2026-11-01\ncoverage", "      - title: Status page\n        zzz: 1\n    last_reviewed: 2026-11-01\ncoverage", "20:9: ratifications[0].sources[0].zzz: unknown key 'zzz'; allowed keys: title, issuer, year, url, locator, kind"),
        (COUNTRY, "    status: party\n", "", "13:5: ratifications[0].status: required field 'status' is missing: add it"),
        (COUNTRY, "    sources:\n      - title: Status page\n    last_reviewed: 2026-11-01\ncoverage", "    sources: []\n    last_reviewed: 2026-11-01\ncoverage", "18:14: ratifications[0].sources: no source given: add at least one entry under `sources` (title, issuer, year, url)"),
        (LAW, "    number: 1\n", "    number: one\n", "12:13: provisions[0].number: expected a whole number (got str 'one')"),
        (COUNTRY, "      - title: Status page\n    last_reviewed: 2026-11-01\ncoverage", "      - titel: Status page\n    last_reviewed: 2026-11-01\ncoverage", "19:9: ratifications[0].sources[0].titel: unknown key 'titel': did you mean 'title'?"),
        (COUNTRY, "    status: party\n", "    status: member\n", "14:13: ratifications[0].status: Input should be 'party', 'signatory', 'not-party' or 'unknown' (got 'member')"),
        # each place a value's description is found: the field's type, an item's type, the field itself
        (LAW, "    number: I\n", "    number: one\n", "8:13: chapters[0].number: should be a roman numeral in capitals, e.g. `IV` (got 'one')"),
        (COUNTRY, "  - ne\n", "  - NE\n", "10:5: languages[0]: should be a language code, e.g. `ne` (got 'NE')"),
        ("action_plan/nap.yaml", "          - id: act-1\n", "          - id: activity-1\n", "13:17: pillars[0].objectives[0].activities[0].id: should be `act-` and a number, e.g. `act-2` (got 'activity-1')"),
        (COUNTRY, "id: npl\n", "id: NPL\n", "2:5: id: should be three lower-case letters, the ISO 3166-1 alpha-3 code and file name, e.g. `npl` (got 'NPL')"),
        # a list too short that is not `sources`: pydantic's words
        ("cooperation/cooperation.yaml", "legal_basis:\n  - test-protocol/art-2\n", "legal_basis: []\n", "6:14: legal_basis: List should have at least 1 item after validation, not 0"),
        # a mapping's key: the field is the key, not pydantic's `[key]` marker
        (COUNTRY, "sources:\n  - title: Status page\nlast_reviewed: 2026-11-01\n", "sources:\n  - title: Status page\nlast_reviewed: 2026-11-01\ntranslations:\n  NE:\n    summary: x\n    status: needs-review\n    source_hash: \"00000000\"\n", "54:5: translations.NE: String should match pattern '^[a-z]{2,3}$'"),
    ],
)  # fmt: skip
def test_schema_problems_name_file_line_and_field(minimal, file, old, new, expected):
    """The whole problem, as an editor reads it: exactly one, at the key or value to fix."""
    edit(minimal / file, old, new)
    _, problems = validate(minimal)
    assert [str(p) for p in problems] == [f"{file}:{expected}"]


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("id: x\ntitle: T\n  summary: S\n", "the line is probably indented too far", 3),
        ("items:\n  - a\n - b\n", "not lined up", 2),
        ("a:\n  b: 1\n c: 2\n", "not lined up with the keys above it", 3),
        ("title: A: B\n", "needs quotes around it", 1),
    ],
)
def test_yaml_syntax_is_said_in_words_and_the_line_quoted(tmp_path: Path, text: str, words: str, line: int):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_yaml(path)
    message = str(caught.value)
    assert words in message and "(the parser says: " in message
    assert caught.value.line in (line, line + 1)
    quoted = text.splitlines()[caught.value.line - 1].strip()
    assert message.endswith(f"the line reads `{quoted}`")


def test_a_syntax_error_quotes_at_most_80_characters_of_its_line_and_none_past_the_end(tmp_path: Path):
    long = "title: " + "word " * 20 + "A: B\n"
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, long))
    assert str(caught.value).endswith(f"; the line reads `{long.strip()[:80]}`") and len(long.strip()) > 80
    with pytest.raises(LoadError) as caught:
        read_yaml(write(tmp_path, "a: [1, 2\n"))  # found at the end: there is no line 2 to quote
    assert (caught.value.line, str(caught.value)) == (
        2,
        "YAML syntax: a `[` list not closed with `]` on the same item: close it, or quote the text "
        "(the parser says: while parsing a flow sequence did not find expected ',' or ']')",
    )


def test_a_description_that_begins_with_an_acronym_keeps_its_capitals(real_copy: Path):
    edit(real_copy / "i18n/ne.yaml", "script: Deva", "script: deva")
    _, problems = validate(real_copy)
    assert [str(p) for p in problems] == [
        "i18n/ne.yaml:6:9: script: should be ISO 15924 script code, e.g. `Deva`, `Beng`, `Arab` (got 'deva')"
    ]
