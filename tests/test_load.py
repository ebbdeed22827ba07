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


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: Test Protocol against Example Harms", "title: [unclosed", "YAML syntax"),
        (
            "kind: protocol",
            "kind: treaty",
            "Input should be 'convention', 'protocol' or 'regional-convention' (got 'treaty')",
        ),
        ("adopted: 2000-11-15", "adopted: 2000-13-15", "not a real date"),
        ("adopted: 2000-11-15", "adopted: 15/11/2000", "use an ISO date"),
        (
            "official_url: https://example.org/test-protocol",
            "official_url: javascript:alert(1)",
            "A public http(s) address",
        ),
    ],
)
def test_schema_problems_name_file_line_and_field(minimal, old, new, expected):
    edit(minimal / "instruments/test-protocol.yaml", old, new)
    _, problems = validate(minimal)
    assert any(p.file == "instruments/test-protocol.yaml" and expected in p.message for p in problems), problems
    assert all(p.line >= 1 for p in problems)


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
