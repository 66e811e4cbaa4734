"""The preview (issue 6) without a socket, as files are saved: the live book, errors shown in
the page until fixed, the watcher, the event stream, and the print view's layouts."""

from __future__ import annotations

import re
import shutil
import threading
from html import unescape
from pathlib import Path

import pytest
from preview_tools import STYLES, changed, laid_out, save, wait_for, wait_until
from starlette.testclient import TestClient

from build_tools.model import Book
from build_tools.preview import Preview, open_preview
from build_tools.preview import livebook as livebook_module
from build_tools.preview.printjobs import Layout
from build_tools.preview.printview import _spreads

# ------------------------------------------------------------------ live


def test_a_saved_section_is_parsed_alone_first(
    preview: Preview, client: TestClient, manuscript: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole_book(*args: object) -> None:
        raise AssertionError("the whole manuscript was read")

    before = preview.book.book
    assert before is not None
    one = manuscript / "text" / "one.md"
    save(one, "It was a time of letters.", "It was a time of telegrams.")
    save(one, "In {==194?==}{>>Year to be confirmed<<} a pamphlet", "In 1946 a pamphlet")
    with monkeypatch.context() as patched:
        patched.setattr(livebook_module, "load", whole_book)
        patched.setattr(livebook_module, "parse_book", whole_book)
        assert preview.book.update_sections({one})
    book = preview.book.book
    assert book is not None and book.sections[1] is before.sections[1]
    assert "It was a time of telegrams." in book.sections[0].body.xml
    assert 'class="ix"' in book.sections[0].body.xml  # names are tagged as in the whole read
    assert preview.book.settled is before  # what the print view lays out: the last whole read
    # The book's queries follow the section: its own query is gone, the chronology's stays.
    assert [q.comment for q in book.queries] == ["Check the month"]
    assert not preview.book.update_sections({manuscript / "chronology.yaml"})


def test_a_section_parsed_alone_keeps_the_mention_ids_of_the_whole_read(
    preview: Preview, manuscript: Path
) -> None:
    def mention_ids(book: Book | None) -> list[str]:
        assert book is not None
        section = book.sections[1]
        return re.findall(r'id="(ixr?-\d+)"', section.body.xml + "".join(n.body.xml for n in section.notes))

    before = preview.book.book
    two = manuscript / "text" / "two.md"
    save(two, "That is all.", "That is all for now.")
    assert preview.book.update_sections({two})
    after = preview.book.book
    assert mention_ids(after) == mention_ids(before) and mention_ids(after)[0] != "ix-1"
    # Parsing it again gives the same result: nothing found by the first parse is kept.
    assert preview.book.update_sections({two})
    again = preview.book.book
    assert again is not None and after is not None
    assert again.sections == after.sections and again.diagnostics == after.diagnostics


def test_a_save_shows_the_section_then_the_whole_book(
    preview: Preview, client: TestClient, manuscript: Path
) -> None:
    told: list[str] = []
    preview.site.notify = lambda: told.append(client.get("/section-001.html").text)
    one = manuscript / "text" / "one.md"
    save(one, "It was a time of letters.", "It was a time of telegrams.")
    version = preview.server.version
    changed(preview, one)
    assert len(told) == 1 and "It was a time of telegrams." in told[0]  # before the whole read
    assert preview.server.version == version + 1
    page = client.get("/section-001.html").text
    assert "It was a time of telegrams." in page
    assert f'<meta name="preview-version" content="{version + 1}">' in page
    assert preview.book.settled is preview.book.book
    # Version 2 is the section parsed alone's (its quick proof), 3 the whole read's (a new layout).
    assert (preview.site.version, preview.site.settled_version) == (3, 3)


def test_an_anchor_change_reads_the_whole_book(
    preview: Preview, client: TestClient, manuscript: Path
) -> None:
    one = manuscript / "text" / "one.md"
    save(one, "{#letters}", "{#letter}")
    changed(preview, one)
    page = client.get("/section-001.html").text
    assert "link to anchor {#letters}, which is nowhere in the text" in page
    assert re.search(r"chronology\.yaml:\d+:\d+", page)


def test_an_error_shows_with_file_and_line_and_goes_away_when_fixed(
    preview: Preview, client: TestClient, manuscript: Path
) -> None:
    one = manuscript / "text" / "one.md"
    good = one.read_text(encoding="utf-8")
    save(one, "## A Subhead", "Broken here.[^nope]\n\n## A Subhead")
    lines = one.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "[^nope]" in text)
    changed(preview, one)
    page = client.get("/section-001.html")
    assert page.status_code == 200
    assert 'class="preview-error"' in page.text
    assert f"{one}:{line}:" in page.text and "note reference [^nope] has no definition" in page.text
    assert "It was a time of letters." in page.text  # the last good version is still shown
    assert 'class="preview-error"' in client.get("/").text  # on every page
    # Saving another file does not hide the error: the error's file is read again too.
    two = manuscript / "text" / "two.md"
    save(two, "That is all.", "That is all for now.")
    changed(preview, two)
    assert "[^nope]" in client.get("/section-002.html").text
    one.write_text(good, encoding="utf-8")
    changed(preview, one)
    page = client.get("/section-001.html")
    assert 'class="preview-error"' not in page.text
    assert "That is all for now." in client.get("/section-002.html").text


