"""WeasyPrint's native libraries found by their Debian sonames, without running a compiler.

WeasyPrint 70 (``weasyprint/text/ffi.py``) opens each of Pango's libraries through cffi by a
list of names for every platform (``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``,
``libgobject-2.0.so.0``…), and cffi hands each name without a dot or a slash, or one it could not
open, to ``ctypes.util.find_library``. On Linux that runs ``ldconfig -p``, then ``gcc`` and
``ld`` for every name it does not find: 22 ``ldconfig``, 16 ``gcc`` and 16 ``ld`` processes,
0.15 s of each PDF build's start (issue 18 item 4), for names that are other platforms' file
names (``libgobject-2.0-0`` is MSYS2's DLL, ``liblib…`` to ``find_library``) or an optional
library Debian 12 does not have (HarfBuzz's vector library).

``install`` (called by the console script, ``entry.py``, and the preview's print worker) puts a
look-up in front of ``find_library`` for those names only: each gives its library's soname if the
dynamic loader opens it (the library that WeasyPrint's later names, and ``find_library``, reach on
Debian); if not, the plain name (``pango-1.0``) is looked up in the loader's cache (one
``ldconfig -p``, the first step of ``find_library``: a soname that changed is found there) and the other
platforms' names give nothing, as ``find_library`` gives them. What is left out is only its
``gcc``/``ld`` step, which finds a development link (``libpango-1.0.so``) outside the loader's
paths. Any other name, and every name where CPython has no cache look-up, goes to ``find_library``
unchanged.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable

# Each library WeasyPrint opens, by its plain name (the one ``find_library`` resolves on Linux),
# with every name ``weasyprint/text/ffi.py`` tries for it, in its order: its soname (Debian 12's
# libpango-1.0-0, libharfbuzz0b, libharfbuzz-subset0, libfontconfig1…) is the one with ".so.".
# tests/test_libraries.py checks the lists against the installed WeasyPrint's.
LIBRARIES = {
    "gobject-2.0": (
        "libgobject-2.0-0",
        "gobject-2.0-0",
        "gobject-2.0",
        "libgobject-2.0.so.0",
        "libgobject-2.0.0.dylib",
        "libgobject-2.0-0.dll",
    ),
    "pango-1.0": (
        "libpango-1.0-0",
        "pango-1.0-0",
        "pango-1.0",
        "libpango-1.0.so.0",
        "libpango-1.0.dylib",
        "libpango-1.0-0.dll",
    ),
    "harfbuzz": (
        "libharfbuzz-0",
        "harfbuzz",
        "harfbuzz-0.0",
        "libharfbuzz.so.0",
        "libharfbuzz.0.dylib",
        "libharfbuzz-0.dll",
    ),
    "harfbuzz-subset": (
        "libharfbuzz-subset-0",
        "harfbuzz-subset",
        "harfbuzz-subset-0.0",
        "libharfbuzz-subset.so.0",
        "libharfbuzz-subset.0.dylib",
        "libharfbuzz-subset-0.dll",
    ),
    "harfbuzz-vector": (
        "libharfbuzz-vector-0",
        "harfbuzz-vector",
        "harfbuzz-vector-0.0",
        "libharfbuzz-vector.so.0",
        "libharfbuzz-vector.0.dylib",
        "libharfbuzz-vector-0.dll",
    ),
    "fontconfig": (
        "libfontconfig-1",
        "fontconfig-1",
        "fontconfig",
        "libfontconfig.so.1",
        "libfontconfig.1.dylib",
        "libfontconfig-1.dll",
    ),
    "pangoft2-1.0": (
        "libpangoft2-1.0-0",
        "pangoft2-1.0-0",
        "pangoft2-1.0",
        "libpangoft2-1.0.so.0",
        "libpangoft2-1.0.dylib",
        "libpangoft2-1.0-0.dll",
    ),
}
# Each of those names, to the plain name of its library.
_PLAIN = {name: plain for plain, names in LIBRARIES.items() for name in names}


def soname(plain: str) -> str:
    """The soname of one of WeasyPrint's libraries (its name with ".so.")."""
    return next(name for name in LIBRARIES[plain] if ".so." in name)


def install() -> None:
    """Answer the names of WeasyPrint's libraries from their sonames (this module's docstring),
    on Linux and once per process; any other call of ``find_library`` is left as it was."""
    if not sys.platform.startswith("linux") or isinstance(ctypes.util.find_library, _Lookup):
        return
    ctypes.util.find_library = _Lookup(ctypes.util.find_library)


class _Lookup:
    """``find_library`` with WeasyPrint's libraries answered first."""

    def __init__(self, original: Callable[[str], str | None]) -> None:
        self.original = original

    def __call__(self, name: str) -> str | None:
        plain = _PLAIN.get(name)
        if plain is None:
            return self.original(name)
        return _find(plain, name, self.original)


@functools.cache
def _find(plain: str, name: str, original: Callable[[str], str | None]) -> str | None:
    if _opens(soname(plain)):
        return soname(plain)
    cache: Callable[[str], str | None] | None = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if cache is None:  # not CPython's Linux look-up: the standard one
        return original(name)
    return cache(plain) if name == plain else None


def _opens(library: str) -> bool:
    """Whether the dynamic loader opens ``library`` (as cffi will: it stays loaded)."""
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True
