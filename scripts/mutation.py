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
import ast
import difflib
import json
import re
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
    "analysis": Target("analysis.py", ("tests/test_expectations.py", "tests/test_validate.py", *(f"tests/test_accession.py::test_{name}" for name in (
        "one_kit_per_instrument_not_joined", "the_regions_real_gaps", "route_follows_the_signature",
        "prerequisites_are_mandatory_provisions_implementing_binding_articles", "a_protocol_needs_the_convention",
        "reservations_and_entry_into_force_come_from_the_instrument", "country_page_lists_each_kit_and_no_joined_instrument",
    )), "tests/test_pocket.py::test_pocket_guide_view", "tests/test_pocket.py::test_the_guide_is_optional",
        "tests/test_editors.py::test_stale_since_is_strictly_older_than_the_threshold")),
    # not the tests that make PDFs: a minute each, for each mutant they reach
    "changes": Target("changes.py", ("tests/test_changes.py", "tests/test_expectations.py", *(f"tests/test_editors.py::test_{name}" for name in (
        "diff_reports_a_ratification_date_with_its_pages_and_pdfs", "diff_of_shared_content_and_of_nothing",
        "report_stays_readable_and_fits_a_comment", "diff_names_every_kind_of_change_in_real_files",
        "diff_values_reports_each_kind_of_difference", "diff_refuses_an_unknown_ref",
    )))),  # not the site build's report (it builds the site for each mutant) nor the posting script's
    "load": Target("load.py", ("tests/test_load.py", "tests/test_validate.py", "tests/test_adversarial.py")),
    "pdf-cache": Target("pdf/batch.py", ("tests/test_expectations.py", "tests/test_faults.py")),
}  # fmt: skip
COPIED = ("tests", "toolkit_data", "docs", "overrides", "mkdocs.yml", "package.json", "CONTRIBUTING.md")
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


@dataclass(frozen=True)
class Mutant:
    """One change mutmut made that no test noticed: the function it is in and the lines it changed."""

    module: str  # e.g. validate.py
    name: str  # mutmut's, e.g. tiptoolkit.validate.x_unique_ids__mutmut_7
    function: str  # e.g. unique_ids, or Coverage.gaps for a method
    removed: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def diff(self) -> str:
        return "\n".join([f"- {line}" for line in self.removed] + [f"+ {line}" for line in self.added])


@dataclass(frozen=True)
class Equivalent:
    """A survivor no test can kill, because nothing anyone sees can differ: the line as the mutant writes it."""

    module: str
    function: str
    mutant: str
    reason: str

    def covers(self, mutant: Mutant) -> bool:
        return (self.module, self.function, self.mutant.strip()) == (
            mutant.module,
            mutant.function,
            "\n".join(line.strip() for line in mutant.added),
        )


EQUIVALENTS = PROJECT / "tests" / "equivalent_mutants.yaml"


def equivalents() -> list[Equivalent]:
    import yaml

    return [Equivalent(**entry) for entry in yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or []]


@dataclass
class Score:
    """Mutants of one module by what became of them. A timeout counts as killed (the change made the tests hang);
    a mutant no test reaches counts as not killed; one the run did not reach (stopped early) is left out."""

    killed: int = 0
    timeout: int = 0
    survived: int = 0
    equivalent: int = 0  # survivors explained in tests/equivalent_mutants.yaml
    untested: int = 0
    unchecked: int = 0

    @property
    def percent(self) -> float:
        checked = self.killed + self.timeout + self.survived + self.equivalent + self.untested
        return 100 * (self.killed + self.timeout) / checked if checked else 100.0

    @property
    def percent_of_killable(self) -> float:
        killable = self.killed + self.timeout + self.survived + self.untested
        return 100 * (self.killed + self.timeout) / killable if killable else 100.0


def function_sources(mutated: Path) -> dict[str, list[str]]:
    """mutmut's copies of each function in a mutated module (`x_name__mutmut_orig`, `x_name__mutmut_3`...), as lines;
    a method's copies sit in its class, named `xǁClassǁmethod__mutmut_3`."""
    lines = mutated.read_text(encoding="utf-8").splitlines()
    tree = ast.parse("\n".join(lines))
    nodes = [n for top in tree.body for n in (top.body if isinstance(top, ast.ClassDef) else [top])]
    return {
        # the `def` line too (a default may be the change), with the copy's own name taken out
        n.name: [lines[n.lineno - 1].replace(n.name, "", 1), *lines[n.lineno : n.end_lineno]]
        for n in nodes
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and "__mutmut_" in n.name
    }


def mutant(module: str, name: str, sources: dict[str, list[str]]) -> Mutant:
    copy = name.rpartition(".")[2]
    original = re.sub(r"__mutmut_\d+$", "__mutmut_orig", copy)
    function = re.sub(r"__mutmut_\d+$", "", copy).removeprefix("x_").removeprefix("xǁ").replace("ǁ", ".")
    changed = list(difflib.ndiff(sources.get(original, []), sources.get(copy, [])))
    removed = tuple(line[2:].strip() for line in changed if line.startswith("- "))
    added = tuple(line[2:].strip() for line in changed if line.startswith("+ "))
    return Mutant(module, name, function, removed, added)


def results() -> tuple[dict[str, tuple[Score, list[Mutant]]], set[Equivalent]]:
    """Per mutated module: its score and its mutants neither killed nor explained, from mutmut's result files; and
    the explanations that matched a survivor."""
    from mutmut.stats import status_by_exit_code

    found: dict[str, tuple[Score, list[Mutant]]] = {}
    known, used = equivalents(), set()
    package = STAGING / "mutants" / "src" / "tiptoolkit"
    for meta in sorted(package.rglob("*.py.meta")):
        module = meta.relative_to(package).as_posix().removesuffix(".meta")
        sources = function_sources(package / module)
        score, survivors = found.setdefault(module, (Score(), []))
        for name, code in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].items():
            status = status_by_exit_code[code]
            if status in ("killed", "timeout"):
                setattr(score, status, getattr(score, status) + 1)
            elif status in ("survived", "no tests"):
                alive = mutant(module, name, sources)
                explained = [e for e in known if e.covers(alive)] if status == "survived" else []
                used.update(explained)
                if explained:
                    score.equivalent += 1
                else:
                    score.survived += status == "survived"
                    score.untested += status == "no tests"
                    survivors.append(alive)
            else:
                score.unchecked += 1
    return found, used


def report() -> str:
    found, used = results()
    lines = ["# Mutation testing report", ""]
    lines.append("| module | killed | timed out | survived | equivalent | no test reaches it | not run | score | "
                 "score, equivalents aside |")  # fmt: skip
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for module, (s, _) in found.items():
        counts = f"{s.killed} | {s.timeout} | {s.survived} | {s.equivalent} | {s.untested} | {s.unchecked}"
        lines.append(f"| {module} | {counts} | {s.percent:.1f}% | {s.percent_of_killable:.1f}% |")
    for module, (_, survivors) in found.items():
        lines += ["", f"## Survivors in {module}", ""]
        lines += [f"### {m.function} ({m.name})\n\n```diff\n{m.diff}\n```\n" for m in survivors] or ["None."]
    stale = [e for e in equivalents() if e.module in found and e not in used]
    if stale:
        lines += ["", f"## Explanations in {EQUIVALENTS.name} that match no survivor (remove or update them)", ""]
        lines += [f"- {e.module} {e.function}: `{e.mutant}`" for e in stale]
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
