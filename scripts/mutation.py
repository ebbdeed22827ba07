"""Mutation testing of the modules whose bugs cost most: do the tests notice when the code is changed?

    .venv/bin/python scripts/mutation.py                    # every module below, then the report
    .venv/bin/python scripts/mutation.py validate changes   # some of them
    .venv/bin/python scripts/mutation.py --report           # the report of the last run only

mutmut changes the code one small edit at a time (a `<` made `<=`, a `True` made `False`, a string emptied...)
and runs the tests that reach the changed function; a change that no test notices "survives". It runs in a
throwaway copy laid out as mutmut expects (`.mutation/src/tiptoolkit`), never in this checkout, and writes
`.mutation/report.md`: the score per module and each surviving mutant as a diff. CONTRIBUTING ("Mutation testing")
says how to read it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
STAGING = PROJECT / ".mutation"
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Target:
    module: str  # under scripts/tiptoolkit
    tests: tuple[str, ...]  # the fast tests that guard it (pytest paths or node ids)


TARGETS = {
    "validate": Target("validate.py", ("tests/test_validate.py", "tests/test_terminology.py", "tests/test_expectations.py")),
    "analysis": Target("analysis.py", ("tests/test_expectations.py", "tests/test_validate.py", "tests/test_accession.py")),
    "changes": Target("changes.py", ("tests/test_expectations.py", "tests/test_editors.py")),
    "load": Target("load.py", ("tests/test_load.py", "tests/test_validate.py", "tests/test_adversarial.py")),
    "pdf-cache": Target("pdf/batch.py", ("tests/test_expectations.py", "tests/test_faults.py")),
}  # fmt: skip
COPIED = ("tests", "toolkit_data", "docs", "overrides", "mkdocs.yml", "package.json")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".cache")


def stage(names: list[str]) -> None:
    """A fresh copy of the project with the package under `src/`, and mutmut's settings for `names`."""
    shutil.rmtree(STAGING, ignore_errors=True)
    (STAGING / "src").mkdir(parents=True)
    shutil.copytree(PROJECT / "scripts" / "tiptoolkit", STAGING / "src" / "tiptoolkit", ignore=IGNORED)
    for name in COPIED:
        source = PROJECT / name
        if source.is_dir():
            shutil.copytree(source, STAGING / name, ignore=IGNORED)
        elif source.exists():
            shutil.copy2(source, STAGING / name)
    if (PROJECT / "node_modules").exists():
        (STAGING / "node_modules").symlink_to(PROJECT / "node_modules")
    # The whole package is copied (the tests import it from there); only the chosen modules are changed.
    chosen = [f"src/tiptoolkit/{TARGETS[name].module}" for name in names]
    tests = sorted({test for name in names for test in TARGETS[name].tests})
    (STAGING / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        'source_paths = ["src/tiptoolkit"]\n'
        f"only_mutate = {json.dumps(chosen)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        f"also_copy = {json.dumps([name for name in COPIED if (PROJECT / name).exists()])}\n"
        "\n[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n'
        'addopts = "-p no:cacheprovider"\n'
        'markers = ["browser: drives the built site", "slow: builds the whole site or every PDF"]\n',
        encoding="utf-8",
    )


def run(jobs: int) -> int:
    return subprocess.run([str(VENV_BIN / "mutmut"), "run", "--max-children", str(jobs)], cwd=STAGING).returncode


@dataclass
class Score:
    """Mutants of one module by what became of them. A timeout counts as killed (the change made the tests hang);
    a mutant no test reaches counts as not killed; one the run did not reach (stopped early) is left out."""

    killed: int = 0
    timeout: int = 0
    survived: int = 0
    untested: int = 0
    unchecked: int = 0

    @property
    def percent(self) -> float:
        checked = self.killed + self.timeout + self.survived + self.untested
        return 100 * (self.killed + self.timeout) / checked if checked else 100.0


def results() -> dict[str, tuple[Score, list[str]]]:
    """Per mutated module: its score and its mutants not killed, from mutmut's result files."""
    from mutmut.stats import status_by_exit_code

    found: dict[str, tuple[Score, list[str]]] = {}
    package = STAGING / "mutants" / "src" / "tiptoolkit"
    for meta in sorted(package.rglob("*.py.meta")):
        score, survivors = found.setdefault(meta.relative_to(package).as_posix().removesuffix(".meta"), (Score(), []))
        for name, code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].items():
            status = status_by_exit_code[code]
            if status in ("killed", "timeout", "survived"):
                setattr(score, status, getattr(score, status) + 1)
            elif status == "no tests":
                score.untested += 1
            else:
                score.unchecked += 1
            if status in ("survived", "no tests"):
                survivors.append(name)
    return found


def show(name: str) -> str:
    shown = subprocess.run([str(VENV_BIN / "mutmut"), "show", name], cwd=STAGING, capture_output=True, text=True)
    return shown.stdout.strip()


def report() -> str:
    lines = ["# Mutation testing report", ""]
    lines.append("| module | killed | timed out | survived | no test reaches it | not run | score |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    found = results()
    for module, (s, _) in found.items():
        counts = f"{s.killed} | {s.timeout} | {s.survived} | {s.untested} | {s.unchecked}"
        lines.append(f"| {module} | {counts} | {s.percent:.1f}% |")
    for module, (_, survivors) in found.items():
        lines += ["", f"## Survivors in {module}", ""]
        lines += [f"### {name}\n\n```diff\n{show(name)}\n```\n" for name in survivors] or ["None."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", metavar="module", help=f"of {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--report", action="store_true", help="only write the report of the last run")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    args = parser.parse_args(argv)
    unknown = set(args.modules) - set(TARGETS)
    if unknown:
        parser.error(f"unknown module {', '.join(sorted(unknown))}: choose from {', '.join(TARGETS)}")
    if not args.report:
        stage(args.modules or list(TARGETS))
        if run(args.jobs) != 0:
            print("mutmut stopped: see its output above", file=sys.stderr)
            return 1
    text = report()
    (STAGING / "report.md").write_text(text, encoding="utf-8")
    print(text.split("\n## ")[0])
    print(f"Survivors as diffs: {STAGING.relative_to(PROJECT)}/report.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
