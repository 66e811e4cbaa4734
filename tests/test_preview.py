"""The preview (issue 6) without a socket: pages, live rebuilds, errors, print view, safety."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from build_tools.cli import main
from build_tools.preview import LOOPBACK, Preview, open_preview
from build_tools.preview import livebook as livebook_module
from build_tools.preview.printview import Layout, _spreads

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
STYLES = Path(__file__).resolve().parent.parent / "styles"


@pytest.fixture
def manuscript(tmp_path: Path) -> Path:
    source = tmp_path / "manuscript"
    shutil.copytree(FIXTURE, source)
    return source


@pytest.fixture
def preview(manuscript: Path) -> Iterator[Preview]:
    opened = open_preview(manuscript, STYLES)
    yield opened
    opened.close()


@pytest.fixture
def client(preview: Preview) -> TestClient:
    return TestClient(preview.server.app)


def save(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def changed(preview: Preview, *paths: Path) -> None:
    """What the watcher does after a save: rebuild, then tell the open pages."""
    asyncio.run(preview.server.changed(set(paths)))


# ------------------------------------------------------------------ pages


def test_contents_lists_every_part_with_its_print_view(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for href in ("/section-001.html", "/section-002.html", "/notes.html", "/chronology.html",
                 "/index.html", "/print/section-001.html", "/print/index.html"):
        assert f'href="{href}"' in page.text
    assert "The First Chapter" in page.text and "The Second Chapter" in page.text
    assert "Year to be confirmed" in page.text  # the open queries are listed
    assert '<script src="/_preview/live.js"' in page.text


def test_section_is_the_ebook_section_with_its_styles_and_notes(client: TestClient) -> None:
    page = client.get("/section-001.html").text
    assert '<section id="sec-1" class="chapter" epub:type="chapter"' in page
    assert '<link rel="stylesheet" href="/css/book.css?v=1">' in page
    assert ".xhtml" not in page  # the e-book's links point to the preview's pages
    assert 'href="/notes.html#note-1-1"' in page and 'href="/chronology.html#event-letters"' in page
    popover = re.search(
        r'<aside class="preview-note" id="preview-note-1-1" popover="auto">(.*?)</aside>', page
    )
    assert popover is not None and "Both were daily papers" in popover[1]
    assert client.get("/section-002.html").status_code == 200
    assert client.get("/section-003.html").status_code == 404


def test_stylesheet_and_fonts_are_the_ebooks(client: TestClient) -> None:
    css = client.get("/css/book.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert 'src: url("../fonts/EBGaramond-Regular.ttf")' in css.text
    assert (STYLES / "epub.css").read_text(encoding="utf-8") in css.text
    font = client.get("/fonts/EBGaramond-Regular.ttf")
    assert font.status_code == 200
    assert font.content == (STYLES / "fonts" / "EBGaramond-Regular.ttf").read_bytes()


def test_back_matter_pages(client: TestClient) -> None:
    notes = client.get("/notes.html").text
    assert 'id="note-1-1"' in notes and 'href="/section-001.html#noteref-1-1"' in notes
    chronology = client.get("/chronology.html").text
    assert 'id="event-letters"' in chronology
    assert 'href="/section-001.html#anchor-letters"' in chronology
    index = client.get("/index.html").text  # the index of names, as the e-book names it
    assert "Index of Names" in index and 'href="/section-001.html#ix-' in index
    assert client.get("/nowhere.html").status_code == 404


def test_pictures_of_the_text_are_served_and_nothing_else(manuscript: Path) -> None:
    from PIL import Image  # WeasyPrint's own dependency

    (manuscript / "images").mkdir()
    Image.new("RGB", (4, 4), "red").save(manuscript / "images" / "dot.png")
    Image.new("RGB", (4, 4), "blue").save(manuscript / "images" / "unused.png")
    one = manuscript / "text" / "one.md"
    save(one, "## A Subhead", "![A red dot](../images/dot.png)\n\n## A Subhead")
    opened = open_preview(manuscript, STYLES)
    try:
        client = TestClient(opened.server.app)
        assert '<img alt="A red dot" src="images/dot.png"' in client.get("/section-001.html").text
        picture = client.get("/images/dot.png")
        assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
        assert picture.content == (manuscript / "images" / "dot.png").read_bytes()
        assert client.get("/images/unused.png").status_code == 404  # on disk, not in the book
        assert client.get("/book.toml").status_code == 404
        assert client.get("/text/one.md").status_code == 404
    finally:
        opened.close()


def test_cli_help_and_defaults() -> None:
    result = CliRunner().invoke(main, ["preview", "--help"])
    assert result.exit_code == 0
    for option in ("--source", "--styles", "--port", "--host", "127.0.0.1", "8000"):
        assert option in result.output
    assert "preview" in CliRunner().invoke(main, ["--help"]).output


def test_cli_refuses_a_missing_manuscript_and_a_busy_port(tmp_path: Path, manuscript: Path) -> None:
    result = CliRunner().invoke(main, ["preview", "--source", str(tmp_path / "none")])
    assert result.exit_code == 1 and "manuscript folder not found" in result.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        arguments = ["--source", str(manuscript), "--styles", str(STYLES), "--port", str(port)]
        result = CliRunner().invoke(main, ["preview", *arguments])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


# ------------------------------------------------------------------ safety

TRAVERSALS = (
    "/fonts/%2e%2e%2fepub.css",
    "/fonts/..%2fepub.css",
    "/fonts/%2e%2e/%2e%2e/README.md",
    "/fonts/%2E%2E%2F%2E%2E%2Fpyproject.toml",
    "/fonts/..%5c..%5cpyproject.toml",
    "/_preview/%2e%2e%2fserver.py",
    "/%2e%2e%2fbook.toml",
    "/section-001.html%2f..%2f..%2fbook.toml",
    "/print/%2e%2e%2f%2e%2e%2fbook.toml",
    "/fonts/%252e%252e%252fepub.css",
)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_encoded_traversal_is_refused(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (403, 404)
    assert "[book]" not in response.text and "@font-face" not in response.text


@pytest.mark.parametrize("path", [
    "/fonts/../epub.css", "/fonts/../../pyproject.toml", "/_preview/../server.py",
    "/../manuscript/book.toml", "/fonts/../../tests/fixtures/small/book.toml",
])
def test_literal_traversal_is_refused(preview: Preview, path: str) -> None:
    # An HTTP client removes "../" before sending; a raw request keeps it, so the app gets it.
    status, body = _raw_get(preview, path)
    assert status in (403, 404)
    assert b"[book]" not in body and b"[project]" not in body and b"def " not in body


def test_only_loopback_host_names_are_accepted_by_default(manuscript: Path) -> None:
    opened = open_preview(manuscript, STYLES, list(LOOPBACK))
    try:
        app = opened.server.app
        assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
        assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
        assert TestClient(app, base_url="http://attacker.example").get("/").status_code == 400
    finally:
        opened.close()


def _raw_get(preview: Preview, path: str) -> tuple[int, bytes]:
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(preview.server.app(scope, receive, send))  # type: ignore[arg-type]
    status = next(int(str(m["status"])) for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")  # type: ignore[misc]
    return status, body


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
        patched.setattr(livebook_module, "parse", whole_book)
        assert preview.book.update_sections({one})
    book = preview.book.book
    assert book is not None and book.sections[1] is before.sections[1]
    assert "It was a time of telegrams." in book.sections[0].body.xml
    assert 'class="ix"' in book.sections[0].body.xml  # names are tagged as in the whole read
    assert preview.book.settled is before  # what the print view lays out: the last whole read
    # The book's queries follow the section: its own query is gone, the chronology's stays.
    assert [q.comment for q in book.queries] == ["Check the month"]
    assert not preview.book.update_sections({manuscript / "chronology.yaml"})


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
    assert preview.site.version == 2  # a new layout for the print view


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
    two = manuscript / "text" / "two.md"
    with TestClient(preview.server.app) as client:  # the lifespan starts the watcher
        save(two, "Numbering restarts here.", "Numbering starts again.")
        deadline = time.monotonic() + 5
        while "Numbering starts again." not in client.get("/section-002.html").text:
            assert time.monotonic() < deadline, "the page did not change within 5 s of the save"
            time.sleep(0.05)
            if time.monotonic() > deadline - 4:  # saved before the watcher had started?
                two.write_text(two.read_text(encoding="utf-8"), encoding="utf-8")


def test_open_pages_are_told_of_each_new_version(preview: Preview) -> None:
    server = preview.server
    with TestClient(server.app) as client:
        def announce_then_stop() -> None:
            deadline = time.monotonic() + 5
            while not server._streams and time.monotonic() < deadline:
                time.sleep(0.01)
            server.notify()
            time.sleep(0.1)
            assert client.portal is not None
            client.portal.call(server.close_streams)

        thread = threading.Thread(target=announce_then_stop)
        thread.start()
        events = client.get("/_events")  # TestClient returns once the stream ends
        thread.join()
    assert events.headers["content-type"].startswith("text/event-stream")
    assert events.text == "retry: 500\ndata: 1\n\ndata: 2\n\n"


# ------------------------------------------------------------------ print view


def test_print_view_shows_the_sections_printed_pages_in_spreads(client: TestClient) -> None:
    first = client.get("/print/section-001.html").text
    assert 'data-state="updating"' in first  # the layout has started in the worker
    deadline = time.monotonic() + 60
    while "<img" not in (page := client.get("/print/section-001.html").text):
        assert time.monotonic() < deadline, "no printed pages within 60 s"
        time.sleep(0.1)
    assert 'data-state="updating"' not in page
    images = re.findall(r'<img class="page (left|right)" src="(/print/\d+/page-(\d+)\.png)" '
                        r'width="(\d+)" height="(\d+)"', page)
    assert images and images[0][0] == "right"  # a chapter opens on a right-hand page
    numbers = [int(i[2]) for i in images]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert all((side == "right") == (int(n) % 2 == 1) for side, _, n, _, _ in images)  # recto odd
    png = client.get(images[0][1])
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = (int.from_bytes(png.content[at:at + 4], "big") for at in (16, 20))  # IHDR
    assert (width, height) == (int(images[0][3]), int(images[0][4]))  # as the page lays it out
    assert 600 < width < height  # 1.5 pixels a point: a 6 × 9 in trim (and any bleed)
    assert client.get(images[0][1]).content == png.content  # cached
    assert "immutable" in png.headers["cache-control"]
    assert client.get("/print/999/page-1.png").status_code == 404
    for part in ("notes", "chronology", "index"):
        back = client.get(f"/print/{part}.html").text
        assert "<img" in back and "Printed page" in back


def test_print_view_updates_after_a_change(
    preview: Preview, client: TestClient, manuscript: Path
) -> None:
    def wait_for_pages() -> str:
        deadline = time.monotonic() + 60
        while 'data-state="updating"' in (page := client.get("/print/section-002.html").text):
            assert time.monotonic() < deadline, "the layout did not finish within 60 s"
            time.sleep(0.1)
        return page

    client.get("/print/section-002.html")
    old = re.findall(r'src="/print/(\d+)/', wait_for_pages())
    save(manuscript / "text" / "two.md", "That is all.", "That is all there is.")
    changed(preview, manuscript / "text" / "two.md")
    updating = client.get("/print/section-002.html").text
    assert 'data-state="updating"' in updating and "updating…" in updating
    assert re.findall(r'src="/print/(\d+)/', updating) == old  # the old pages, until the new ones
    new = re.findall(r'src="/print/(\d+)/', wait_for_pages())
    assert new and new[0] != old[0]


def test_spreads_and_page_ranges() -> None:
    layout = Layout(1, b"", (("sec-1", 6), ("sec-2", 8), ("chronology", 10), ("notes", 12)), 13)
    assert layout.pages_of("sec-1") == range(6, 8)
    assert layout.pages_of("notes") == range(12, 13)
    assert layout.pages_of("sec-3") is None
    html = "".join(_spreads(1, range(6, 9), 10, 15))
    assert html.count('class="spread"') == 2  # page 7 alone on the right, then pages 8 and 9
    assert html.index("page-7.png") < html.index("page-8.png") < html.index("page-9.png")
    assert html.startswith('<div class="spread"><div class="page left blank"')
