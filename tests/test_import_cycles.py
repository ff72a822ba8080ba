"""No import cycle among chempark's modules.

The layers contract (``lint-imports``) keeps dependencies pointing down between layers; inside a layer
(feature apps that read each other, an app's own modules) only this check keeps them one-way. It
counts every import, also those inside functions: a lazy import hides a cycle from Python's loader,
not from a reader, so a cycle broken only by laziness still fails here.
"""

from __future__ import annotations

import grimp


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components of ``graph`` (iterative: module chains can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root, targets in graph.items():
        if root in index:
            continue
        work = [(root, iter(sorted(targets)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                found.append(component)
    return found


def test_strongly_connected_finds_a_cycle_and_only_it() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [c for c in strongly_connected(graph) if len(c) > 1] == [{"a", "b", "c"}]


def test_no_import_cycle_among_chempark_modules() -> None:
    imports = grimp.build_graph("chempark")
    graph = {
        module: {
            imported
            for imported in imports.find_modules_directly_imported_by(module)
            if imported.startswith("chempark.")
        }
        for module in imports.modules
        if module.startswith("chempark")
    }
    for target in set().union(*graph.values()) - set(graph):
        graph[target] = set()
    cycles = sorted(sorted(c) for c in strongly_connected(graph) if len(c) > 1)
    assert not cycles, f"import cycles: {cycles}"
