#!/usr/bin/env python3
"""Counts import cycles between the crate's top-level modules (issue 11 wants none), as a printed figure.

A top-level module is a file or folder directly under src/ (`atlas`, `dns`, `notebook`, ...). Module A
depends on B when a file of A names `crate::B` (in a `use`, a path or a `use crate::{B, ...}` group).
Tests are included: a `#[cfg(test)]` dependency still ties the modules' builds together. The cycles are
the strongly connected components of more than one module (Tarjan's algorithm); each is printed with
the edges inside it, so the way to break it is visible.
"""
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
SHELL_FILES = {"lib.rs", "main.rs"}


def top_level_modules():
    modules = set()
    for entry in SRC.iterdir():
        if entry.is_dir() and entry.name != "bin":
            modules.add(entry.name)
        elif entry.suffix == ".rs" and entry.name not in SHELL_FILES:
            modules.add(entry.stem)
    return modules


def module_of(path):
    relative = path.relative_to(SRC)
    first = relative.parts[0]
    return first[:-3] if first.endswith(".rs") else first


def dependencies(modules):
    edges = {module: set() for module in modules}
    single = re.compile(r"crate::([a-z_][a-z0-9_]*)")
    group = re.compile(r"crate::\{([^}]*)\}", re.S)
    for path in SRC.rglob("*.rs"):
        if path.name in SHELL_FILES and path.parent == SRC or "bin" in path.relative_to(SRC).parts[:1]:
            continue
        source = module_of(path)
        if source not in modules:
            continue
        text = path.read_text(encoding="utf-8")
        names = set(single.findall(text))
        for inner in group.findall(text):
            names.update(re.findall(r"(?:^|[\s,{])([a-z_][a-z0-9_]*)", inner))
        for name in names:
            if name in modules and name != source:
                edges[source].add(name)
    return edges


def strongly_connected(edges):
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for next_node in sorted(edges[node]):
            if next_node not in index:
                visit(next_node)
                low[node] = min(low[node], low[next_node])
            elif next_node in on_stack:
                low[node] = min(low[node], index[next_node])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


def main():
    modules = top_level_modules()
    edges = dependencies(modules)
    cycles = [component for component in strongly_connected(edges) if len(component) > 1]
    for component in cycles:
        inside = [f"{a}->{b}" for a in component for b in sorted(edges[a]) if b in component]
        print(f"module cycle: {' '.join(component)} ({len(inside)} edges: {', '.join(inside)})")
    tangled = sum(len(component) for component in cycles)
    print(f"module cycles: {len(cycles)} cycle(s) tying {tangled} of {len(modules)} top-level modules "
          f"(issue 11 aims for 0)")


if __name__ == "__main__":
    main()
