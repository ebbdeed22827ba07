"""YAML -> typed documents, remembering where every value came from.

Safe by construction: only the plain YAML tags are accepted (no Python objects),
files are size-limited, nesting depth and alias expansion are bounded, and
invalid UTF-8, duplicate keys and syntax errors become `Problem`s, never
exceptions.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import os
import pickle
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pydantic
import yaml
from pydantic import BaseModel, ValidationError

from .files import prune_unused, write_atomic
from .model import DOCUMENT_KINDS, Model
from .problems import Problem

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000
ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Loc = tuple[Any, ...]


@dataclass
class Positions:
    """(line, column) of every value and key in one file, both 1-based, by path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def find(self, loc: Loc) -> tuple[int, int]:
        """Position of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key(self, loc: Loc) -> tuple[int, int]:
        return self.keys.get(tuple(loc)) or self.find(loc)


class LoadError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line, self.column = line, column


class _Converter:
    """Turns a composed YAML node tree into plain Python values and positions."""

    def __init__(self) -> None:
        self.positions = Positions()
        self.nodes = 0

    def convert(self, node: yaml.Node, loc: Loc = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise LoadError("too many values (aliases expanding too far?): simplify the file", *_mark(node))
        self.positions.values[loc] = _mark(node)
        if node.tag not in ALLOWED_TAGS:
            raise LoadError(f"tag {node.tag!r} is not allowed: remove it and write a plain value", *_mark(node))
        if isinstance(node, yaml.CollectionNode) and len(loc) >= MAX_DEPTH:
            # libyaml stops at 1000 levels while composing, in C; this keeps the converter's recursion short
            raise LoadError(f"nested more than {MAX_DEPTH} levels deep", *_mark(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise LoadError("merge keys (<<) are not allowed: write the keys out", *_mark(key_node))
                if not isinstance(key_node, yaml.ScalarNode):
                    raise LoadError("keys must be plain words", *_mark(key_node))
                key = str(key_node.value)
                if key in result:
                    line, _ = self.positions.keys[(*loc, key)]
                    raise LoadError(f"duplicate key {key!r} (first given on line {line}): keep one", *_mark(key_node))
                self.positions.keys[(*loc, key)] = _mark(key_node)
                result[key] = self.convert(value_node, (*loc, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*loc, index)) for index, item in enumerate(node.value)]
        return _scalar(node)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_RESOLVER = yaml.SafeLoader("")
# libyaml's parser when PyYAML was built with it (Debian's and PyPI's wheels are): the same events, nodes and
# marks, about eight times faster, which keeps `tiptoolkit serve` rebuilding within a couple of seconds.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scalar(node: yaml.ScalarNode) -> Any:
    """Plain scalars as YAML 1.1 resolves them, except that dates stay text."""
    if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return node.value
    return _RESOLVER.construct_object(node, deep=True)


def _mark_of(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def read_yaml(path: Path) -> tuple[Any, Positions]:
    """Read one YAML file safely. Raises LoadError with a position on any problem."""
    return parse_yaml(read_text(path))


def read_text(path: Path) -> str:
    """A data file's text: at most MAX_FILE_BYTES, UTF-8, without a byte order mark. Raises LoadError."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it or shorten the text")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError("not valid UTF-8: save the file as UTF-8", line, column) from None
    return text.removeprefix("\ufeff")


# What libyaml's messages usually mean in a hand-edited file, said in words; its own words follow in brackets.
SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "a `key: value` where none can start: the line is probably indented too far, "
        "or a value holding `: ` needs quotes around it",
    ),
    (
        "did not find expected '-' indicator",
        "a list item is not lined up with the items above it: every `- ` of one list starts in the same column",
    ),
    (
        "did not find expected key",
        "a key is not lined up with the keys above it: the keys of one mapping start in the same column",
    ),
    (
        "could not find expected ':'",
        "a line without `key: value`: add `: ` after the key, or join the line to the one above",
    ),
    ("found character '\\t'", "a tab: indent with spaces only"),
    ("found undefined alias", "`*name` is YAML's reference syntax: put the text in quotes"),
    ("expected ',' or ']'", "a `[` list not closed with `]` on the same item: close it, or quote the text"),
    ("expected ',' or '}'", "a `{` mapping not closed with `}`: close it, or quote the text"),
)


