"""The architecture rules, checked on source text (AST), so that a planted offender can be
shown to fail (tests/test_architecture.py).

Layers of ``analytics`` (each imports only layers below it; siblings on one level not at
all, except the leaves among themselves): leaves (errors, labels, fmt, access, sessions) -> plans ->
store -> ingest | rules -> views | exports -> demo -> cli_workspace -> cli. Besides: nothing in ``analytics`` imports streamlit or
``pages``; only ``analytics.store`` opens DuckDB; ``pages`` never import duckdb nor the
rules' internals; no private name is imported across modules; no import cycles.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LEVELS: dict[str, int] = {
    "errors": 0,
    "clock": 0,
    "labels": 0,
    "fmt": 0,
    "access": 0,
    "sessions": 0,
    "plans": 1,
    "store": 2,
    "ingest": 3,
    "rules": 3,
    "views": 4,
    "exports": 4,
    "demo": 5,
    "cli_workspace": 6,
    "cli": 7,
    "__main__": 8,
}
# What pages may not reach into: SQL building blocks of the rules (pages call views,
# exports, the shortlist and deadlines, never the pieces the engine is built of).
RULES_INTERNALS = ("analytics.rules.measures", "analytics.rules.criteria", "analytics.rules.params")


@dataclass(frozen=True)
class Violation:
    module: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.message}"


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def sources(root: Path = ROOT) -> dict[str, str]:
    """Every module of analytics/ and pages/ (and app.py) by dotted name."""
    files = [*sorted((root / "analytics").rglob("*.py")), *sorted((root / "pages").glob("*.py"))]
    files.append(root / "app.py")
    return {module_name(f, root): f.read_text(encoding="utf-8") for f in files}


def _resolve(name: str, imported: str | None, modules: set[str]) -> str:
    """``from name import imported``: the submodule if ``imported`` is one, else ``name``."""
    if imported and f"{name}.{imported}" in modules:
        return f"{name}.{imported}"
    return name


def imports_of(module: str, text: str, modules: set[str]) -> list[tuple[str, int, str | None]]:
    """(imported module, line, imported name or None) for every import, nested ones too."""
    out: list[tuple[str, int, str | None]] = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                out.append((_resolve(node.module, a.name, modules), node.lineno, a.name))
    return out


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "analytics" or len(parts) < 2:
        return None
    return parts[1]


def _private_attributes(module: str, text: str, modules: set[str]) -> list[Violation]:
    """``m._name`` where ``m`` is a project module imported under that name."""
    tree = ast.parse(text)
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                target = _resolve(node.module, a.name, modules)
                if target in modules and target != node.module:
                    aliases[a.asname or a.name] = target
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in modules and a.asname:
                    aliases[a.asname] = a.name
    return [
        Violation(
            module, node.lineno, f"private name {node.attr} used from {aliases[node.value.id]}"
        )
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]


def violations(files: dict[str, str]) -> list[Violation]:
    """Every breach of the architecture rules in ``files`` (module name -> source)."""
    modules = set(files)
    found: list[Violation] = []
    graph: dict[str, set[str]] = {m: set() for m in files}
    for module, text in files.items():
        layer = _layer(module)
        for target, line, name in imports_of(module, text, modules):
            top = target.split(".")[0]
            if module.startswith("analytics") and top in ("streamlit", "pages"):
                found.append(Violation(module, line, f"analytics imports {target}"))
            if module.startswith(("pages", "app")):
                if top == "duckdb":
                    found.append(Violation(module, line, "a page imports duckdb"))
                if target.startswith(RULES_INTERNALS):
                    found.append(Violation(module, line, f"a page imports {target}"))
            is_module = target.endswith(f".{name}")  # `from pages import _ui`: a module itself
            if name and name.startswith("_") and not name.startswith("__") and not is_module:
                found.append(Violation(module, line, f"private name {name} imported from {target}"))
            if target in modules and target != module:
                graph[module].add(target)
            if layer is None or not target.startswith("analytics."):
                continue
            other = _layer(target)
            if other is None or other == layer or other not in LEVELS or layer not in LEVELS:
                continue
            if LEVELS[other] > LEVELS[layer] or (LEVELS[other] == LEVELS[layer] and LEVELS[layer]):
                found.append(
                    Violation(
                        module, line, f"layer {layer} may not import {target} (layer {other})"
                    )
                )
        found += _private_attributes(module, text, modules)
        if module.startswith("analytics") and not module.startswith("analytics.store"):
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.Call) and ast.unparse(node.func) == "duckdb.connect":
                    found.append(Violation(module, node.lineno, "opens DuckDB outside store"))
    found += _cycles(graph)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[Violation]:
    """One violation per import cycle found (depth-first search)."""
    found: list[Violation] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycle = stack[stack.index(n) :] + [n]
                found.append(Violation(m, 0, "import cycle: " + " -> ".join(cycle)))
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found
