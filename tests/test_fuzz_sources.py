"""Property tests of the manuscript's other sources (issue 17): any names file, chronology or
book.toml is read, or refused with a BookError naming a place in that file; never anything
else, and never a build writing outside its folder.

The texts are the fixture's files with pieces put in (YAML's anchors, aliases, tags, flow
collections, complex keys, merges, several documents; TOML's values of every type, slugs
that are paths), or written whole from those pieces. ``make test`` runs a few, the same ones
every time; ``make fuzz`` many more (conftest.py's profiles).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import examples
from hypothesis import event, given
from hypothesis import strategies as st

from build_tools.errors import BookError, Location
from build_tools.markup import Fragment
from build_tools.sources import chronology, names
from build_tools.sources.manuscript import load

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
NAMES = (FIXTURE / "names.yaml").read_text(encoding="utf-8")
CHRONOLOGY = (FIXTURE / "chronology.yaml").read_text(encoding="utf-8")
CONFIG = (FIXTURE / "book.toml").read_text(encoding="utf-8")
PATH = Path("/manuscript/file.yaml")

SCALARS = [
    "x",
    "serge",
    "Victor Serge",
    '"quoted"',
    "'single'",
    '""',
    "~",
    "null",
    "true",
    "1927",
    "0000",
    "0XXX",
    "1927-13",
    "1927-02-30",
    "1927/1926",
    "192X~",
    "99999999999999999999",
    "1e400",
    "-.inf",
    "2026-01-01",
    "|\n  block\n\n  text",
    '"a\\n\\nb"',
    '"\\u0000"',
    "'{==x==}{>>q<<}'",
    "'[a]{@x}'",
    "*a",
    "&a x",
    "!!binary aGVsbG8=",
    "!!python/object/apply:os.system [ls]",
    "!!set {a, b}",
    "[a, b]",
    "[[a]]",
    "{a: b}",
    "{[a]: b}",
    "? [a, b]\n  : c",
    "<<: *a",
    "&a [x, *a]",
    "---\nx: 1",
    "%YAML 1.1",
    "@",
    "`",
    "\t",
    "🙂",
]
KEYS = ["id", "heading", "sort", "qualifier", "kind", "forms", "see_also", "see", "subentries"]
KEYS += ["date", "label", "event", "links", "query", "entries", "events", "? [x]", "<<", "*a", "&k id"]

piece = st.sampled_from(SCALARS)
field = st.tuples(st.sampled_from(KEYS), piece).map(lambda kv: f"    {kv[0]}: {kv[1]}")
item = st.lists(field, min_size=1, max_size=6).map(lambda fields: "  -" + "\n".join(fields)[3:])


@st.composite
def yaml_file(draw: st.DrawFn, base: str, top: str) -> str:
    """``base`` with a few pieces put in at some of its lines, or a file of ``top:`` written
    from the pieces alone."""
    if draw(st.booleans()):
        lines = base.splitlines()
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(lines)))
            lines.insert(at, draw(st.one_of(field, item, piece, st.just("x: &a [1, 2]"))))
        return "\n".join(lines) + "\n"
    anchors = draw(st.lists(piece.map(lambda p: f"a{len(p)}: &a{len(p) % 3} {p}"), max_size=3))
    return "\n".join([*anchors, f"{top}:", *draw(st.lists(item, min_size=0, max_size=5))]) + "\n"


def read_or_refused(read: object, text: str) -> None:
    """``read(text)`` returns, or raises a BookError at PATH."""
    try:
        read(text)  # type: ignore[operator]
    except BookError as error:
        event(f"refused: {error.message[:30]}")
        assert error.location is not None and error.location.file == PATH, error.format_message()
        return
    event("read")


def _event_text(text: str, where: Location) -> Fragment:
    return Fragment.parse("x")


@examples(150)
@given(yaml_file(NAMES, "entries"))
def test_any_names_file_is_read_or_refused_at_its_place(text: str) -> None:
    read_or_refused(lambda t: names.load(PATH, t), text)


@examples(150)
@given(yaml_file(CHRONOLOGY, "events"))
def test_any_chronology_is_read_or_refused_at_its_place(text: str) -> None:
    anchors = {name: Location(PATH) for name in ("letters", "here", "x")}
    read_or_refused(lambda t: chronology.load(PATH, t, _event_text, anchors), text)


TOML_VALUES = [
    '"x"',
    '""',
    '"/tmp/escaped"',
    '"../escaped"',
    '".."',
    '"CON"',
    '"a\\u0007b"',
    '"' + "x" * 300 + '"',
    '"' + "孙" * 100 + '"',
    "1",
    "-1",
    "1.5",
    "nan",
    "true",
    "1979-05-27T07:32:00Z",
    "[]",
    '["a", 1]',
    "{}",
    '{ a = "b" }',
    '"""multi\nline"""',
    "'''raw'''",
    '"en_GB!"',
    '"978-0-306-40615-8"',
    '"6x9in"',
    '"x.png"',
    '"text/../../etc/passwd"',
]
TOML_KEYS = ["title", "slug", "language", "trim", "cover", "isbn_print", "paper", "price", "subjects"]
TOML_KEYS += ["credits", "print_profile", "date", "files", "names", "chronology", "unknown", "[book", "[x]"]


@st.composite
def book_toml(draw: st.DrawFn) -> str:
    lines = CONFIG.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        key, value = draw(st.sampled_from(TOML_KEYS)), draw(st.sampled_from(TOML_VALUES))
        replaced = [i for i, line in enumerate(lines) if line.startswith(f"{key} =")]
        at = replaced[0] if bool(replaced) and draw(st.booleans()) else draw(st.integers(0, len(lines)))
        lines[at : at + (1 if replaced and at == replaced[0] else 0)] = [f"{key} = {value}"]
    return "\n".join(lines) + "\n"


@examples(100)
@given(book_toml())
def test_any_book_toml_is_read_or_refused_at_its_place(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "manuscript"
        (source / "text").mkdir(parents=True)
        for name in ("names.yaml", "chronology.yaml", "text/one.md", "text/two.md"):
            (source / name).write_text((FIXTURE / name).read_text(encoding="utf-8"), encoding="utf-8")
        (source / "book.toml").write_text(text, encoding="utf-8")
        try:
            manuscript = load(source)
        except BookError as error:
            event(f"refused: {error.message[:30]}")
            assert error.location is not None, error.format_message()
            assert error.location.file.is_relative_to(source), error.format_message()
            return
        event("read")
        slug = manuscript.meta.slug
        assert "/" not in slug and "\\" not in slug and not slug.startswith(".") and len(slug.encode()) <= 120