def syntax_message(libyaml: str, text: str, line: int) -> str:
    """A YAML syntax error in words, libyaml's own words after it, and the offending line quoted."""
    hint = next((words for pattern, words in SYNTAX_HINTS if pattern in libyaml), None)
    lines = text.splitlines()
    offending = lines[line - 1] if line <= len(lines) else ""  # libyaml counts from 1, and may point past the end
    quoted = offending.strip()
    said = f"{hint} (the parser says: {libyaml})" if hint else libyaml
    if "\t" in offending:
        said += " (tabs are not allowed for indentation: use spaces)"
    return f"YAML syntax: {said}" + (f"; the line reads `{quoted[:80]}`" if quoted else "")


def parse_yaml(text: str) -> tuple[Any, Positions]:
    """Values and their positions from YAML text. Raises LoadError with a position on any problem."""
    try:
        converter = _Converter()
        root = yaml.compose(text, Loader=_FAST_LOADER)
        data = {} if root is None else converter.convert(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part)
        if "maximum nesting depth" in message:  # libyaml's own limit, reached before ours in flow collections
            raise LoadError(f"nested more than {MAX_DEPTH} levels deep", *_mark_of(mark)) from None
        line, column = _mark_of(mark)
        raise LoadError(syntax_message(message, text, line), line, column) from None
    except yaml.YAMLError as error:
        raise LoadError(f"YAML error: {error}") from None
    except RecursionError:
        raise LoadError(f"nested more than {MAX_DEPTH} levels deep") from None
    return data, converter.positions


# ------------------------------------------------------------------ documents


@dataclass
class Document:
    """One validated YAML file."""

    path: Path  # relative to the data root
    model: Model
    positions: Positions
    text: str


def kind_of(relative: Path) -> type[Model] | None:
    """Document class for a data file, from its folder (or stem at the top level)."""
    key = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    return DOCUMENT_KINDS.get(key)


def data_files(root: Path) -> list[Path]:
    """Every content file under `root`, sorted, relative to it."""
    return sorted(
        path.relative_to(root) for path in root.rglob("*") if path.suffix in (".yaml", ".yml") and path.is_file()
    )


