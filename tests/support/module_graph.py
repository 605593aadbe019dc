"""The import graph of debrief's own modules, read from the source (nothing is imported).

    python tests/support/module_graph.py [ROOT]   # one line per module: what it imports; any cycle

ROOT defaults to this checkout; point it at another (a `git worktree` of an older
commit) to see that one's graph.

Every import counts, at module level or inside a function, except those under
`if TYPE_CHECKING:` (they never run). `from pkg import name` counts as an import of
`pkg.name` when that is a module, else of `pkg` itself. tests/test_architecture.py
checks this graph against the rules of docs/architecture.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("debrief", "translate", "summarize")


def module_name(path: Path, root: Path = REPO_ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = REPO_ROOT) -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {
        module_name(path, root): path
        for package in PACKAGES
        if (root / package).is_dir()
        for path in sorted((root / package).rglob("*.py"))
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imported_modules(path: Path, modules: dict[str, Path], name: str) -> set[str]:
    """The project modules that the module at `path` (called `name`) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            targets.add(submodule if submodule in modules else base)
    return {target for target in targets if target in modules and target != name}


def import_graph(root: Path = REPO_ROOT) -> dict[str, set[str]]:
    """module -> the project modules it imports."""
    modules = project_modules(root)
    return {name: imported_modules(path, modules, name) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def main(argv: list[str]) -> int:
    graph = import_graph(Path(argv[0]) if argv else REPO_ROOT)
    for module in sorted(graph):
        print(f"{module} -> {', '.join(sorted(graph[module])) or '(nothing)'}")
    cycle = find_cycle(graph)
    print("cycle: " + " -> ".join(cycle) if cycle else "no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
