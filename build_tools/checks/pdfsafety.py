"""The preflight's "no active content" row: no JavaScript, launch actions or embedded files in a PDF.

A printer's file is pages and fonts. A PDF sent by a stranger (or made by a tool that adds them)
may carry scripts run by a viewer (the catalog's ``/Names/JavaScript``, an ``/OpenAction``, the
``/AA`` additional actions of the document, a page, an annotation or a form field), actions that
start programs or fetch files (``/Launch``, ``/ImportData``, ``/SubmitForm``, ``/GoToE``, a
``/URI`` of ``javascript:``) and files hidden inside it (``/EmbeddedFiles``, file attachment
annotations, ``/EmbeddedFile`` streams). Every object reachable from the trailer is looked at
once, streams by their dictionaries only; the walk is bounded (``MAX_STEPS``) so that a crafted
file cannot keep the check busy: one too big to finish is refused, not passed.
"""

from __future__ import annotations

import pikepdf

# Values looked at (an array's or dictionary's items counted): the first book's 34 pages take
# 8,552, so a 600-page book some 150,000; a crafted file of a million arrays took 18 s to be
# found clean, and is refused in under 2 s.
MAX_STEPS = 400_000
# The actions (``/S``) that run code, start a program, send or fetch data, or open an embedded file.
UNSAFE_ACTIONS = {
    "/JavaScript": "a JavaScript action",
    "/Launch": "a launch action (starts a program)",
    "/ImportData": "an import-data action",
    "/SubmitForm": "a submit-form action",
    "/GoToE": "an action opening an embedded file",
    "/Rendition": "a rendition (media) action",
    "/RichMediaExecute": "a rich-media action",
}
# Keys whose presence alone says what the file carries.
UNSAFE_KEYS = {
    "/JS": "JavaScript (/JS)",
    "/JavaScript": "a JavaScript name tree",
    "/EmbeddedFiles": "embedded files (/EmbeddedFiles)",
    "/EmbeddedFile": "an embedded file",
    "/RichMedia": "rich media content",
}
UNSAFE_SUBTYPES = {
    "/FileAttachment": "a file attachment annotation",
    "/RichMedia": "a rich-media annotation",
    "/Screen": "a screen (media) annotation",
    "/Sound": "a sound annotation",
    "/Movie": "a movie annotation",
}


class _TooBig(Exception):
    """The walk reached ``MAX_STEPS``."""


def pdf_safety(pdf: pikepdf.Pdf, max_steps: int = MAX_STEPS) -> tuple[bool, str]:
    """The row's verdict: (passed, detail), the detail naming the first thing found and where."""
    try:
        found = _first_unsafe(pdf, max_steps)
    except _TooBig:
        return False, f"over {max_steps:,} values: too complex to check for scripts"
    if found is None:
        return True, "no JavaScript, launch actions or embedded files"
    what, where = found
    return False, f"{what} ({where})"


def _first_unsafe(pdf: pikepdf.Pdf, max_steps: int) -> tuple[str, str] | None:
    """What the first unsafe object is and the path of keys that reaches it, or None."""
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[pikepdf.Object, str]] = [(pdf.trailer, "trailer")]
    steps = 0
    while stack:
        value, where = stack.pop()
        steps += 1 + (len(value) if isinstance(value, (pikepdf.Array, pikepdf.Dictionary)) else 0)
        if steps > max_steps:  # an array's items counted before they are read: one of millions too
            raise _TooBig
        if value.is_indirect:
            if value.objgen in seen:
                continue
            seen.add(value.objgen)
            if value.objgen in pages:
                where = f"page {pages[value.objgen]}"
        if isinstance(value, pikepdf.Stream):
            value = value.stream_dict
        if isinstance(value, pikepdf.Dictionary):
            if problem := _unsafe(value):
                return problem, where
            stack.extend((item, f"{where} {key}") for key, item in value.items() if _container(item))
        elif isinstance(value, pikepdf.Array):
            stack.extend((item, f"{where}[{i}]") for i, item in enumerate(value) if _container(item))
    return None


def _container(value: pikepdf.Object) -> bool:
    return isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream))


def _unsafe(entry: pikepdf.Dictionary) -> str | None:
    """What makes one dictionary unsafe, if anything."""
    action = str(entry.get("/S", ""))
    if action in UNSAFE_ACTIONS:
        return UNSAFE_ACTIONS[action]
    for key, what in UNSAFE_KEYS.items():
        if key in entry:
            return what
    if action == "/URI" and _is_script(entry.get("/URI")):
        return "a javascript: link"
    subtype = str(entry.get("/Subtype", ""))
    if subtype in UNSAFE_SUBTYPES:
        return UNSAFE_SUBTYPES[subtype]
    if str(entry.get("/Type", "")) == "/EmbeddedFile":
        return "an embedded file stream"
    if "/EF" in entry:  # a file specification with the file's bytes in it
        return "an embedded file (/EF)"
    return None


def _is_script(uri: object) -> bool:
    if not isinstance(uri, pikepdf.String):
        return False
    # Viewers ignore leading spaces and case: " JavaScript:…" runs as well.
    return bytes(uri).lstrip().lower().startswith(b"javascript:")