def load_document(root: Path, relative: Path, cache: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Load and type-check one file; return it with every problem found.

    With `cache`, a file loaded cleanly before is read back from there: see `DocumentCache`."""
    display = str(relative)
    cls = kind_of(relative)
    if cls is None:
        kinds = ", ".join(sorted(DOCUMENT_KINDS))
        return None, [Problem(display, 1, 1, "", f"no content kind lives here: put data files in one of {kinds}")]
    try:
        text = read_text(root / relative)
    except LoadError as error:
        return None, [Problem(display, error.line, error.column, "", str(error))]
    store = DocumentCache(cache, relative, text) if cache else None
    if store and (document := store.get()):
        return document, []
    document, problems = _load_document(relative, cls, text)
    if store and document:
        store.put(document)
    return document, problems


DIGEST_SIZE = 32  # a cached document starts with the SHA-256 of the pickle that follows


class DocumentCache:
    """Clean documents kept as pickles, named by a hash of the file's path and text and of the code that
    reads them (this module and the models), so an edited file or a changed model is read again.

    Parsing YAML with positions is most of the cost of validation; a rebuild after editing one country
    reads one file. The cache is the project's own folder (`.cache/content`), as trusted as its venv.
    """

    def __init__(self, folder: Path, relative: Path, text: str):
        digest = hashlib.sha256(code_fingerprint().encode())
        digest.update(str(relative).encode() + b"\0" + text.encode("utf-8"))
        self.path = folder / f"{digest.hexdigest()[:40]}.pickle"
        self.relative = relative

    damaged = 0  # entries found damaged since the last `take_damaged`, in this process
    # The last document each file gave in this process, with its entry: a long-lived process (the live preview)
    # reads the unchanged files of each save from memory (unpickling them was two thirds of validating).
    # Documents are never changed once loaded.
    recent: ClassVar[dict[Path, tuple[Path, Document]]] = {}

    def get(self) -> Document | None:
        """The cached document, if this process read it last, or if the entry is there and its SHA-256 (the first
        32 bytes) matches the rest."""
        kept = DocumentCache.recent.get(self.relative)
        if kept is not None and kept[0] == self.path:
            return kept[1]
        document = self._read()
        if document is not None:
            DocumentCache.recent[self.relative] = (self.path, document)
        return document

    def _read(self) -> Document | None:
        try:
            stored = self.path.read_bytes()
        except OSError:
            return None
        body = stored[DIGEST_SIZE:]
        try:
            if hashlib.sha256(body).digest() != stored[:DIGEST_SIZE]:
                raise ValueError("checksum")
            document = pickle.loads(body)
        except Exception:  # damaged, or from another version of the code: read the file instead, and drop it
            DocumentCache.damaged += 1
            with contextlib.suppress(OSError):
                self.path.unlink()
            return None
        os.utime(self.path)  # recently used: kept by `prune`
        return document if isinstance(document, Document) else None

    def put(self, document: Document) -> None:
        DocumentCache.recent[self.relative] = (self.path, document)
        body = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only checkout (or a full disk) still validates, without the cache
            write_atomic(self.path, hashlib.sha256(body).digest() + body)

    @classmethod
    def take_damaged(cls) -> int:
        """How many damaged entries were found (and read again from their files) since the last call."""
        found, cls.damaged = cls.damaged, 0
        return found

    @staticmethod
    def prune(folder: Path, days: float = 30) -> None:
        """Forget documents not used for `days`."""
        prune_unused(folder.glob("*.pickle") if folder.is_dir() else (), days)


@functools.cache
def code_fingerprint() -> str:
    """A hash of the code that turns content into models: this module, the models and pydantic's version."""
    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in ("load.py", "model.py")]
    return hashlib.sha256(b"\0".join(parts) + pydantic.VERSION.encode()).hexdigest()


def _load_document(relative: Path, cls: type[Model], text: str) -> tuple[Document | None, list[Problem]]:
    display = str(relative)
    try:
        data, positions = parse_yaml(text)
    except LoadError as error:
        return None, [Problem(display, error.line, error.column, "", str(error))]
    if data == {}:
        return None, [Problem(display, 1, 1, "", "the file is empty: start from its template in CONTRIBUTING.md")]
    if not isinstance(data, dict):
        return None, [Problem(display, 1, 1, "", "the file must be a mapping of keys to values")]
    try:
        model = cls.model_validate(data)
    except ValidationError as error:
        return None, _problems_from_errors(display, positions, cls, error.errors())
    _attach_positions(model, display, ())
    return Document(relative, model, positions, text), []


