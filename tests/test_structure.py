"""The package's shape: no import cycle between convguard's own modules.

Every module under src/convguard is parsed with ``ast`` (nothing is imported), and every import
statement counts -- at module level, inside functions, under ``if TYPE_CHECKING`` alike -- since
a function-level import only hides a cycle, it does not remove it.  An edge from a module to the
package that contains it is left out: Python always runs a package's ``__init__`` before its
submodules, so ``from . import sibling`` depends on the sibling, not on the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "convguard"

#: cycles that are known and accepted, each as the sorted tuple of its modules, with the reason;
#: empty: there is none
ALLOWED_CYCLES: dict[tuple[str, ...], str] = {}


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's ``__init__``)."""
    out = {}
    for p in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(p.relative_to(SRC).with_suffix("").parts)
        is_pkg = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_pkg else parts)] = (p, is_pkg)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the convguard modules it imports anywhere in its source."""
    mods = _modules()

    def owner(name: str) -> str | None:  # the module a dotted name lives in (a.b.attr -> a.b)
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, (path, is_pkg) in mods.items():
        package = name.split(".") if is_pkg else name.split(".")[:-1]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                # `from pkg import sub` depends on pkg.sub when that is a module, else on pkg
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for t in targets:
                m = owner(t)
                if m and m != name and not name.startswith(m + "."):
                    deps.add(m)
        graph[name] = deps
    return graph


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(tuple(sorted(comp)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_function_level_imports():
    g = import_graph()
    assert "convguard.guard" in g["convguard.evaluation"]  # score_bundle imports Guard inside the function
    assert "convguard.report" in g["convguard.eval_cli"]  # every import there is function-level
    assert "convguard.datagen.banks_long" in g["convguard.datagen.banks_crisis"]  # `from . import banks_long`
    assert not any(d == "convguard.datagen" for d in g["convguard.datagen.banks_crisis"])


def test_no_import_cycle_between_convguard_modules():
    graph = import_graph()
    bad = [c for c in cycles(graph) if c not in ALLOWED_CYCLES]
    detail = ["  " + ", ".join(f"{a} -> {sorted(d for d in graph[a] if d in c)}" for a in c) for c in bad]
    assert not bad, "import cycles in src/convguard:\n" + "\n".join(detail)


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [("a", "b", "c")]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_report_replay_and_sweeping_import_one_way():
    g = import_graph()
    for a, b in (("report", "replay"), ("report", "sweeping"), ("sweeping", "replay")):
        assert f"convguard.{b}" in g[f"convguard.{a}"]
        assert f"convguard.{a}" not in g[f"convguard.{b}"], f"{b} imports {a}"
