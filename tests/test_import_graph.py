"""The import graph, read with ``ast`` from the sources (nothing is imported).

* Inside ``pages/`` no module imports, even from inside a function, a module that
  imports it back: enums, the week-menu builder and the query helpers are leaves, page
  reads are page methods, and ``selectors`` is read by other layers only.
* Between apps, the domain (every module but the interface: views, admin views, URLs,
  hooks, forms, serializers, app configs, demo data, commands and template tags) has
  no cycle: ``families`` may use ``catalogue``, never both ways. The domain of the
  private area never imports ``pages``, ``api`` or ``cms``.
* No module of the application is longer than about 600 lines (migrations apart).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pages", "espace_prive", "api", "cms")
INTERFACE_MODULES = {
    "access",
    "admin_access",
    "admin_forms",
    "admin_gate",
    "admin_snippets",
    "admin_views",
    "apps",
    "context_processors",
    "demo",
    "downloads",
    "forms",
    "serializers",
    "urls",
    "views",
    "wagtail_hooks",
}
INTERFACE_FOLDERS = {"management", "templatetags", "demo"}
MAX_LINES = 600
# Modules already too long when the limit was set, each split by its own issue; remove
# a line once the module is split. Nothing may be added here.
TOO_LONG_FOR_NOW = set()


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield _module_name(path), path


MODULES = dict(_sources())


def _imported_names(module, path):
    """Every module named by an import statement of ``path``, at any depth."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module
            for alias in node.names:  # ``from . import selectors`` names a module
                candidate = f"{prefix}.{alias.name}"
                yield candidate if candidate in MODULES else prefix


def _ours(name):
    """The module of ours that ``name`` is or lies in (None for a library)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(modules):
    graph = {}
    for module in modules:
        targets = {_ours(name) for name in _imported_names(module, MODULES[module])}
        graph[module] = {target for target in targets if target in modules and target != module}
    return graph


def find_cycle(graph):
    """One cycle of ``graph`` as a list of nodes (first == last), or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def _is_interface(module):
    parts = module.split(".")
    return parts[-1] in INTERFACE_MODULES or bool(INTERFACE_FOLDERS & set(parts[:-1]))


def app_of(module):
    """``espace_prive.families``, ``api.documents``, ``pages``… or, for a shared module
    at the top of a package, the module itself (``espace_prive.rgpd``)."""
    parts = module.split(".")
    if parts[0] in ("pages", "cms"):
        return parts[0]
    return ".".join(parts[:2])


def domain_app_graph():
    domain = {module for module in MODULES if not _is_interface(module)}
    graph = {}
    for module, targets in import_graph(domain).items():
        for target in targets:
            if app_of(module) != app_of(target):
                graph.setdefault(app_of(module), set()).add(app_of(target))
    return graph


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_tree():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_relative_imports_are_resolved_to_our_modules():
    graph = import_graph({name for name in MODULES if name.startswith("pages")})
    assert "pages.models.snippets" in graph["pages.models.news"]
    assert "pages.enums" in graph["pages.models.menus"]
    assert "pages.selectors" in graph["pages.apps"]  # ``from . import selectors``
    assert "pages.models" in graph["pages.selectors"]


def test_no_import_cycle_inside_pages():
    graph = import_graph({name for name in MODULES if name.split(".")[0] == "pages"})
    assert len(graph) > 20
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in pages/: " + " -> ".join(cycle)


def test_leaf_modules_of_pages_import_no_page_model():
    graph = import_graph({name for name in MODULES if name.split(".")[0] == "pages"})
    for leaf in ("pages.enums", "pages.weeks", "pages.week_menu", "pages.queries"):
        assert not {target for target in graph[leaf] if target.startswith("pages.models")}, leaf


def test_no_import_cycle_between_the_apps_domains():
    graph = domain_app_graph()
    assert "espace_prive.catalogue" in graph.get("pages", set())
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between apps: " + " -> ".join(cycle)


def test_the_private_domain_never_imports_the_public_site_the_api_or_the_project():
    domain = {
        module
        for module in MODULES
        if module.startswith("espace_prive.") and not _is_interface(module)
    }
    for module, targets in import_graph(set(MODULES)).items():
        if module in domain:
            outside = {target for target in targets if not target.startswith("espace_prive")}
            assert not outside, f"{module} imports {sorted(outside)}"


def test_no_module_is_longer_than_six_hundred_lines():
    too_long = {
        str(path.relative_to(ROOT))
        for path in MODULES.values()
        if len(path.read_text().splitlines()) > MAX_LINES
    }
    assert too_long <= TOO_LONG_FOR_NOW, f"over {MAX_LINES} lines: {sorted(too_long)}"
    still_listed = {
        name
        for name in TOO_LONG_FOR_NOW
        if not (ROOT / name).exists() or len((ROOT / name).read_text().splitlines()) <= MAX_LINES
    }
    assert not still_listed, f"split already, remove from TOO_LONG_FOR_NOW: {still_listed}"