def test_errors_in_the_chronology_names_and_book_toml_show_too(
    preview: Preview, client: TestClient, manuscript: Path
) -> None:
    chronology = manuscript / "chronology.yaml"
    save(chronology, 'date: "1927"', 'date: "1927-13"')
    changed(preview, chronology)
    assert re.search(r"chronology\.yaml:\d+:\d+: invalid date", client.get("/").text)
    save(chronology, 'date: "1927-13"', 'date: "1927"')
    toml = manuscript / "book.toml"
    save(toml, 'language = "en"', 'language = "en_GB!"')
    changed(preview, toml, chronology)
    page = unescape(client.get("/").text)
    assert re.search(r"book\.toml:\d+: 'language' must be a BCP 47 tag", page)
    save(toml, 'language = "en_GB!"', 'language = "en"')
    names = manuscript / "names.yaml"
    save(names, "  - id: trotsky", "  - id: Trotsky!")
    changed(preview, toml, names)
    assert re.search(r"names\.yaml:\d+(:\d+)?: ", client.get("/").text)
    save(names, "  - id: Trotsky!", "  - id: trotsky")
    changed(preview, names)
    assert 'class="preview-error"' not in client.get("/").text


def test_a_manuscript_that_cannot_be_read_at_start_shows_the_error(manuscript: Path) -> None:
    save(manuscript / "text" / "two.md", "# The Second Chapter", "No heading")
    opened = open_preview(manuscript, STYLES)
    try:
        client = TestClient(opened.server.app)
        page = client.get("/section-001.html")
        assert page.status_code == 200 and "section has no heading" in page.text
        assert f"{manuscript / 'text' / 'two.md'}:1:" in page.text
        save(manuscript / "text" / "two.md", "No heading", "# The Second Chapter")
        changed(opened, manuscript / "text" / "two.md")
        assert "It was a time of letters." in client.get("/section-001.html").text
    finally:
        opened.close()


