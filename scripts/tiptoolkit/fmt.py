"""`tiptoolkit fmt`: one canonical YAML style for the data files, so diffs stay small for reviewers.

Round-trips each file through ruamel.yaml, which keeps comments, key order, quotes and
block scalars (`>-`, `|`) as written, and normalises the rest: 2-space indentation,
list items indented under their key (`  - item`), UTF-8 without BOM, `\\n` line ends,
one trailing newline. Long one-line values (titles, URLs) are never wrapped: a wrapped
URL is hard to read and to search. A file is rewritten only when its parsed content is
unchanged by formatting, checked with the project's own loader.
"""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .load import LoadError, data_files, read_yaml

WIDTH = 4096  # never fold one-line values; prose lives in block scalars whose line breaks are the editor's


class FormatError(Exception):
    """A file that cannot be formatted (invalid YAML, or formatting would change its meaning)."""


def roundtrip_yaml() -> YAML:
    """The loader and dumper of the canonical style (comments, key order and block scalars kept)."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def canonical(text: str) -> str:
    """The canonical form of one YAML document. Raises FormatError on invalid YAML."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    yaml = roundtrip_yaml()
    try:
        data = yaml.load(text)
    except YAMLError as error:
        raise FormatError(
            f"not valid YAML, fix it first (`tiptoolkit validate` says where): {_first_line(error)}"
        ) from None
    if data is None:
        return text.rstrip("\n") + "\n" if text.strip() else ""
    out = io.StringIO()
    yaml.dump(data, out)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").split("\n")) + "\n"


def _first_line(error: YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or " ".join(str(error).split())[:160]
    return f"line {mark.line + 1}: {problem}" if mark is not None else problem


def _same_meaning(before: str, after: str) -> bool:
    """Whether both texts parse to the same data with the loader the validator uses."""
    with tempfile.TemporaryDirectory(prefix="tiptoolkit-fmt-") as folder:
        parsed = []
        for name, text in (("before.yaml", before), ("after.yaml", after)):
            scratch = Path(folder) / name
            scratch.write_text(text, encoding="utf-8")
            try:
                parsed.append(read_yaml(scratch)[0])
            except LoadError:
                return False
        return parsed[0] == parsed[1]


def format_file(path: Path, *, check: bool = False) -> bool:
    """Format `path` in place (or only check it). Returns True when it was (or would be) changed."""
    raw = path.read_bytes()
    try:
        before = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FormatError("not valid UTF-8: save the file as UTF-8") from None
    after = canonical(before)
    if after == before:
        return False
    if not _same_meaning(before, after):
        raise FormatError("formatting would change the parsed content; file left as it is (please report this)")
    if not check:
        path.write_text(after, encoding="utf-8", newline="\n")
    return True


def target_files(root: Path, files: Iterable[Path]) -> list[Path]:
    """The files given, or every data file under `root` (schemas and translations excluded)."""
    given = [Path(f) for f in files]
    if given:
        return [f for f in given if f.suffix in (".yaml", ".yml")]
    return [root / relative for relative in data_files(root)]


def run(root: Path, files: Iterable[Path], *, check: bool = False) -> int:
    """CLI entry: 0 when everything is (now) canonical, 1 when `--check` found files to format or a file failed."""
    changed, failed = [], 0
    for path in target_files(root, files):
        try:
            if format_file(path, check=check):
                changed.append(path)
        except (FormatError, OSError) as error:
            print(f"{_display(path)}: {error}", file=sys.stderr)
            failed += 1
    for path in changed:
        print(f"{_display(path)}: {'not canonical: run `tiptoolkit fmt`' if check else 'formatted'}")
    if check and changed:
        print(f"{len(changed)} file(s) would be reformatted", file=sys.stderr)
    return 1 if failed or (check and changed) else 0


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
