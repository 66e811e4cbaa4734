"""The preview (issue 6) without a socket: its pages, its command and its safety (what a save
changes, and the print view, are test_preview_live.py)."""

from __future__ import annotations

import asyncio
import re
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from preview_tools import STYLES, save
from starlette.testclient import TestClient

from build_tools.cli import main
from build_tools.preview import LOOPBACK, Preview, open_preview

# ------------------------------------------------------------------ pages


def test_contents_lists_every_part_with_its_print_view(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for href in (
        "/section-001.html",
        "/section-002.html",
        "/notes.html",
        "/chronology.html",
        "/index.html",
        "/print/section-001.html",
        "/print/index.html",
    ):
        assert f'href="{href}"' in page.text
    assert "The First Chapter" in page.text and "The Second Chapter" in page.text
    assert "Year to be confirmed" in page.text  # the open queries are listed
    assert '<script src="/_preview/live.js"' in page.text


def test_section_is_the_ebook_section_with_its_styles_and_notes(client: TestClient) -> None:
    page = client.get("/section-001.html").text
    assert '<section id="sec-1" class="chapter" epub:type="chapter"' in page
    assert '<link rel="stylesheet" href="/css/book.css?v=1">' in page
    assert ".xhtml" not in page  # the e-book's links point to the preview's pages
    assert 'href="/notes.html#note-1-1"' in page
    # The chronology links to the text, and the text has no mark back (issue 16 item 2).
    assert 'id="anchor-letters"' in page and "/chronology.html#" not in page
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


@pytest.mark.parametrize(
    "path",
    [
        "/fonts/../epub.css",
        "/fonts/../../pyproject.toml",
        "/_preview/../server.py",
        "/../manuscript/book.toml",
        "/fonts/../../tests/fixtures/small/book.toml",
    ],
)
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
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(preview.server.app(scope, receive, send))  # type: ignore[arg-type]
    status = next(int(str(m["status"])) for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")  # type: ignore[misc]
    return status, body