def _attach_positions(model: BaseModel, file: str, loc: Loc) -> None:
    model._where = (file, loc)
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _attach_positions(value, file, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _attach_positions(item, file, (*loc, name, index))
        elif isinstance(value, dict):  # translations by language, interface strings by key
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    _attach_positions(item, file, (*loc, name, key))


# ------------------------------------------------------------------ friendly pydantic errors


def format_loc(loc: Loc) -> str:
    """`('articles', 3, 'summary')` -> `articles[3].summary`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems_from_errors(
    file: str, positions: Positions, cls: type[Model], errors: list[dict[str, Any]]
) -> list[Problem]:
    """One problem per error, except that a misspelt key is reported once, not also as a missing field."""
    problems = [_problem_from_error(file, positions, cls, error) for error in errors]
    misspelt = {
        (
            problem.field.rpartition(".")[0],  # "" at the top level
            problem.message.split("did you mean ")[1].strip("'?"),
        )
        for problem in problems
        if "did you mean" in problem.message
    }
    return [
        problem
        for problem in problems
        if not (problem.message.startswith("required field") and _split_field(problem.field) in misspelt)
    ]


def _split_field(field: str) -> tuple[str, str]:
    parent, _, name = field.rpartition(".")
    return parent, name


def _problem_from_error(file: str, positions: Positions, cls: type[Model], error: dict[str, Any]) -> Problem:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        line, column = positions.key(loc)
        allowed = _fields_at(cls, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        message = f"unknown key {loc[-1]!r}" + (f": did you mean {hint[0]!r}?" if hint else "")
        if allowed and not hint:
            message += f"; allowed keys: {', '.join(allowed)}"
    elif kind == "missing":
        line, column = positions.find(loc[:-1])
        message = f"required field {loc[-1]!r} is missing: add it"
    else:
        line, column = positions.find(loc)
        if kind in ("enum", "literal_error"):
            message = f"{message} (got {error.get('input')!r})"
        elif kind == "string_pattern_mismatch" and (desc := _description_at(cls, loc)):
            first_word = desc.split()[0]
            said = desc if first_word.isupper() and len(first_word) > 1 else desc[0].lower() + desc[1:]  # `ISO ...`
            message = f"should be {said.rstrip('.')} (got {error.get('input')!r:.60})"
        elif kind in FRIENDLY:
            message = f"{FRIENDLY[kind]} (got {type(error.get('input')).__name__} {error.get('input')!r:.60})"
        elif kind == "too_short" and loc and loc[-1] == "sources":
            message = "no source given: add at least one entry under `sources` (title, issuer, year, url)"
        message = message.removeprefix("Value error, ")
    return Problem(file, line, column, format_loc(loc), message)


FRIENDLY = {
    "list_type": "expected a list: one `- item` per line",
    "dict_type": "expected a mapping of `key: value` lines",
    "model_type": "expected a mapping of `key: value` lines",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "date_type": "expected a date YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a date YYYY-MM-DD",
}


def _is_union_tag(part: Any) -> bool:
    """pydantic's own markers in an error's place: `[key]` for a mapping's key, `function-after[...]` for a
    validator; never a field name (those are snake_case)."""
    return isinstance(part, str) and "[" in part


def _unwrap(annotation: Any) -> Any:
    """`list[X] | None` -> X, `Annotated[X, ...]` -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _class_at(cls: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            return None
        cls = _unwrap(cls.model_fields[part].annotation)
    return cls


def _fields_at(cls: type[Model], loc: Loc) -> list[str]:
    target = _class_at(cls, loc)
    return list(target.model_fields) if isinstance(target, type) and issubclass(target, BaseModel) else []


def _description_at(cls: type[Model], loc: Loc) -> str | None:
    while loc and isinstance(loc[-1], int):  # an item of a list: the list field describes its items' type
        loc = loc[:-1]
    parent = _class_at(cls, tuple(loc[:-1]))
    name = loc[-1] if loc else None
    if isinstance(parent, type) and issubclass(parent, BaseModel) and name in parent.model_fields:
        info = parent.model_fields[name]
        if info.description:
            return info.description
        return _annotated_description(info.annotation, tuple(info.metadata))
    return None


def _annotated_description(annotation: Any, metadata: tuple = ()) -> str | None:
    """The description of the value's own type: `Iso3` inside `list[Iso3]`, `Slug | None`..."""
    for meta in metadata:
        if getattr(meta, "description", None):
            return meta.description
    for arg in typing.get_args(annotation):
        if getattr(arg, "description", None):
            return arg.description
        found = _annotated_description(arg, tuple(getattr(arg, "__metadata__", ())))
        if found:
            return found
    return None
