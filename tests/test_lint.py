"""The code keeps the shape pyproject.toml and STYLE.md set for it: ruff (style, imports,
complexity), ruff's formatting, mypy strict, functions and modules of a readable size, and
imports that follow the pipeline (a stage imports only earlier stages)."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "build_tools"
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400

# The pipeline's layers, earliest first: a module imports build_tools modules of a lower rank
# or of its own layer only. A layer is a sub-package of build_tools (lang, design and the
# top-level modules of rank 0 are one layer, as are those of rank 7).
LAYERS: dict[str, tuple[int, tuple[str, ...]]] = {
    # interrupt.py: Ctrl+C and SIGTERM as an exception, which the writers hold and the command reports.
    "foundation": (
        0,
        (
            "errors.py",
            "markup.py",
            "model.py",
            "ids.py",
            "textpos.py",
            "interrupt.py",
            "libraries.py",
            "lang",
            "design",
        ),
    ),
    "sources": (1, ("sources",)),
    "index": (2, ("index",)),
    "parse": (3, ("parse",)),
    "layout": (4, ("layout",)),
    "writers": (5, ("writers",)),
    "checks": (5, ("checks",)),
    "preview": (6, ("preview",)),
    "importing": (6, ("importing",)),  # book new and book import: they read sources, parse back
    "command": (7, ("build.py", "cli.py", "entry.py", "__main__.py", "__init__.py")),
}
WRITERS = ("writers/epub", "writers/pdf")  # siblings: neither imports the other


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "build_tools", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing() -> None:
    result = _run("ruff", "format", "--check", "build_tools", "tests", "bench")
    assert result.returncode == 0, "files that `ruff format` would change:\n" + result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    # The files and the options come from [tool.mypy] in pyproject.toml.
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_tool_configuration_is_kept() -> None:
    """The limits the checks above enforce are the agreed ones, not loosened to pass."""
    tools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    assert tools["ruff"]["line-length"] == 110
    assert {"C90", "PLR0915"} <= set(tools["ruff"]["lint"]["select"])
    mypy = tools["mypy"]
    assert mypy["strict"] is True and mypy["packages"] == ["build_tools"]
    # A dependency without types is named in an override, never let through for all.
    assert "ignore_missing_imports" not in mypy
    assert "disable_error_code" not in mypy


# ---------------------------------------------------------------- sizes


def _python_files(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from sorted(folder.rglob("*.py"))


Function = ast.FunctionDef | ast.AsyncFunctionDef


def _functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, Function]]:
    """Every function and method, nested ones too, with its dotted name."""
    for node in ast.iter_child_nodes(tree):
        name = prefix
        if isinstance(node, Function):
            name = f"{prefix}{node.name}"
            yield f"{name}()", node
            name += "."
        elif isinstance(node, ast.ClassDef):
            name = f"{prefix}{node.name}."
        yield from _functions(node, name)


def _size_offences(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(ROOT)
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        yield f"{where}:1: module is {lines} lines (at most {MAX_MODULE_LINES})"
    for name, node in _functions(ast.parse(text, str(path))):
        length = (node.end_lineno or node.lineno) - node.lineno + 1  # from `def`, decorators aside
        if length > MAX_FUNCTION_LINES:
            yield f"{where}:{node.lineno}: {name} is {length} lines (at most {MAX_FUNCTION_LINES})"


def test_functions_and_modules_are_short() -> None:
    """STYLE.md: no modules of thousands of lines nor functions of hundreds; split them."""
    offences = [o for path in _python_files(PACKAGE, ROOT / "tests") for o in _size_offences(path)]
    assert not offences, "too long (split it):\n" + "\n".join(offences)


# ---------------------------------------------------------------- imports


def _layer(relative: str) -> str | None:
    """The layer of a path inside build_tools ("parse/mdext/notes.py", "errors.py", "parse")."""
    for layer, (_, members) in LAYERS.items():
        for member in members:
            if relative == member or relative.startswith(f"{member}/"):
                return layer
    return None


def _module_path(module: str) -> str | None:
    """``build_tools.parse.mdext`` as a path inside build_tools ("parse/mdext"); None outside it."""
    parts = module.split(".")
    if parts[0] != "build_tools":
        return None
    if len(parts) == 1:
        return "__init__.py"
    inner = "/".join(parts[1:])
    return inner if (PACKAGE / inner).is_dir() else f"{inner}.py"


def _imported(node: ast.Import | ast.ImportFrom, path: Path) -> Iterator[str]:
    """The build_tools modules an import statement loads, relative imports resolved."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = path.relative_to(ROOT).with_suffix("").parts[: -node.level]
        base = ".".join([*package, *([base] if base else [])])
    for alias in node.names:
        inner = _module_path(f"{base}.{alias.name}")
        # ``from build_tools.parse import mdext`` loads a module; ``from x import name`` loads x.
        if inner is not None and (PACKAGE / inner).exists():
            yield f"{base}.{alias.name}"
        else:
            yield base


