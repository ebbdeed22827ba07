"""The package's shape: imports go one way (no cycle between its modules, lazy imports included), no module reaches
into another's private names, and nothing in the data layer or the views imports an engine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "tiptoolkit"
ENGINES = ("weasyprint", "mkdocs", "material", "jinja2", "pydyf", "zensical", "docx", "openpyxl")
ENGINE_FREE = ("model", "load", "dataset", "validate", "analysis", "views")  # modules, or packages by name


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module a `from ... import` names (relative levels resolved against `module`)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(module: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) of every import in `module`, at any depth."""
    found = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, node)
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.append(
                    (submodule, None, node.lineno) if submodule in MODULES else (target, alias.name, node.lineno)
                )
    return found


def graph() -> dict[str, set[str]]:
    return {
        module: {target for target, _name, _line in imports(module) if target in MODULES and target != module}
        for module in MODULES
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_the_package_modules():
    assert cycles(graph()) == []


def test_no_private_name_is_imported_across_modules():
    """`from .render import _fetcher` or `render._fetcher()` from another module: the name is not meant for it."""
    reaching = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = {}  # local name -> package module it names
        for target, name, line in imports(module):
            if target in MODULES and name and name.startswith("_") and not name.startswith("__"):
                reaching.append(f"{module}:{line} imports {target}.{name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = resolve(module, node)
                for alias in node.names:
                    if f"{target}.{alias.name}" in MODULES:
                        bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                reaching.append(f"{module}:{node.lineno} uses {bound[node.value.id]}.{node.attr}")
    assert reaching == []


@pytest.mark.parametrize("layer", ENGINE_FREE)
def test_data_layer_and_views_import_no_engine(layer: str):
    prefix = f"tiptoolkit.{layer}"
    modules = [m for m in MODULES if m == prefix or m.startswith(prefix + ".")]
    assert modules, f"no module {prefix}"
    reached = set()
    todo = list(modules)
    while todo:  # everything the layer imports, directly or through other package modules
        module = todo.pop()
        if module in reached:
            continue
        reached.add(module)
        todo += [target for target, _name, _line in imports(module) if target in MODULES]
    offending = [
        f"{module} imports {target}"
        for module in sorted(reached)
        for target, _name, _line in imports(module)
        if target.split(".")[0] in ENGINES or target.startswith(("tiptoolkit.pdf", "tiptoolkit.site"))
    ]
    assert offending == []


def test_functions_fit_on_a_screen():
    """No function longer than 80 lines, unless a comment beside its definition says why."""
    long = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                reason = "# long:" in lines[node.lineno - 1]
                if length > 80 and not reason:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert long == []
