"""Property test: any Markdown builds into well-formed, unscripted XHTML, or fails clearly.

Hypothesis writes chapters out of the pieces a manuscript is made of (notes and their
definitions, lists, quotations, emphasis, names of the fixture's names file, editorial queries,
anchors, index marks, HTML fragments, stray markup characters) and builds the EPUB. The build
either succeeds, and every XHTML document of the EPUB parses as XML and holds no script, or it
raises a BookError that names a place in the manuscript: never anything else; ``book check``
reads the same chapters without failing. The examples are
derandomized and bounded, so that ``make test`` runs the same ones every time, in seconds;
``make fuzz`` runs many more, new ones each time (conftest.py's "fuzz" profile). The names
file, the chronology and book.toml are fuzzed in test_fuzz_sources.py.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

from conftest import book_toml, examples
from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from build_tools.build import Project, build
from build_tools.checks.editorial import check
from build_tools.errors import BookError

STYLES = Path(__file__).resolve().parent.parent / "styles"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
NAMES = (FIXTURE / "names.yaml").read_text(encoding="utf-8")
CONFIG = book_toml(["text/one.md", "text/two.md"], 'names = "names.yaml"\n', title="Fuzz")
# The second chapter names every entry of the names file, so that the index can be made.
TWO = "# Two\n\nVictor Serge, Trotsky, Mao Zedong and *Le Temps*.\n"

FORMS = [
    "Victor Serge",
    "Serge",
    "Trotsky",
    "Mao Zedong",
    "Mao Tse-tung",
    "Mao",
    "Le Temps",
    "Serge’s",
    "Kyo",
]
WORDS = [
    "the",
    "letters",
    "of",
    "1927",
    "Chiang Kai-shek",
    "café",
    "naïve",
    "—",
    "–",
    "…",
    "“",
    "”",
    "‘",
    "’",
    '"',
    "'",
    "&",
    "&amp;",
    "&#169;",
    "&#0;",
    "&bogus;",
    "<",
    ">",
    "\\",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "#",
    "!",
    "^",
    "=",
    "~",
    "|",
    ":",
    "http://x.org",
    "\u00a0",
    "\u200b",
    "😀",
    "\U0001d400",
]
LABELS = ["a", "b", "note-1", "x_y"]
HTML = [
    "<span>",
    "</span>",
    "<b>bold</b>",
    "<br/>",
    "<i>",
    "<div>",
    "<!-- c -->",
    "<?xml?>",
    "<![CDATA[x]]>",
    "</>",
    "<a:b>",
    "<x y='1' z>",
    "&lt;script&gt;",
]
ACTIVE_HTML = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="y">',
    '<a href="javascript:x">',
    "<iframe>",
    "<p onclick=x>",
    "[x](javascript:alert(1))",
]

# Mostly the book's own words and marks; now and then any characters (the control characters
# XML forbids are refused on reading, before any Markdown: tests/test_bad_input.py has them).
word = st.one_of(
    st.sampled_from(WORDS + FORMS),
    st.sampled_from(FORMS),
    st.sampled_from(WORDS),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=6),
)
plain = st.lists(word, min_size=1, max_size=6).map(" ".join)
inline = st.one_of(
    plain,
    plain,
    plain,
    plain.map(lambda t: f"*{t}*"),
    plain.map(lambda t: f"**{t}**"),
    plain.map(lambda t: f"_{t}_"),
    plain.map(lambda t: f"`{t}`"),
    plain.map(lambda t: f"[{t}](https://example.org/{len(t)})"),
    st.sampled_from(LABELS).map(lambda label: f"[^{label}]"),
    st.tuples(plain, plain).map(lambda p: f"{{=={p[0]}==}}{{>>{p[1]}<<}}"),
    plain.map(lambda t: f"{{>>{t}<<}}"),
    st.sampled_from(["{#here}", "{#there-1}", "{#Bad}", "{#}"]),
    st.sampled_from(["serge", "mao", "nobody", "le-temps"]).map(lambda e: f"[him]{{@{e}}}"),
    st.sampled_from(["{!Serge}", "{!}", "{@mao:start}", "{@mao:end}", "{@serge:start}"]),
    st.sampled_from(HTML),
    st.sampled_from(
        ["![A map](map.png)", "![](map.png)", "![x](http://x.org/a.png)", "<http://x.org>", "<a@b.org>"]
    ),
)
risky = st.one_of(*[inline] * 19, st.sampled_from(ACTIVE_HTML))
line = st.lists(risky, min_size=1, max_size=8).map(" ".join)


def _nest(depth_and_lines: tuple[int, list[str]], mark: str) -> str:
    depth, lines = depth_and_lines
    return "\n".join(f"{'    ' * min(i, depth)}{mark} {text}" for i, text in enumerate(lines))


block = st.one_of(
    line,
    st.lists(line, min_size=2, max_size=3).map("\n".join),  # a paragraph over several lines
    line.map(lambda t: f"## {t}"),
    line.map(lambda t: f"# {t}"),
    st.tuples(st.integers(0, 20), st.lists(line, min_size=1, max_size=4)).map(lambda d: _nest(d, "-")),
    st.tuples(st.integers(0, 3), st.lists(line, min_size=1, max_size=3)).map(lambda d: _nest(d, "1.")),
    st.tuples(st.integers(1, 20), line).map(lambda q: f"{'> ' * q[0]}{q[1]}"),
    st.tuples(st.sampled_from(LABELS), line).map(lambda d: f"[^{d[0]}]: {d[1]}"),
    st.tuples(st.sampled_from(LABELS), line, line).map(lambda d: f"[^{d[0]}]: {d[1]}\n\n    {d[2]}"),
    line.map(lambda t: f"```\n{t}\n```"),
    st.sampled_from(["---", "***", "====", "    indented code", "<div>\n<p>block</p>\n</div>"]),
)
_REFERENCE = re.compile(r"\[\^([^\[\]\s]+)\](?!:)")


@st.composite
def chapter(draw: st.DrawFn) -> str:
    """A chapter: usually with its heading, and then (four times in five) with its notes put
    right: each cited note defined once, none in a heading (otherwise they are as drawn)."""
    heading = draw(st.sampled_from([True] * 9 + [False]))
    blocks = draw(st.lists(block, max_size=8))
    tidy = draw(st.sampled_from([True] * 4 + [False]))
    if tidy:
        blocks = [
            _REFERENCE.sub("", b) if b.lstrip().startswith("#") else b
            for b in blocks
            if not b.startswith("[^")
        ]
    text = "\n\n".join(([f"# {draw(plain)}"] if heading else []) + blocks)
    if tidy:
        for label in dict.fromkeys(_REFERENCE.findall(text)):
            text += f"\n\n[^{label}]: {draw(plain)}"
    return (text + "\n").replace("\n", draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])))


def well_formed_or_clear_error(text: str, formats: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "manuscript"
        (source / "text").mkdir(parents=True)
        (source / "book.toml").write_text(CONFIG, encoding="utf-8")
        (source / "names.yaml").write_text(NAMES, encoding="utf-8")
        (source / "text" / "one.md").write_text(text, encoding="utf-8", newline="")
        (source / "text" / "two.md").write_text(TWO, encoding="utf-8")
        (source / "text" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        for finding in check(source):  # ``book check`` reads anything too, and reports it
            assert str(finding.location.file).startswith(str(source)), finding
        try:
            _, written = build(Project(source, STYLES, Path(folder) / "dist"), formats)
        except BookError as error:
            event(f"refused: {error.message[:40]}")  # pytest --hypothesis-show-statistics
            assert error.location is not None, error.format_message()
            assert str(error.location.file).startswith(str(source)), error.format_message()
            return
        event("built")
        epub = next(path for path in written if path.suffix == ".epub")
        with zipfile.ZipFile(epub) as archive:
            for name in archive.namelist():
                if name.endswith(".xhtml"):
                    assert_safe(etree.fromstring(archive.read(name)), name)


def assert_safe(root: etree._Element, name: str) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert etree.QName(element).localname not in ("script", "iframe", "object", "embed"), name
        for attribute, value in element.attrib.items():
            assert not etree.QName(attribute).localname.lower().startswith("on"), (name, attribute)
            assert not value.strip().lower().startswith(("javascript:", "vbscript:")), (name, value)


@examples(100)
@given(chapter())
def test_epub_is_well_formed_or_the_error_is_clear(text: str) -> None:
    well_formed_or_clear_error(text, ("epub",))


@examples(6)
@given(chapter())
def test_pdf_and_epub_too(text: str) -> None:
    well_formed_or_clear_error(text, ("epub", "pdf"))
