"""The preview in a real browser (issue 6): Debian's chromium, headless, driven by Playwright.

The server runs as ``book preview`` would, in a subprocess on 127.0.0.1 with a free port, on a
copy of the fixture book. The browser is the system's chromium (``executable_path``): Playwright's
own browser download is impossible here, and never attempted.
"""

from __future__ import annotations

import http.client
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
STYLES = Path(__file__).resolve().parent.parent / "styles"
CHROMIUM = shutil.which("chromium")
# Root in a container: no sandbox; and nothing that reaches the network on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Only so that a broken preview fails instead of hanging the suite: no test here times the
# preview (the time from a save to the updated page is a figure of bench/bench.py).
HANG_GUARD_S = 600

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (make test installs it)")


@dataclass(frozen=True)
class Served:
    url: str
    source: Path

    def edit(self, name: str, old: str, new: str) -> Callable[[], None]:
        """Save a changed file; return what puts it back."""
        path = self.source / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return lambda: path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("preview")
    source = folder / "manuscript"
    shutil.copytree(FIXTURE, source)
    errors = folder / "stderr.txt"
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "build_tools",
                "preview",
                "--source",
                str(source),
                "--styles",
                str(STYLES),
                "--port",
                "0",
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        url = _address(server, errors)
        yield Served(url, source)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("the preview did not stop on Ctrl+C")
        assert server.stdout is not None
        server.stdout.close()
    log = errors.read_text()
    assert server.returncode == 0, log
    assert "Traceback" not in log and "ERROR" not in log, log


def _address(server: subprocess.Popen[str], errors: Path) -> str:
    assert server.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(server.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=HANG_GUARD_S):
            pytest.fail(f"the preview never printed its address: {errors.read_text()}")
    line = server.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    assert found, f"{line!r} {errors.read_text()}"
    return found[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    context.set_default_timeout(HANG_GUARD_S * 1000)  # what the page is waited for, not a speed
    sync_api.expect.set_options(timeout=HANG_GUARD_S * 1000)
    opened = context.new_page()
    yield opened
    context.close()


def test_a_save_shows_in_the_open_page_without_reload(served: Served, page: sync_api.Page) -> None:
    page.goto(served.url + "section-001.html")
    sync_api.expect(page.locator("#sec-1-title")).to_have_text("The First Chapter")
    sync_api.expect(page.locator("html")).to_have_attribute("data-live", "connected")
    page.evaluate("window.__sameDocument = true")
    main = page.locator("#preview-main")
    previous, restore = "It was a time of letters.", None
    try:
        for take in range(1, 4):  # one save after another, each shown as it comes
            target = f"It was a time of letters, take {take}."
            undo = served.edit("text/one.md", previous, target)
            restore = restore or undo
            sync_api.expect(main).to_contain_text(target)
            previous = target
    finally:
        if restore is not None:
            restore()
    sync_api.expect(main).to_contain_text("It was a time of letters.")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, never reloaded


def test_an_error_shows_in_the_page_until_fixed(served: Served, page: sync_api.Page) -> None:
    page.goto(served.url + "section-001.html")
    page.evaluate("window.__sameDocument = true")
    error = page.locator(".preview-error")
    sync_api.expect(error).to_have_count(0)
    restore = served.edit("text/one.md", "## A Subhead", "Broken here.[^nope]\n\n## A Subhead")
    text = (served.source / "text" / "one.md").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "[^nope]" in t)
    try:
        sync_api.expect(error).to_contain_text("note reference [^nope] has no definition")
        sync_api.expect(error).to_contain_text(f"one.md:{line}:")
        sync_api.expect(page.locator("#preview-main")).to_contain_text("It was a time of letters")
    finally:
        restore()
    sync_api.expect(error).to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True


PAGES_SHOWN = """() => {
  const images = [...document.querySelectorAll(".spread img")];
  return images.length > 0 && images.every((image) => image.complete && image.naturalWidth > 0)
    && !document.querySelector('[data-state="updating"]');
}"""


def test_print_view_shows_printed_pages_and_updates(served: Served, page: sync_api.Page) -> None:
    page.goto(served.url + "print/section-002.html")
    page.wait_for_function(PAGES_SHOWN)  # the first layout starts the worker
    images = page.locator(".spread img")
    widths = images.evaluate_all("(images) => images.map((image) => image.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    first = images.first.get_attribute("src")
    page.evaluate("""() => {
      window.__updating = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-state="updating"]')) window.__updating = true;
      }).observe(document.documentElement, {childList: true, subtree: true});
    }""")
    restore = served.edit("text/two.md", "That is all.", "That is all there is.")
    try:
        page.wait_for_function(
            f"() => document.querySelector('.spread img')?.getAttribute('src') !== {first!r}"
        )
        page.wait_for_function(PAGES_SHOWN)
        assert page.evaluate("window.__updating") is True  # it said so while laying out
    finally:
        restore()


def test_a_note_opens_in_place(served: Served, page: sync_api.Page) -> None:
    page.goto(served.url + "section-001.html")
    page.locator("a.noteref").first.click()
    note = page.locator("#preview-note-1-1")
    sync_api.expect(note).to_be_visible()
    sync_api.expect(note).to_contain_text("Both were daily papers")
    assert page.url == served.url + "section-001.html"


@pytest.mark.parametrize(
    "path",
    [
        "/fonts/../../pyproject.toml",
        "/fonts/%2e%2e%2fepub.css",
        "/../manuscript/book.toml",
        "/_preview/../server.py",
    ],
)
def test_traversal_is_refused_over_the_wire(served: Served, path: str) -> None:
    status, body = _get(served.url, path)
    assert status in (403, 404) and b"[project]" not in body and b"@font-face" not in body


def test_other_host_names_are_refused(served: Served) -> None:
    assert _get(served.url, "/")[0] == 200
    assert _get(served.url, "/", host="attacker.example")[0] == 400


def _get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A raw GET: http.client sends the path as it is, "../" included."""
    found = re.match(r"http://([\d.]+):(\d+)/", url)
    assert found
    connection = http.client.HTTPConnection(found[1], int(found[2]), timeout=HANG_GUARD_S)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_query_shows_beside_its_text(served: Served, page: sync_api.Page) -> None:
    """Issue 16: the e-book hides a query, the preview shows it: the text tinted, its words in
    a side note beside the paragraph on a wide screen, and as the text's tooltip."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(served.url + "section-001.html")
    queried = page.locator(".preview-query", has_text="194?")
    sync_api.expect(queried).to_have_attribute("title", "Editorial query: Year to be confirmed")
    note = queried.locator(".preview-query-note")
    sync_api.expect(note).to_be_visible()
    sync_api.expect(note).to_have_text("Editorial query: Year to be confirmed")
    tint = queried.evaluate("element => getComputedStyle(element).backgroundColor")
    assert tint not in ("rgba(0, 0, 0, 0)", "transparent"), tint
    paragraph = page.locator("p", has=queried).bounding_box()
    beside = note.bounding_box()
    assert paragraph is not None and beside is not None
    assert beside["x"] >= paragraph["x"] + paragraph["width"]  # in the margin, not over the text
