"""forewarn's modules import each other without a cycle (issue 15).

Only imports that run when a module is imported count: those at module level, including the
bodies of top-level ``if``/``try``/``with`` statements and of classes, but not those inside
functions nor under ``if TYPE_CHECKING``. Importing ``a.b.c`` runs the ``__init__`` of ``a.b``
first, so it counts as importing that package too, unless the importer is inside it (then the
package is already being imported).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOT = "forewarn"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package)."""
    out: dict[str, tuple[Path, bool]] = {}
    for path in sorted((SRC / ROOT).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        out[".".join(parts)] = (path, package)
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_at_import(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    """The import statements that run when a module whose top level is ``body`` is imported."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            found += _run_at_import(node.orelse)
            if not _is_type_checking(node):
                found += _run_at_import(node.body)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                found += _run_at_import(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            found += _run_at_import(node.body)
    return found


def import_graph() -> dict[str, set[str]]:
    """forewarn module -> the forewarn modules it imports at import time."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, (path, package) in modules.items():
        here = name if package else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _run_at_import(ast.parse(path.read_text(encoding="utf-8")).body):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
                continue
            base = node.module or ""
            if node.level:  # relative: from the importer's package, one level up per extra dot
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.add(sub if sub in modules else base)
        edges: set[str] = set()
        for target in targets:
            parts = target.split(".")
            for i in range(1, len(parts) + 1):
                module = ".".join(parts[:i])
                inside = name == module or name.startswith(module + ".")
                if module in modules and module != ROOT and (i == len(parts) or not inside):
                    edges.add(module)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, …, a], or None when it has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if start in state:
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def test_forewarn_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_graph_holds_what_runs_at_import_and_nothing_else() -> None:
    graph = import_graph()
    assert "forewarn.who.tokens" in graph["forewarn.who.names"]
    assert "forewarn.model" in graph["forewarn.who"]
    # importing a module of another package runs that package's __init__ first
    assert "forewarn.detectors" in graph["forewarn.who.deaths"]
    # annotations only (under TYPE_CHECKING) and imports inside functions do not count
    assert not graph["forewarn.model"]


def test_a_cycle_is_found_and_shown() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]
