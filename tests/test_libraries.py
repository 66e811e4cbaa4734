"""WeasyPrint's libraries found by their sonames (build_tools/libraries.py): the same libraries
as ctypes' find_library finds, without a compiler run (issue 18 item 4)."""

from __future__ import annotations

import ast
import ctypes.util
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from build_tools.libraries import LIBRARIES, _Lookup, soname

ROOT = Path(__file__).resolve().parent.parent


def weasyprint_names() -> list[tuple[str, ...]]:
    """The names of each ``_dlopen(ffi, …)`` call in the installed WeasyPrint's text/ffi.py."""
    spec = importlib.util.find_spec("weasyprint")
    assert spec is not None and spec.origin is not None
    tree = ast.parse((Path(spec.origin).parent / "text" / "ffi.py").read_text(encoding="utf-8"))
    return [
        tuple(arg.value for arg in node.args[1:] if isinstance(arg, ast.Constant))
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_dlopen"
    ]


def test_the_table_holds_every_name_weasyprint_tries_in_its_order() -> None:
    assert sorted(weasyprint_names()) == sorted(LIBRARIES.values())
    for plain, names in LIBRARIES.items():
        assert plain in names and sum(".so." in name for name in names) == 1, plain


def test_each_name_gives_what_find_library_gives_for_the_plain_name() -> None:
    """The soname where the library is installed (Debian 12 has all but HarfBuzz's vector
    library), nothing where it is not: what WeasyPrint then opens is the same library."""
    lookup = _Lookup(ctypes.util.find_library)
    for plain, names in LIBRARIES.items():
        found = ctypes.util.find_library(plain)
        assert found in (None, soname(plain)), plain
        assert lookup(plain) == found, plain
        for name in names:
            assert lookup(name) in (None, found), name
    assert lookup("gobject-2.0-0") == "libgobject-2.0.so.0"
    assert lookup("harfbuzz-vector") is None and lookup("libharfbuzz-vector-0") is None


def test_other_names_go_to_find_library() -> None:
    asked: list[str] = []

    def original(name: str) -> str | None:
        asked.append(name)
        return "libz.so.1"

    assert _Lookup(original)("z") == "libz.so.1"
    assert asked == ["z"]


def test_the_loader_cache_look_up_it_relies_on() -> None:
    """CPython's Linux find_library starts with this (``ldconfig -p``); libraries.py calls it
    for a library whose soname does not open."""
    assert ctypes.util._findSoname_ldconfig("harfbuzz") == "libharfbuzz.so.0"  # type: ignore[attr-defined]


@pytest.mark.parametrize("installed", [False, True])
def test_importing_weasyprint_runs_no_compiler(tmp_path: Path, installed: bool) -> None:
    """A gcc, cc and ld first on PATH that note each run: WeasyPrint's import runs them 32
    times as it is, never once with the look-up installed (as the ``book`` command does)."""
    tools, runs = tmp_path / "bin", tmp_path / "runs"
    tools.mkdir()
    for tool in ("gcc", "cc", "ld"):
        (tools / tool).write_text(f'#!/bin/sh\necho {tool} >> "{runs}"\nexit 1\n')
        (tools / tool).chmod(0o755)
    install = "from build_tools.libraries import install; install(); " if installed else ""
    subprocess.run(
        [sys.executable, "-c", f"{install}import weasyprint"],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
    )
    ran = runs.read_text().split() if runs.exists() else []
    if installed:
        assert ran == []
    else:  # the test sees the runs it means to rule out
        assert ran.count("gcc") == 16 and ran.count("ld") == 16
