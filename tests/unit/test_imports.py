"""The package's imports flow one way: no circle, no arrow back up.

Read from the source (every import statement, those inside functions
too: an import deferred to run time is still a dependency), module by
module and between the package's parts, where a subpackage counts as
one part: ``formatting`` importing ``errors`` while ``errors`` imports
``formatting`` is a circle even when no two modules close it.
"""

import ast
import pathlib
import re

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


API = PACKAGE / "api"
#: An option as a user types it: ``--force``, ``--os-api-timeout``.
OPTION = re.compile(r"(?<![\w-])--[a-z]")


def texts(source):
    """Every string constant of ``source`` but its docstrings."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_the_text_finder_skips_docstrings_only():
    found = texts('"""--doc"""\ndef f():\n    """--doc"""\n'
                  '    return f"--{x}" + "--force"\n')
    assert [text for text in found if OPTION.search(text)] == ["--force"]


def test_the_api_layer_names_no_option():
    """api/ speaks of requests and settings; the commands name options
    (errors.REMEDIES)."""
    named = sorted(
        f"{path.name}: {text!r}" for path in API.rglob("*.py")
        for text in texts(path.read_text()) if OPTION.search(text))
    assert named == []


def test_every_remedy_named_below_the_commands_is_told_by_them():
    from watcherclient_ext import errors
    from watcherclient_ext.commands import base  # noqa: F401 (fills it)

    named = {keyword.value.value
             for path in MODULES.values()
             for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call)
             for keyword in node.keywords
             if keyword.arg == "remedy"
             and isinstance(keyword.value, ast.Constant)
             and keyword.value.value is not None}
    assert named and named <= set(errors.REMEDIES)
