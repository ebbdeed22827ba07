"""Plant known bugs one at a time and check that a named test kills each: a test of the tests.

    .venv/bin/python scripts/planted_bugs.py          # every bug; exit 1 if one survives

Each bug is a small edit of the package, made in a throwaway copy of the project (never in this checkout), and
the tests that should notice it are run there. These are bugs that once went through the whole suite unnoticed;
when a test is rewritten, this says whether it still guards what it was written for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

PROJECT = Path(__file__).resolve().parent.parent


class Bug(NamedTuple):
    name: str
    file: str  # relative to the project
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: the tests that must fail


BUGS = (
    Bug(
        "the validator no longer resolves a standard's `related` references",
        "scripts/tiptoolkit/validate.py",
        '        yield from _refs(ds, standard, "related", ds.exists, "an article, provision or standard")\n',
        "",
        ("tests/test_validate.py", "-k", "each_rule_reports"),
    ),
    Bug(
        "a partly covered provision is no longer a gap",
        "scripts/tiptoolkit/analysis.py",
        "return self.coverage in (Coverage.NONE, Coverage.PARTIAL)",
        "return self.coverage is Coverage.NONE",
        ("tests/test_expectations.py", "-k", "gaps_are"),
    ),
    Bug(
        "the country page counts partly covered provisions as fully covered",
        "scripts/tiptoolkit/site/templates/country.md.j2",
        'n=mandatory | selectattr("coverage.value", "equalto", "full") | list | length',
        'n=mandatory | selectattr("coverage.value", "in", ["full", "partial"]) | list | length',
        ("tests/test_expectations.py", "-k", "country_page"),
    ),
    Bug(
        "the outline's section counter is not reset in each chapter",
        "scripts/tiptoolkit/views/common.py",
        "self._chapter, self._section = self._chapter + 1, 0",
        "self._chapter = self._chapter + 1",
        ("tests/test_pdf.py", "-k", "outline_numbers"),
    ),
    Bug(
        "the change report drops removed list items",
        "scripts/tiptoolkit/changes.py",
        '            yield here, f"{labels.item(name, item, index)} removed"\n',
        "            continue\n",
        ("tests/test_editors.py", "-k", "diff_names or diff_values"),
    ),
    Bug(
        "the PDF cache's inputs leave out the package's code and templates",
        "scripts/tiptoolkit/pdf/batch.py",
        '    for path in sorted(PACKAGE.rglob("*")):\n',
        "    for path in []:\n",
        ("tests/test_expectations.py", "-k", "fingerprints"),
    ),
)
COPIED = (
    "scripts",
    "tests",
    "toolkit_data",
    "overrides",
    "docs",
    "pyproject.toml",
    "mkdocs.yml",
    "README.md",
    "CONTRIBUTING.md",
)


def killed(bug: Bug, folder: Path) -> bool:
    """Plant `bug` in a fresh copy under `folder` and run its tests there: True if one fails."""
    copy = folder / "project"
    shutil.rmtree(copy, ignore_errors=True)
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    path = copy / bug.file
    text = path.read_text(encoding="utf-8")
    if text.count(bug.old) != 1:
        raise SystemExit(f"cannot plant {bug.name!r}: the line to change is not in {bug.file} once")
    path.write_text(text.replace(bug.old, bug.new), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy / "scripts"), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *bug.tests]
    return subprocess.run(command, cwd=copy, env=env, capture_output=True).returncode != 0


def main() -> int:
    survivors = 0
    with tempfile.TemporaryDirectory(prefix="planted-") as folder:
        for bug in BUGS:  # the control: without the bug its tests pass, so a failure below is the bug's doing
            if killed(bug._replace(new=bug.old), Path(folder)):
                print(f"the tests of {bug.name!r} fail without the bug: fix them first", file=sys.stderr)
                return 2
        for bug in BUGS:
            caught = killed(bug, Path(folder))
            survivors += not caught
            print(f"{'killed  ' if caught else 'SURVIVED'} {bug.name}  ({' '.join(bug.tests)})")
    print(f"{len(BUGS) - survivors} of {len(BUGS)} planted bugs killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
