"""Hostile text (issue 17): YAML that expands, scanners fed one opening mark 200 KB long, a
``slug`` that is a path, and ordinary inputs that once ended in "internal error".

Each is refused with its file and line, exit 1, dist/ untouched (``refused``), or built; the
work is bounded by counting it (a scanner's regex steps, the YAML parser's events), never by a
clock. The inputs that are files are in tests/hostile/text/; the big ones are made here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown import treeprocessors
from preview_tools import STYLES, changed, save
from project_tools import CONFIG, in_empty_folder, project, refused
from starlette.testclient import TestClient

from build_tools.cli import main
from build_tools.errors import ManuscriptError
from build_tools.lang.slug import FILE_SLUG_BYTES, file_slug
from build_tools.parse import xrefs
from build_tools.parse.mdext.code import without_code_spans
from build_tools.parse.mdext.queries import QUERY
from build_tools.parse.parser import parse
from build_tools.preview import open_preview
from build_tools.sources.limits import MAX_DEPTH, MAX_EMPHASIS, MAX_MARKS, MAX_PARAGRAPH
from build_tools.sources.manuscript import load

HOSTILE = Path(__file__).resolve().parent / "hostile" / "text"
EVENT = 'events:\n  - id: e1\n    date: "{date}"\n    label: "L"\n    event: {event}\n    links: [here]\n'
ONE = "# One\n\nThe first chapter {#here}.\n"


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


def dated(tmp_path: Path, chronology: str) -> Path:
    config = CONFIG + 'chronology = "chronology.yaml"\n'
    return project(tmp_path, book_toml=config, text__one_md=ONE, chronology_yaml=chronology)


def checked(source: Path) -> str:
    """``book check``'s report: exit 1, no traceback."""
    result = CliRunner().invoke(main, ["check", "--source", str(source)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result.output


# ---------------------------------------------------------------- YAML (finding 2)


@pytest.mark.parametrize(
    ("kind", "name", "line", "message"),
    [
        ("names", "names-alias-bomb.yaml", 3, "alias *a0 repeats a mapping or a list"),
        ("chronology", "chronology-alias-bomb.yaml", 3, "alias *a0 repeats a mapping or a list"),
        ("chronology", "chronology-key-list.yaml", 7, "a key must be a text, not a mapping or a list"),
    ],
)
def test_yaml_that_expands_is_refused_at_its_line(
    tmp_path: Path, kind: str, name: str, line: int, message: str
) -> None:
    config = CONFIG + f'{kind} = "{kind}.yaml"\n'
    text = (HOSTILE / name).read_text(encoding="utf-8")
    source = project(tmp_path, book_toml=config, text__one_md=ONE, **{f"{kind}_yaml": text})
    assert refused(tmp_path, source).startswith(f"{source / (kind + '.yaml')}:{line}:")
    assert message in refused(tmp_path, source)
    assert f"{source / (kind + '.yaml')}:{line}:" in checked(source)  # book check reads it so too


def test_aliases_of_texts_may_not_repeat_more_than_the_file(tmp_path: Path) -> None:
    long = "y" * 1000
    links = ", ".join(["*s"] * 200)
    text = f'x: &s "{long}"\n' + EVENT.format(date="1927", event='"x"').replace("[here]", f"[{links}]")
    assert "aliases repeat more text than the file holds" in refused(tmp_path, dated(tmp_path, text))


def test_a_few_aliases_of_texts_still_build(tmp_path: Path) -> None:
    text = 'x: &label "1927"\n' + EVENT.format(date="1927", event='"The year."').replace('"L"', "*label")
    source = dated(tmp_path, text)
    result = CliRunner().invoke(
        main, ["build", "epub", "--source", str(source), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 0, result.output


def test_a_link_that_is_a_list_is_refused(tmp_path: Path) -> None:
    text = EVENT.format(date="1927", event='"x"').replace("[here]", "[here, [a, b]]")
    message = refused(tmp_path, dated(tmp_path, text))
    assert message.endswith("'links' must be a list of anchor ids") and ":6:" in message


# ---------------------------------------------------------------- ordinary inputs (finding 8)


@pytest.mark.parametrize("event", ['"First.\\n\\nSecond."', "|\n      First.\n\n      Second."])
def test_an_event_of_two_paragraphs_is_refused_and_checked(tmp_path: Path, event: str) -> None:
    source = dated(tmp_path, EVENT.format(date="1927", event=event))
    where = f"{source / 'chronology.yaml'}:5:12"
    assert refused(tmp_path, source) == f"{where}: an event is one paragraph: remove the blank line " + (
        "(or put the rest in the text)"
    )
    assert f"{where}: manuscript-error an event is one paragraph" in checked(source)


@pytest.mark.parametrize("date", ["0000", "0XXX", "0000/1927", "0001-01-XX/0000"])
def test_the_year_zero_is_refused(tmp_path: Path, date: str) -> None:
    source = dated(tmp_path, EVENT.format(date=date, event='"x"'))
    assert refused(tmp_path, source).startswith(f"{source / 'chronology.yaml'}:3:11: invalid date: ")
    assert "the year 0 cannot be dated" in checked(source)


def test_the_preview_starts_with_the_year_zero_and_shows_it(manuscript: Path) -> None:
    chronology = manuscript / "chronology.yaml"
    save(chronology, 'date: "1927"', 'date: "0000"')
    opened = open_preview(manuscript, STYLES)
    try:
        client = TestClient(opened.server.app)
        page = client.get("/").text
        assert 'class="preview-error"' in page and "the year 0 cannot be dated" in page
        save(chronology, 'date: "0000"', 'date: "1927"')
        changed(opened, chronology)
        assert 'class="preview-error"' not in client.get("/").text
        save(chronology, 'date: "1927"', 'date: "0XXX"')  # and a running preview shows it
        changed(opened, chronology)
        assert "the year 0 cannot be dated" in client.get("/").text
    finally:
        opened.close()


def test_a_long_title_gives_a_file_name_that_can_be_written(tmp_path: Path) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('title = "T"', f'title = "{"Long words " * 40}"'))
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", "epub", "--source", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    assert written.name == file_slug("Long words " * 40) + ".epub"
    assert written.name.startswith("long-words-long-words") and not written.stem.endswith("-")
    assert len(written.stem.encode()) <= FILE_SLUG_BYTES


def test_file_slug_is_cut_within_its_bytes_and_at_a_letter() -> None:
    assert file_slug("孙中山传" * 100).encode().__len__() <= FILE_SLUG_BYTES
    assert file_slug("孙中山传" * 100) == ("孙中山传" * 100)[: FILE_SLUG_BYTES // 3]
    assert file_slug("L'Été de la révolution") == "l-ete-de-la-revolution"


# ---------------------------------------------------------------- slug (finding 4)


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("/tmp/escaped", "has '/' in it"),
        ("../escaped", "has '/' in it"),
        ("..", "may not start with a dot"),
        (".hidden", "may not start with a dot"),
        ("a\\\\b", "has '\\\\' in it"),
        ("C:book", "has ':' in it"),
        ("a\\u0007b", "has '\\x07' in it"),
        ("CON", "is a name Windows reserves"),
        ("lpt1.x", "is a name Windows reserves"),
        ("x" * 121, "is longer than 120 bytes"),
        ("book.", "may not start with a dot, end with a dot"),
    ],
)
def test_a_slug_that_is_not_a_file_name_is_refused_at_its_line(
    tmp_path: Path, slug: str, problem: str
) -> None:
    source = project(tmp_path, book_toml=CONFIG.replace('title = "T"\n', f'title = "T"\nslug = "{slug}"\n'))
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'book.toml'}:3: 'slug' ") and problem in message, message


# ---------------------------------------------------------------- scanners (finding 3)

OPENINGS = ["{==", "{>>", "{==a==}", "{==a==}{>>", "[^", "[^a]", "[", "![", "](", "[a](", "[a]{@x}", "[a]{"]
OPENINGS += [
    "{@",
    "{@a:start}",
    "{!",
    "{#",
    "{",
    "{++",
    "*",
    "**",
    "_",
    "`",
    ":::",
    "|",
    "<",
    "<span",
    "&",
    "&#",
]
OPENINGS += ["\\", "~", "==", ">", "(", "^", '"', "--"]


@pytest.fixture
def inline_steps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times Python-Markdown applies an inline pattern: each application reads (and
    copies) at most the paragraph, so with the paragraph's length this bounds the work."""
    count = [0]
    apply = treeprocessors.InlineProcessor._InlineProcessor__applyPattern  # type: ignore[attr-defined]

    def counted(self: object, *args: object) -> object:
        count[0] += 1
        return apply(self, *args)

    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern", counted)
    return count


@pytest.mark.parametrize("separator", [" ", ""], ids=["spaced", "run"])
@pytest.mark.parametrize("opening", OPENINGS)
def test_200_kb_of_an_opening_mark_is_refused_or_built_in_bounded_work(
    tmp_path: Path, inline_steps: list[int], opening: str, separator: str
) -> None:
    unit = opening + separator
    paragraph = unit * ((MAX_PARAGRAPH - 1) // len(unit))
    source = project(tmp_path, text__one_md=f"# One\n\n{paragraph}\n")
    try:
        parse(load(source), 0)
    except ManuscriptError as error:
        assert error.location is not None and error.location.file == source / "text/one.md"
        assert error.location.line == 3, error.format_message()
    assert inline_steps[0] <= 2 * MAX_MARKS


def test_a_paragraph_of_too_many_marks_is_refused_before_conversion(tmp_path: Path) -> None:
    source = project(tmp_path, text__one_md="# One\n\nText.\n\n" + "\\\\ " * (MAX_MARKS // 2 + 1) + "\n")
    assert refused(tmp_path, source) == (
        f"{source / 'text/one.md'}:5: a paragraph with more than {MAX_MARKS:,} marks of Markdown "
        "(* _ ` [ { < & \\): split it with blank lines (the limit keeps conversion time reasonable)"
    )


def test_a_query_is_never_looked_for_past_the_next_opening() -> None:
    """Each attempt stops at the next ``{==`` or ``{>>``: a line of them is read once."""
    found = QUERY.search("{==a {==b==}{>>c<<}")
    assert found is not None and found.start() == 5 and found["text"] == "b"
    comment = QUERY.search("{>>a {>>b<<}")
    assert comment is not None and comment.start() == 5
    assert QUERY.match("{==" * 1000 + "==}") is None


@pytest.mark.parametrize(
    ("line", "blanked"),
    [
        ("a `b` c", "a     c"),
        ("``a`b`` x `c", "        x `c"),
        ("```a``", "```a``"),
        ("`a` `b`", "       "),
        ("a `` b `` c `d`", "a         c    "),
    ],
)
def test_code_spans_are_blanked_as_commonmark_closes_them(line: str, blanked: str) -> None:
    assert without_code_spans(line) == blanked


def test_code_spans_of_every_length_are_found_once_each() -> None:
    """10,000 backticks took 41 s with a regex; the runs are now looked up, each once."""
    line = "x" + "`" * 100_000 + "".join("`" * k + "y" for k in range(1, 400))
    assert without_code_spans(line) == line  # no run closes another: all text
    assert without_code_spans("`" * 3 + "a" + "`" * 3) == " " * 7


def test_the_lines_of_a_file_are_counted_once_for_all_its_notes(tmp_path: Path) -> None:
    """Each note's cross-references were placed by counting the file's lines again: 20,000
    notes took four minutes. The count is cached per file text."""
    notes = "".join(f"Text[^{i}] [see](#here).\n\n[^{i}]: A note [back](#here).\n\n" for i in range(300))
    source = project(tmp_path, text__one_md=f"# One\n\nHere {{#here}}.\n\n{notes}")
    xrefs._line_starts.cache_clear()
    parse(load(source), 0)
    assert xrefs._line_starts.cache_info().misses <= 4


def test_book_check_pdf_on_a_pdf_of_no_pages(tmp_path: Path) -> None:
    import pikepdf

    empty = tmp_path / "empty.pdf"
    pikepdf.new().save(empty)
    source = project(tmp_path)
    result = CliRunner().invoke(main, ["check", "pdf", str(empty), "--source", str(source)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        result.output.strip() == f"Error: {empty}: the PDF has no pages: build it again with 'book build pdf'"
    )


@pytest.mark.parametrize("key", ["names", "chronology", "files", "cover"])
def test_a_file_name_too_long_for_the_system_is_not_found(tmp_path: Path, key: str) -> None:
    """Found by the fuzzer: ENAMETOOLONG from is_file() was an "internal error"."""
    name = "x" * 300
    if key == "files":
        config = CONFIG.replace('"text/two.md"', f'"{name}"')
    elif key == "cover":
        config = CONFIG.replace('title = "T"\n', f'title = "T"\ncover = "{name}.png"\n')
    else:
        config = CONFIG + f'{key} = "{name}"\n'
    source = project(tmp_path, book_toml=config)
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'book.toml'}:"), message
    assert "not found" in message or "does not exist" in message, message


# ---------------------------------------------------------------- lines for every error (finding 13)


@pytest.mark.parametrize(
    "opening", ["[^a]: ", "- ", "1. ", "> - "], ids=["note", "list", "numbered", "quote"]
)
def test_quotes_deep_after_a_note_or_list_mark_are_refused_at_their_line(
    tmp_path: Path, opening: str
) -> None:
    """24 quote marks after a note's mark took 8 s, each one more twice as long: they were not
    counted, as the line did not start with one."""
    deep = opening + "> " * (MAX_DEPTH + 8) + "deep"
    source = project(tmp_path, text__one_md=f"# One\n\nText[^a].\n\n{deep}\n\n[^a]: A note.\n")
    message = refused(tmp_path, source)
    assert message.startswith(f"{source / 'text/one.md'}:5: lists or block quotes nested "), message


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("names-deep-heading.yaml", 6, "lists or block quotes nested 40 levels deep"),
        ("names-deep-subentry.yaml", 8, "a paragraph with many '[' or '](' never closed"),
    ],
)
def test_a_names_heading_nested_deep_is_refused_at_its_line(
    tmp_path: Path, name: str, line: int, message: str
) -> None:
    """A heading is inline Markdown: 40 quote marks in one took minutes (never refused)."""
    text = (HOSTILE / name).read_text(encoding="utf-8")
    config = CONFIG + 'names = "names.yaml"\n'
    source = project(tmp_path, book_toml=config, text__one_md="# One\n\nMao.\n", names_yaml=text)
    assert refused(tmp_path, source).startswith(f"{source / 'names.yaml'}:{line}: {message}")
    assert f"{source / 'names.yaml'}:{line}:" in checked(source)


@pytest.mark.parametrize(
    "event", ['"' + "> " * 40 + 'x"', '"' + "[" * 3000 + 'x"'], ids=["quotes", "brackets"]
)
def test_an_event_nested_deep_is_refused_at_its_line(tmp_path: Path, event: str) -> None:
    source = dated(tmp_path, EVENT.format(date="1927", event=event))
    assert refused(tmp_path, source).startswith(f"{source / 'chronology.yaml'}:5: ")


@pytest.mark.parametrize(
    "fence", ["> " * 15 + "::: verse\n" + "> " * 20 + "x\n", "::: verse\n" + "    " * 17 + "x\n:::\n"]
)
def test_nesting_inside_a_fence_is_refused_at_its_line(tmp_path: Path, fence: str) -> None:
    source = project(tmp_path, text__one_md=f"# One\n\nText.\n\n{fence}")
    assert refused(tmp_path, source).startswith(f"{source / 'text/one.md'}:6: lists or block quotes nested ")


@pytest.mark.parametrize(
    "emphasis",
    ["**" * 1000 + "x" + "**" * 1000, "*a _b " * 500 + "x" + " b_ a*" * 500, "_a " * 990 + "x" + " a_" * 990],
    ids=["strong", "words", "underscores"],
)
def test_emphasis_nested_past_python_s_stack_is_refused_at_its_line(tmp_path: Path, emphasis: str) -> None:
    """988 levels exhausted Python's stack: "nested too deeply to convert", with no line."""
    source = project(tmp_path, text__one_md=f"# One\n\nText.\n\nA line.\n{emphasis}\n")
    assert refused(tmp_path, source).startswith(f"{source / 'text/one.md'}:6: emphasis nested ")


def test_emphasis_never_closed_nests_nothing(tmp_path: Path) -> None:
    openers = " ".join(f"_name{i}" for i in range(MAX_EMPHASIS * 3))  # Python names, not in code
    source = project(tmp_path, text__one_md=f"# One\n\n{openers} and *one* **two**.\n")
    parse(load(source), 0)
