"""The project's own import graph, read from the source: circles and imports inside functions.

`python -m tests.dependencies` prints both; tests/test_dependencies.py holds the code to them.
Every import counts, module level or inside a function, since a circle hidden in a function
is still a circle. Migrations are left out (they import what they name when they were written),
and so are the imports in an `AppConfig.ready()` (the one place Django asks for them).
"""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("catalogue", "search", "marketplace", "themes", "config")


@dataclass(frozen=True)
class LocalImport:
    module: str
    line: int
    target: str
    reason: str  # the comment on the line above or at the end of the import line


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules():
    """Module name → path for every first-party module outside migrations."""
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def _resolve(module, is_package, node):
    """Absolute names an Import/ImportFrom node brings in (module and, for `from x import y`, x.y)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


class _Visitor(ast.NodeVisitor):
    def __init__(self, module, is_package, lines):
        self.module, self.is_package, self.lines = module, is_package, lines
        self.stack = []  # enclosing class/function nodes
        self.imports = []  # (names, node, inside_function)

    def _scoped(self, node):
        self.stack.append(node)
        self.generic_visit(node)
        self.stack.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scoped

    def _import(self, node):
        functions = [n for n in self.stack if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        in_ready = (
            len(self.stack) >= 2
            and isinstance(self.stack[-1], ast.FunctionDef)
            and self.stack[-1].name == "ready"
            and isinstance(self.stack[-2], ast.ClassDef)
        )
        self.imports.append((_resolve(self.module, self.is_package, node), node, bool(functions) and not in_ready))

    visit_Import = visit_ImportFrom = _import

    def reason(self, node):
        line = self.lines[node.lineno - 1]
        if "#" in line:
            return line.split("#", 1)[1].strip()
        above = self.lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        return above[1:].strip() if above.startswith("#") else ""


def read_graph():
    """(edges: module → set of first-party modules it imports, local imports inside functions)."""
    modules = source_modules()
    edges, local = {}, []
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        visitor = _Visitor(module, path.name == "__init__.py", source.splitlines())
        visitor.visit(ast.parse(source, filename=str(path)))
        targets = edges.setdefault(module, set())
        for names, node, inside in visitor.imports:
            # `from package import name` imports the submodule when there is one, else the package.
            hit = [n for n in names[1:] if n in modules] or [n for n in names[:1] if n in modules]
            for target in hit:
                if target != module:
                    targets.add(target)
            if inside and names[0].split(".")[0] in APPS:
                local.append(LocalImport(module, node.lineno, names[0], visitor.reason(node)))
    return edges, local


def circles(edges):
    """Strongly connected groups of two or more modules (Tarjan), each sorted."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
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

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def report():
    edges, local = read_graph()
    groups = circles(edges)
    return groups, local


def main():
    groups, local = report()
    print(f"circles: {len(groups)}")
    for group in groups:
        print("  " + " ↔ ".join(group))
    print(f"first-party imports inside functions (outside AppConfig.ready): {len(local)}")
    for item in local:
        print(f"  {item.module}:{item.line} {item.target}  # {item.reason or '(no reason given)'}")


if __name__ == "__main__":
    main()
