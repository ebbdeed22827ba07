"""JSON Schemas for editors, generated from the typed models (never written by hand)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from .dataset import CACHE_ROOT
from .files import write_atomic
from .load import code_fingerprint
from .model import DOCUMENT_KINDS


def schema_texts() -> dict[str, str]:
    """File name -> JSON text for every document kind."""
    texts = {}
    for cls in DOCUMENT_KINDS.values():
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{cls.schema_name}.schema.json"
        texts[f"{cls.schema_name}.schema.json"] = (
            json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        )
    return texts


def cached_schema_texts() -> dict[str, str]:
    """`schema_texts`, kept in the cache until the models change (`load.code_fingerprint`).

    The site publishes them on every build, and generating them is most of the open data's cost."""
    path = CACHE_ROOT / "schemas" / f"{code_fingerprint()[:40]}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    texts = schema_texts()
    with contextlib.suppress(OSError):  # a read-only checkout still builds, only without the cache
        write_atomic(path, json.dumps(texts))
    return texts


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(folder: Path) -> list[str]:
    """Names of schema files missing or different from what the models generate."""
    return [
        name
        for name, text in schema_texts().items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text
    ]
