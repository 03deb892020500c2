"""The package's import graph: for each module, the katsaus modules it imports when it runs (at any place
in it; imports for type annotations only, under `if TYPE_CHECKING:`, are left out) and its levels: the
length of its longest chain of imports down to a module that imports none, which is printed last.

With --stages, the same of the stages: a stage package (inputs, figures, checks, ...) or a shared module
(period, plan, ...) imports another when one of its modules does; the stages' graph must have no cycle.

    .venv/bin/python scripts/import_graph.py [--stages]   # one line per module or stage, most imports first
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "katsaus"


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name (a package's __init__ by the package's name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The package's modules that the file at `path` imports."""
    names, tree = set(), ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            inner = {f"{node.module}.{alias.name}" for alias in node.names} & known
            names |= inner or {node.module}  # `from katsaus.figures import lines` imports lines
    return {name for name in names if name in known and name != "katsaus"}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) - {name} for name, path in found.items()}


def stages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph of the stages: katsaus.checks.gate is of the stage `checks`, katsaus.plan of `plan`."""

    def stage(name: str) -> str:
        return name.split(".")[1] if "." in name else name

    graph: dict[str, set[str]] = {}
    for name, imported in edges.items():
        graph.setdefault(stage(name), set()).update(stage(other) for other in imported)
    return {name: imported - {name} for name, imported in graph.items()}


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """A chain of imports that comes back to where it started, or []."""
    done: set[str] = set()

    def walk(name: str, path: list[str]) -> list[str]:
        if name in path:
            return path[path.index(name) :] + [name]
        if name in done:
            return []
        for other in sorted(edges[name]):
            if found := walk(other, [*path, name]):
                return found
        done.add(name)
        return []

    return next((found for name in sorted(edges) if (found := walk(name, []))), [])


def depths(edges: dict[str, set[str]]) -> dict[str, int]:
    """Levels of each module: 1 for one that imports no module of the package."""

    @functools.cache
    def depth(name: str) -> int:
        return 1 + max((depth(other) for other in edges[name]), default=0)

    sys.setrecursionlimit(10_000)
    return {name: depth(name) for name in edges}


def main() -> None:
    edges = stages(graph()) if "--stages" in sys.argv else graph()
    if looped := cycle(edges):
        sys.exit("a cycle of imports: " + " -> ".join(looped))
    levels = depths(edges)
    for name in sorted(edges, key=lambda n: (-len(edges[n]), n)):
        names = ", ".join(sorted(edges[name]))
        print(f"{name:32} imports {len(edges[name]):2}  levels {levels[name]:2}  {names}")
    most, deepest = max(map(len, edges.values())), max(levels.values())
    kind = "stages" if "--stages" in sys.argv else "modules"
    print(f"\n{len(edges)} {kind}; at most {most} imports, {deepest} levels")
    chain = [max(levels, key=levels.get)]
    while edges[chain[-1]]:
        chain.append(max(edges[chain[-1]], key=levels.get))
    print("the longest chain: " + " -> ".join(chain))


if __name__ == "__main__":
    main()
