"""The layering of ARCHITECTURE.md, checked by reading every module's imports (no importing).

Every import counts, including those inside functions (a lazy import is still a cycle).
``if TYPE_CHECKING:`` imports never run, so cycles and the pure core ignore them; the rule
that resources do not know the client counts them too.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "clopos_async"

# The pure core: no I/O, no clock of its own; tested without a server.
PURE_CORE = (
    "_version", "credentials", "display", "dumping", "endpoints", "errors", "idempotency",
    "models", "query", "quota_headers", "serde", "shown", "timeout", "timestamps",
    "validators", "versions", "wire",
)  # fmt: skip
# What the pure core may never reach, directly or through another module.
ABOVE_CORE = (
    "auth", "cli", "client", "config", "export", "hooks", "pagination", "ratelimit", "reply",
    "requester", "resources", "retry", "testing", "transport",
)  # fmt: skip
# Modules allowed to import aiohttp: the transport, the client (to accept a session), and
# the fake server with the CLI command that runs it.
AIOHTTP_ALLOWED = ("transport", "client", "testing", "cli.fake_server")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST, typing: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if not typing and isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in _import_nodes_of(child, typing))
            continue
        yield from _import_nodes_of(node, typing)


def _import_nodes_of(node: ast.AST, typing: bool) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    else:
        yield from _import_nodes(node, typing)


def _imports(module: str, path: Path, modules: set[str], typing: bool) -> set[str]:
    """The package modules (and ``aiohttp``) that ``module`` imports ("" is the package)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8")), typing):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found.update("aiohttp" for name in names if name.split(".")[0] == "aiohttp")
            found.update(name.removeprefix("clopos_async").lstrip(".") for name in names
                         if name.split(".")[0] == "clopos_async")
            continue
        if node.level:
            anchor = package.split(".") if package else []
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, node.module] if node.module else anchor)
        elif (node.module or "").split(".")[0] == "clopos_async":
            base = (node.module or "").removeprefix("clopos_async").lstrip(".")
        else:
            if (node.module or "").split(".")[0] == "aiohttp":
                found.add("aiohttp")
            continue
        for alias in node.names:
            # `from . import x` names a submodule or an attribute of the package.
            candidate = f"{base}.{alias.name}" if base else alias.name
            found.add(candidate if candidate in modules else base)
    return {name for name in found if name in modules or name == "aiohttp"} - {module}


@functools.cache
def import_graph(*, typing: bool = False) -> dict[str, set[str]]:
    """Module -> the modules it imports when run (``typing``: or when type-checked)."""
    paths = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {module: _imports(module, path, modules, typing) for module, path in paths.items()}


def _within(module: str, areas: tuple[str, ...]) -> bool:
    return any(module == area or module.startswith(area + ".") for area in areas)


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_graph_sees_the_package() -> None:
    graph = import_graph()
    assert {"client", "transport", "resources.orders", "versions"} <= set(graph)
    assert "transport" in graph["client"] and "aiohttp" in graph["transport"]
    # A function-level import is an edge too.
    assert "testing" in graph["cli.fake_server"]


def test_no_import_cycles() -> None:
    cycles = set(_cycles(import_graph()))
    assert cycles == set(), "import cycles: " + "; ".join(
        " <-> ".join(sorted(c)) for c in cycles
    )


@pytest.mark.parametrize("module", sorted(m for m in import_graph() if _within(m, PURE_CORE)))
def test_pure_core_reaches_nothing_above_it(module: str) -> None:
    graph = import_graph()
    reached = _reachable(graph, module)
    above = sorted(m for m in reached if _within(m, ABOVE_CORE) or m == "aiohttp")
    assert above == [], f"{module} (pure core) reaches {above}"


def test_resources_never_import_the_client() -> None:
    # Not even for type hints: resources know a `Requester`, never the client class.
    graph = import_graph(typing=True)
    for module in graph:
        if _within(module, ("resources",)):
            assert "client" not in _reachable(graph, module), module


def test_only_the_transport_layer_imports_aiohttp() -> None:
    graph = import_graph()
    importers = sorted(m for m, targets in graph.items() if "aiohttp" in targets)
    assert [m for m in importers if not _within(m, AIOHTTP_ALLOWED)] == []


def test_the_fake_server_is_independent_of_the_sdk() -> None:
    graph = import_graph(typing=True)
    for module in graph:
        if _within(module, ("testing",)):
            outside = sorted(m for m in _reachable(graph, module)
                             if m != "aiohttp" and not _within(m, ("testing",)))
            assert outside == [], f"{module} reaches {outside}"
