"""Small manuscripts that tests write, and the check that a refused build changed nothing.

Not a test module: the bad-input, limits and durability tests import it.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import STYLES, book_toml

from build_tools.cli import main

EPOCH = "1767225600"  # 2026-01-01: what every build of these tests is dated
CONFIG = book_toml(["text/one.md", "text/two.md"])
ONE = "# One\n\nThe first chapter.[^a]\n\n[^a]: A note.\n"
TWO = "# Two\n\nThe second chapter.\n"
SENTINEL = b"the previous build"


def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty folder (nothing may appear in it), with a fixed build date."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def project(tmp_path: Path, **files: str | bytes) -> Path:
    """A manuscript in ``tmp_path/manuscript``: book.toml, text/one.md, text/two.md, and
    ``files`` named as ``text__images__map_png`` for text/images/map.png."""
    source = tmp_path / "manuscript"
    defaults: dict[str, str | bytes] = {"book.toml": CONFIG, "text/one.md": ONE, "text/two.md": TWO}
    named = {".".join(k.replace("__", "/").rsplit("_", 1)): v for k, v in files.items()}
    for name, content in {**defaults, **named}.items():
        path = source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return source


def snapshot(root: Path) -> dict[str, bytes]:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def refused(tmp_path: Path, source: Path, target: str = "epub") -> str:
    """Build through the CLI into a dist/ holding a previous build; check that nothing changed
    anywhere and return the message."""
    out = tmp_path / "dist"
    out.mkdir(exist_ok=True)
    (out / "t.epub").write_bytes(SENTINEL)
    (out / "notes.txt").write_bytes(b"kept")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(
        main, ["build", target, "--source", str(source), "--out", str(out), "--styles", str(STYLES)]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a BookError, not a crash
    assert snapshot(tmp_path) == before  # dist/ untouched, nothing written anywhere
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "t.epub"]
    message = result.output.strip().splitlines()[-1]
    assert message.startswith("Error: ")
    return message.removeprefix("Error: ")


def build_args(source: Path, out: Path, target: str = "epub") -> list[str]:
    return ["build", target, "--source", str(source), "--out", str(out), "--styles", str(STYLES)]


def run_book(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """``book`` in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "build_tools", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        timeout=600,
        **kwargs,
    )  # type: ignore[call-overload]  # against a hang only


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )
