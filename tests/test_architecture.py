"""
The import graph of the project's packages: no cycle between files, and one direction.

Every import counts, the ones inside functions too (an import moved into a function to dodge
a cycle is still a cycle). Read from the source with `ast`, nothing is imported.
"""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom: a package may import its own layer's modules only within itself, and lower
# layers freely. The most specific prefix decides a module's layer.
LAYERS = [
    # HTTP plumbing and the project package: settings, URLs, caching, throttling, sync, schema.
    ["api"],
    # The relevance suite: a development tool that loads its judged collections as content
    # files, through the importer.
    ["relevance"],
    # Features beside the content: consultation enquiries, publishing events, content files'
    # import and export and the demo loader.
    ["enquiries", "webhooks", "transfer"],
    # Content apps: a content type each (articles and FAQs, research, glossary); never each other.
    ["articles", "research", "glossary"],
    # Hanging off the kernel, never each other: workflow, review and write services; the search
    # index; content's answers stored as rendered.
    ["editorial", "search", "representations"],
    # The content kernel: publishable base, serializers, filters, viewset, JSON-LD.
    ["content"],
    # Conditions, topics, synonyms and safety notices: entries themselves, which content is
    # tagged with.
    ["taxonomy"],
    # The entry machinery tags and content share: versions, the row lock, history, Markdown,
    # serializers, filters, the slug-lookup viewset, references, the admin's history. Writes
    # reach editorial's services through the seam editorial plugs them into
    # (entries/writing.py).
    ["entries"],
    # The media library.
    ["images"],
    # What every app's HTTP interface shares: problem details, strict fields, permissions,
    # cache tags.
    ["apibase"],
    ["telemetry"],
    # Publishing records: reviewers and sign-offs, translations' states, slug redirects, the
    # content generation and the change log. Whatever changes public content logs it here (api
    # caching and sync, webhooks, search and the media library read or write it); editorial's
    # workflow and services work on the rest.
    ["publishing"],
    # The registry of content types is data that anything may read.
    ["content.registry"],
]
PACKAGES = sorted({prefix.split(".")[0] for layer in LAYERS for prefix in layer})


def module_name(path, root):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root, packages):
    """Return {module name: path} of every .py in the packages, migrations left out."""
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path, root)] = path
    return modules


def imports_of(name, path, modules):
    """Return the project modules `name` imports, at any depth of its code."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def known(candidate):
        # The module itself, or the package holding a name imported from it.
        while candidate:
            if candidate in modules:
                return candidate
            candidate = candidate.rpartition(".")[0]
        return None

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {known(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found |= {known(f"{base}.{alias.name}") or known(base) for alias in node.names}
    return found - {None, name}


def import_graph(root, packages):
    modules = project_modules(root, packages)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph):
    """Return the strongly connected groups of more than one module (Tarjan), sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def layer_of(module):
    """Return the position of the layer whose prefix holds `module` most specifically."""
    matches = [
        (len(prefix), position)
        for position, layer in enumerate(LAYERS)
        for prefix in layer
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1]


def violations(graph):
    """Return (importer, imported) pairs that point up, or across a layer between packages."""
    found = set()
    for importer, targets in graph.items():
        importer_layer = layer_of(importer)
        for target in targets:
            target_layer = layer_of(target)
            same_package = target.split(".")[0] == importer.split(".")[0]
            if target_layer > importer_layer or (target_layer == importer_layer and same_package):
                continue
            found.add((importer, target))
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT, PACKAGES)


def test_no_module_imports_itself_back_through_others(graph):
    assert cycles(graph) == []


def test_imports_point_down_the_layers(graph):
    assert violations(graph) == set(), "imports against the direction"


def test_every_package_has_a_layer():
    top_level = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if path.parent.name not in {"tests", "bench", "demo"}
    }
    assert top_level <= set(PACKAGES)


def test_every_package_says_what_it_is_for():
    """Each package's __init__.py opens with a docstring: what the room holds and where it sits."""
    silent = [
        package
        for package in PACKAGES
        if not ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text()))
    ]
    assert silent == []


def readme_layout():
    """Return {folder: what README's Layout says of it}."""
    layout = (ROOT / "README.md").read_text().split("## Layout\n\n```\n", 1)[1]
    entries, folder = {}, None
    for line in layout.split("```", 1)[0].splitlines():
        first = line.split()[0] if line.split() else ""
        if not line.startswith(" "):
            folder = first.removesuffix("/") if first.endswith("/") else None
            if folder:
                entries[folder] = line.removeprefix(first)
        elif folder:
            entries[folder] += " " + line.strip()
    return entries


def test_the_readme_layout_names_every_folder_and_no_other():
    """README's Layout lists each top-level folder git tracks, and only those."""
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(  # noqa: S603 (git, fixed arguments)
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    folders = {line.split("/")[0] for line in tracked.stdout.splitlines() if "/" in line}
    assert set(readme_layout()) == folders


def test_the_readme_layout_lists_the_packages_in_the_order_of_the_layers():
    """README says its packages are listed top to bottom: in the order of LAYERS."""
    layered = list(dict.fromkeys(prefix.split(".")[0] for layer in LAYERS for prefix in layer))
    assert [folder for folder in readme_layout() if folder in PACKAGES] == layered


def test_the_files_the_readme_layout_names_are_there():
    missing = [
        (folder, name)
        for folder, text in readme_layout().items()
        for name in re.findall(r"[\w./-]+\.(?:py|yaml|json)\b|[\w-]+/(?=[\s,)])", text)
        if not (ROOT / name).exists() and not any((ROOT / folder).rglob(name.rstrip("/")))
    ]
    assert missing == []


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_cycle_through_a_function_level_import_is_found(tmp_path):
    write(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/models.py": "from shop.prices import price\n",
            "shop/prices.py": "def price():\n    from shop import models\n",
            "shop/views.py": "from .models import price\n",
        },
    )
    assert cycles(import_graph(tmp_path, ["shop"])) == [["shop.models", "shop.prices"]]


def test_imports_up_the_layers_and_between_content_apps_are_found(tmp_path):
    write(
        tmp_path,
        {
            "api/__init__.py": "",
            "api/urls.py": "from content import models\n",
            "content/__init__.py": "",
            "content/models.py": "def f():\n    from api.urls import urlpatterns\n",
            "articles/__init__.py": "",
            "articles/models.py": "from content.models import f\nfrom research import models\n",
            "research/__init__.py": "",
            "research/models.py": "from content import registry\n",
            "content/registry.py": "",
        },
    )
    graph = import_graph(tmp_path, ["api", "articles", "content", "research"])
    assert violations(graph) == {
        ("content.models", "api.urls"),
        ("articles.models", "research.models"),
    }