def _import_offence(source: str, target: str) -> str | None:
    """Why a module at ``source`` (a path inside build_tools) may not import ``target``."""
    inner = _module_path(target)
    if inner is None:
        return None
    mine, theirs = _layer(source), _layer(inner)
    if mine is None or theirs is None:
        unranked = source if mine is None else inner
        return f"{unranked} has no rank: add it to LAYERS in tests/test_lint.py"
    if mine == theirs:
        return _sibling_offence(source, inner)
    (my_rank, _), (their_rank, _) = LAYERS[mine], LAYERS[theirs]
    if their_rank < my_rank:
        return None
    if their_rank == my_rank:
        return f"{mine} and {theirs} (both rank {my_rank}) never import each other"
    return (
        f"{mine} (rank {my_rank}) imports {theirs} (rank {their_rank}): a module imports "
        "only lower ranks or its own package"
    )


def _sibling_offence(source: str, inner: str) -> str | None:
    """Within the writers: the EPUB and PDF writers are independent; output.py is shared."""
    mine = next((w for w in WRITERS if source.startswith(f"{w}/")), None)
    theirs = next((w for w in WRITERS if inner == w or inner.startswith(f"{w}/")), None)
    if theirs is None or mine == theirs:
        return None
    if mine is None:
        return f"{source} is shared by the writers and imports none of them ({theirs})"
    return f"{mine} and {theirs} never import each other"


def _import_offences(path: Path) -> Iterator[str]:
    source = path.relative_to(PACKAGE).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue  # lazy imports inside functions are walked too
        for target in dict.fromkeys(_imported(node, path)):  # ``from m import a, b``: m once
            reason = _import_offence(source, target)
            if reason:
                yield f"build_tools/{source}:{node.lineno}: imports {target}: {reason}"


def test_imports_follow_the_pipeline() -> None:
    """Each stage imports only the stages before it (see LAYERS), never a later one."""
    offences = [o for path in _python_files(PACKAGE) for o in _import_offences(path)]
    assert not offences, "imports against the pipeline's order:\n" + "\n".join(offences)


def test_the_import_rules_catch_what_they_should() -> None:
    """The rules themselves, on made-up imports (the test above passes on an empty list too)."""
    assert _import_offence("parse/parser.py", "build_tools.sources.names") is None
    assert _import_offence("parse/mdext/notes.py", "build_tools.parse.parser") is None
    assert _import_offence("model.py", "build_tools.lang.numbers") is None
    assert _import_offence("cli.py", "build_tools.build") is None
    assert _import_offence("writers/epub/writer.py", "build_tools.writers.output") is None
    assert "rank 1) imports parse (rank 3)" in str(
        _import_offence("sources/names.py", "build_tools.parse.parser")
    )
    assert "never import each other" in str(_import_offence("checks/prose.py", "build_tools.writers.output"))
    assert "never import each other" in str(
        _import_offence("writers/pdf/writer.py", "build_tools.writers.epub.pagelist")
    )
    assert "shared" in str(_import_offence("writers/output.py", "build_tools.writers.pdf"))
    assert "no rank" in str(_import_offence("newstage.py", "build_tools.errors"))
    assert _import_offence("errors.py", "lxml.etree") is None


def test_imports_are_resolved_to_modules() -> None:
    def imported(statement: str, where: str) -> list[str]:
        node = ast.parse(statement).body[0]
        assert isinstance(node, ast.Import | ast.ImportFrom)
        return list(_imported(node, PACKAGE / where))

    assert imported("from .notes import REFERENCE", "parse/mdext/anchors.py") == [
        "build_tools.parse.mdext.notes"
    ]
    assert imported("from ... import ids", "parse/mdext/anchors.py") == ["build_tools.ids"]
    assert imported("from build_tools.parse import mdext", "cli.py") == ["build_tools.parse.mdext"]
    assert imported("from build_tools import __version__, ids", "cli.py") == [
        "build_tools",
        "build_tools.ids",
    ]
    assert imported("import build_tools.model", "cli.py") == ["build_tools.model"]
