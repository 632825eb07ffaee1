"""The package's imports flow one way: no circle, no arrow back up.

Read from the source (every import statement, those inside functions
too: an import deferred to run time is still a dependency), module by
module and between the package's parts, where a subpackage counts as
one part: ``formatting`` importing ``errors`` while ``errors`` imports
``formatting`` is a circle even when no two modules close it.
"""

import ast
import pathlib

import pytest

import watcherclient_ext

PACKAGE = pathlib.Path(watcherclient_ext.__file__).parent
ROOT = PACKAGE.name
#: Layers below the commands: they never import one.
BELOW_COMMANDS = (f"{ROOT}.api", f"{ROOT}.bus")


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported_names(source):
    """Every name an import statement of ``source`` loads."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in MODULES else node.module


def own_module(name):
    """The package's module that importing ``name`` loads, or None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def module_graph():
    """{module: the package's modules it imports}."""
    graph = {}
    for name, path in MODULES.items():
        found = {own_module(target)
                 for target in imported_names(path.read_text())}
        graph[name] = found - {None, name}
    return graph


def part(module):
    """A subpackage or top-level module: ``watcherclient_ext.bus``."""
    return ".".join(module.split(".")[:2])


def part_graph(graph):
    parts = {}
    for module, targets in graph.items():
        parts.setdefault(part(module), set()).update(
            part(target) for target in targets if part(target) != part(module))
    return parts


def circles(graph):
    """One circle through each node that is on one, as a list of nodes."""
    found = []
    for start in sorted(graph):
        paths = [[start]]
        seen = set()
        while paths:
            path = paths.pop()
            for target in sorted(graph.get(path[-1], ())):
                if target == start:
                    found.append(path + [start])
                    paths = []
                    break
                if target not in seen:
                    seen.add(target)
                    paths.append(path + [target])
    return found


def test_the_circle_finder_finds_a_circle_and_only_one():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    graph = module_graph()
    # formatting.display imports its JSON codec only when it renders.
    assert f"{ROOT}.formatting.jsontext" in graph[f"{ROOT}.formatting.display"]


@pytest.mark.parametrize("graph", [
    pytest.param(module_graph(), id="modules"),
    pytest.param(part_graph(module_graph()), id="parts"),
])
def test_no_import_circle(graph):
    assert [" -> ".join(circle) for circle in circles(graph)] == []


def test_api_and_bus_never_import_the_commands():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in module_graph().items()
        if module.startswith(BELOW_COMMANDS)
        for target in targets if part(target) == f"{ROOT}.commands")
    assert upward == []
