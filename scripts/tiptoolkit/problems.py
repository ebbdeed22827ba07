"""A problem found in the content, and the three ways of printing a list of them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must fix, with where to fix it."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def format_problems(problems: list[Problem], style: str = "text", prefix: str = "") -> str:
    """Render problems as `text` (path:line:col: field: message), `github` annotations or `json`."""
    if style == "json":
        return json.dumps([asdict(problem) for problem in problems], ensure_ascii=False, indent=2)
    if style == "github":
        return "\n".join(
            f"::error file={prefix}{p.file},line={p.line},col={p.column},title={_gh(p.field or 'content')}::{_gh(p.message)}"
            for p in problems
        )
    return "\n".join(f"{prefix}{problem}" for problem in problems)


def _gh(text: str) -> str:
    return (
        text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(",", "%2C").replace("::", "%3A%3A")
    )
