"""The package's import graph: for each module, the katsaus modules it imports when it runs (at any place
in it; imports for type annotations only, under `if TYPE_CHECKING:`, are left out) and its levels: the
length of its longest chain of imports down to a module that imports none, which is printed last.

    .venv/bin/python scripts/import_graph.py        # one line per module, most imports first
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


def depths(edges: dict[str, set[str]]) -> dict[str, int]:
    """Levels of each module: 1 for one that imports no module of the package."""

    @functools.cache
    def depth(name: str) -> int:
        return 1 + max((depth(other) for other in edges[name]), default=0)

    sys.setrecursionlimit(10_000)
    return {name: depth(name) for name in edges}


def main() -> None:
    edges = graph()
    levels = depths(edges)
    for name in sorted(edges, key=lambda n: (-len(edges[n]), n)):
        names = ", ".join(sorted(edges[name]))
        print(f"{name:32} imports {len(edges[name]):2}  levels {levels[name]:2}  {names}")
    most, deepest = max(map(len, edges.values())), max(levels.values())
    print(f"\n{len(edges)} modules; at most {most} imports, {deepest} levels")
    chain = [max(levels, key=levels.get)]
    while edges[chain[-1]]:
        chain.append(max(edges[chain[-1]], key=levels.get))
    print("the longest chain: " + " -> ".join(chain))


if __name__ == "__main__":
    main()
