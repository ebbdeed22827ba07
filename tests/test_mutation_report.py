"""`make mutation`'s report: survivors read from mutmut's mutated source, and the explanations of equivalent mutants
(tests/equivalent_mutants.yaml) kept true to the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mutation

PACKAGE = Path(mutation.__file__).parent / "tiptoolkit"

MUTATED = '''
def x_label__mutmut_orig(n):
    """Docstring."""
    return f"Article {n}"

def x_label__mutmut_1(n):
    """Docstring."""
    return f"XXArticle {n}XX"

def x_steps__mutmut_orig(ds, limit=5):
    return ds[:limit]

def x_steps__mutmut_1(ds, limit=6):
    return ds[:limit]

class Kit:
    def xǁKitǁtitle__mutmut_orig(self):
        return self.name or "kit"

    def xǁKitǁtitle__mutmut_2(self):
        return self.name and "kit"
'''


def test_a_survivor_is_read_as_its_function_and_the_lines_it_changed(tmp_path: Path):
    mutated = tmp_path / "analysis.py"
    mutated.write_text(MUTATED, encoding="utf-8")
    sources = mutation.function_sources(mutated)
    one = mutation.mutant("analysis.py", "tiptoolkit.analysis.x_label__mutmut_1", sources)
    assert (one.function, one.removed, one.added) == (
        "label",
        ('return f"Article {n}"',),
        ('return f"XXArticle {n}XX"',),
    )
    assert one.diff == '- return f"Article {n}"\n+ return f"XXArticle {n}XX"'
    default = mutation.mutant("analysis.py", "tiptoolkit.analysis.x_steps__mutmut_1", sources)
    assert default.diff == "- def (ds, limit=5):\n+ def (ds, limit=6):"  # a default changed in the `def` line
    method = mutation.mutant("analysis.py", "tiptoolkit.analysis.xǁKitǁtitle__mutmut_2", sources)
    assert (method.function, method.added) == ("Kit.title", ('return self.name and "kit"',))
    explained = mutation.Equivalent("analysis.py", "Kit.title", 'return self.name and "kit"', "why")
    assert explained.covers(method) and not explained.covers(one)
    assert not mutation.Equivalent("validate.py", "Kit.title", 'return self.name and "kit"', "why").covers(method)


def test_a_score_counts_a_timeout_as_killed_and_equivalents_apart():
    score = mutation.Score(killed=80, timeout=5, survived=10, equivalent=5, untested=0)
    assert score.percent == pytest.approx(85.0)
    assert score.percent_of_killable == pytest.approx(85 / 95 * 100)


@pytest.mark.parametrize("entry", mutation.equivalents(), ids=lambda e: f"{e.module}:{e.function}")
def test_each_equivalent_mutant_names_a_function_of_a_mutated_module_and_says_why(entry: mutation.Equivalent):
    modules = {target.module for target in mutation.TARGETS.values()}
    assert entry.module in modules
    tree = ast.parse((PACKAGE / entry.module).read_text(encoding="utf-8"))
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    methods = {f"{c.name}.{n.name}" for c in tree.body if isinstance(c, ast.ClassDef) for n in c.body if isinstance(n, ast.FunctionDef)}  # fmt: skip
    assert entry.function in functions | methods
    assert len(entry.reason.split()) >= 5 and entry.mutant.strip()
