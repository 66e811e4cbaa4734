"""The preview's test fixtures (a pytest plugin, see conftest.py) and helpers.

A test of the preview waits for what it waits for (a rebuild, a layout) as an event; the only
time limit is ``HANG_GUARD``, against a hang, far beyond any machine's slowness: how fast the
preview is, bench/bench.py reports.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from build_tools.preview import Preview, open_preview

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "small"
STYLES = Path(__file__).resolve().parent.parent / "styles"
HANG_GUARD = 600.0  # seconds: only so that a broken preview fails instead of hanging the suite


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


def laid_out(preview: Preview) -> threading.Event:
    """An event set each time the print view finishes a layout (it tells the open pages)."""
    done = threading.Event()
    tell = preview.printed.notify

    def told() -> None:
        done.set()
        tell()

    preview.printed.notify = told
    return done


def wait_for(event: threading.Event, what: str) -> None:
    assert event.wait(HANG_GUARD), f"{what}: nothing after {HANG_GUARD:.0f} s, the preview hangs"
    event.clear()


def wait_until(condition: Callable[[], bool], what: str, again: Callable[[], None] = lambda: None) -> None:
    """Poll ``condition`` until it holds, calling ``again`` between tries."""
    stop = threading.Event()
    timer = threading.Timer(HANG_GUARD, stop.set)
    timer.start()
    try:
        while not condition():
            assert not stop.wait(0.05), f"{what}: not after {HANG_GUARD:.0f} s, the preview hangs"
            again()
    finally:
        timer.cancel()


def endless(*args: object) -> None:
    """A layout that never ends, run in the print view's worker process in its place."""
    threading.Event().wait()