def test_a_style_change_renames_the_stylesheet(tmp_path: Path, manuscript: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    opened = open_preview(manuscript, styles)
    try:
        client = TestClient(opened.server.app)
        (styles / "epub.css").write_text("p { color: red; }\n", encoding="utf-8")
        changed(opened, styles / "epub.css")
        assert 'href="/css/book.css?v=2"' in client.get("/section-001.html").text
        assert "p { color: red; }" in client.get("/css/book.css").text
    finally:
        opened.close()


def test_the_watcher_rebuilds_on_save(preview: Preview, manuscript: Path) -> None:
    rebuilt = threading.Event()
    rebuild = preview.server.changed

    async def rebuild_then_tell(paths: set[Path]) -> None:
        await rebuild(paths)
        rebuilt.set()

    preview.server.changed = rebuild_then_tell  # type: ignore[method-assign]
    two = manuscript / "text" / "two.md"
    with TestClient(preview.server.app) as client:  # the lifespan starts the watcher
        save(two, "Numbering restarts here.", "Numbering starts again.")
        # The watcher may have started after the save: save again until it has seen one.
        wait_until(
            rebuilt.is_set,
            "no rebuild after a save",
            again=lambda: two.write_text(two.read_text(encoding="utf-8"), encoding="utf-8"),
        )
        assert "Numbering starts again." in client.get("/section-002.html").text


def test_open_pages_are_told_of_each_new_version(preview: Preview) -> None:
    server = preview.server
    with TestClient(server.app) as client:

        def announce_then_stop() -> None:
            wait_until(lambda: bool(server._streams), "the event stream was never opened")
            server.notify()  # scheduled on the server's loop before the end of the streams
            assert client.portal is not None
            client.portal.call(server.close_streams)

        thread = threading.Thread(target=announce_then_stop)
        thread.start()
        events = client.get("/_events")  # TestClient returns once the stream ends
        thread.join()
    assert events.headers["content-type"].startswith("text/event-stream")
    assert events.text == "retry: 500\ndata: 1\n\ndata: 2\n\n"


# ------------------------------------------------------------------ print view


def test_print_view_shows_the_sections_printed_pages_in_spreads(preview: Preview, client: TestClient) -> None:
    done = laid_out(preview)
    first = client.get("/print/section-001.html").text
    assert 'data-state="updating"' in first  # the layout has started in the worker
    wait_for(done, "the first layout")
    page = client.get("/print/section-001.html").text
    assert 'data-state="updating"' not in page
    images = re.findall(
        r'<img class="page (left|right)" src="(/print/\d+/page-(\d+)\.png)" '
        r'width="(\d+)" height="(\d+)"',
        page,
    )
    assert images and images[0][0] == "right"  # a chapter opens on a right-hand page
    numbers = [int(i[2]) for i in images]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert all((side == "right") == (int(n) % 2 == 1) for side, _, n, _, _ in images)  # recto odd
    png = client.get(images[0][1])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = (int.from_bytes(png.content[at : at + 4], "big") for at in (16, 20))  # IHDR
    assert (width, height) == (int(images[0][3]), int(images[0][4]))  # as the page lays it out
    assert 600 < width < height  # 1.5 pixels a point: a 6 × 9 in trim (and any bleed)
    assert client.get(images[0][1]).content == png.content  # cached
    assert "immutable" in png.headers["cache-control"]
    assert client.get("/print/999/page-1.png").status_code == 404
    for part in ("notes", "chronology", "index"):
        back = client.get(f"/print/{part}.html").text
        assert "<img" in back and "Printed page" in back


def test_print_view_updates_after_a_change(preview: Preview, client: TestClient, manuscript: Path) -> None:
    done = laid_out(preview)
    client.get("/print/section-002.html")  # asks for the first layout
    wait_for(done, "the first layout")
    old = re.findall(r'src="/print/(\d+)/', client.get("/print/section-002.html").text)
    save(manuscript / "text" / "two.md", "That is all.", "That is all there is.")
    changed(preview, manuscript / "text" / "two.md")
    updating = client.get("/print/section-002.html").text
    assert 'data-state="updating"' in updating and "updating…" in updating
    assert re.findall(r'src="/print/(\d+)/', updating) == old  # the old pages, until the new ones
    wait_for(done, "the section laid out alone after the change")  # its quick proof (issue 18)
    quick = client.get("/print/section-002.html").text
    assert "print-quick" in quick or 'data-state="updating"' not in quick  # (the whole may be done)

    def whole_done() -> bool:
        return 'data-state="updating"' not in client.get("/print/section-002.html").text

    wait_until(whole_done, "the whole layout after the change")
    page = client.get("/print/section-002.html").text
    new = re.findall(r'src="/print/(\d+)/page-', page)
    assert new and new[0] != old[0] and "print-quick" not in page


def test_spreads_and_page_ranges() -> None:
    layout = Layout(1, b"", (("sec-1", 6), ("sec-2", 8), ("chronology", 10), ("notes", 12)), 13)
    assert layout.pages_of("sec-1") == range(6, 8)
    assert layout.pages_of("notes") == range(12, 13)
    assert layout.pages_of("sec-3") is None
    html = "".join(_spreads(1, range(6, 9), 10, 15))
    assert html.count('class="spread"') == 2  # page 7 alone on the right, then pages 8 and 9
    assert html.index("page-7.png") < html.index("page-8.png") < html.index("page-9.png")
    assert html.startswith('<div class="spread"><div class="page left blank"')
