"""No import cycles anywhere in reader/: every module's imports, read from its source with ast.

Imports inside functions count (they run, only later); imports under ``if TYPE_CHECKING:`` do
not, since they never run. Importing ``reader.a.b`` also imports the packages ``reader`` and
``reader.a``, so those count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import reader

ROOT = Path(reader.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name ``tree`` imports, at any depth, outside ``if TYPE_CHECKING:``."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            found.add(base)
            # "from reader.core import store" imports the module reader.core.store.
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the reader modules it imports (with the packages they sit in)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for imported in _imported_names(tree, name, path.name == "__init__.py"):
            parts = imported.split(".")
            for end in range(1, len(parts) + 1):
                candidate = ".".join(parts[:end])
                if candidate in modules and candidate != name:
                    targets.add(candidate)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _loop(graph: dict[str, set[str]], group: list[str]) -> str:
    """One import loop through ``group``, as "a -> b -> a", to say where to cut."""
    members = set(group)
    start = group[0]
    path = [start]
    seen = {start}
    node = start
    while True:
        following = sorted(t for t in graph[node] if t in members)
        back = start if start in following else None
        if back is not None and len(path) > 1:
            return " -> ".join([*path, start])
        unseen = [t for t in following if t not in seen]
        if not unseen:
            return " <-> ".join(group)
        node = unseen[0]
        seen.add(node)
        path.append(node)


def test_the_graph_sees_local_imports_and_skips_type_checking_blocks() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import reader.core.models\n"
        "if TYPE_CHECKING:\n"
        "    from reader.ui.app import ReaderApp\n"
        "def later():\n"
        "    from reader.core import store\n"
    )
    names = _imported_names(ast.parse(source), "reader.x", False)
    assert "reader.core.models" in names and "reader.core.store" in names
    assert "reader.ui.app" not in names


def test_cycles_are_found_however_long_the_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert _loop(graph, ["a", "b", "c"]) == "a -> b -> c -> a"
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_reader_imports_itself_round_a_loop() -> None:
    graph = import_graph()
    assert "reader.ui.main_screen" in graph and "reader.core.store" in graph["reader.cli"]
    loops = [f"{_loop(graph, group)}  (in the loop: {', '.join(group)})" for group in cycles(graph)]
    assert loops == [], "import cycles:\n" + "\n".join(loops)
