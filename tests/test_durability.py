"""The build's durability: an interrupted or killed build leaves the previous outputs as they
were, says so without a traceback, and concurrent builds into one folder do not mix.

The interruptions are delivered at named moments of the writing (``signal_at.py``: a trace
function sends the signal when a given line is about to run), so that each case is the same on
every run and on any machine, however fast.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from project_tools import EPOCH, build_args, in_empty_folder, project, run_book

import build_tools.build as pipeline
from build_tools import cli
from build_tools.cli import main
from build_tools.writers.output import STALE_AFTER, Interrupted

SIGNAL_AT = Path(__file__).resolve().parent / "signal_at.py"
PREVIOUS = b"PK the previous complete build"
# Where a signal could fall while an output is written: (target, function, a text of its line).
MOMENTS = {
    # An entry's close resets the archive's "writing" flag in a ``finally``; a signal raised
    # just before that line left zipfile unable to close the archive (exit 70, a traceback).
    "zip-entry-closed": ("epub", "zipfile:_ZipWriteFile.close:self._zipfile._writing = False"),
    "zip-entry-closing": ("epub", "zipfile:_ZipWriteFile.close:super().close()"),
    "zip-between-entries": ("epub", "build_tools.writers.output:write_zip:archive.writestr("),
    "zip-directory": ("epub", "zipfile:ZipFile._write_end_record:for zinfo in self.filelist"),
    "pdf-saved": ("pdf", "pikepdf:Pdf.save:self._save("),
}


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


def interrupted(
    tmp_path: Path, sig: signal.Signals, moment: str, thread: bool = False
) -> tuple[Path, int, str]:
    """Build into a dist/ holding a previous output, sending ``sig`` at ``moment`` (``thread``:
    with another thread running); the output folder, the exit status and stderr."""
    target, spec = MOMENTS[moment]
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    previous = out / f"t.{target}"
    previous.write_bytes(PREVIOUS)
    process = subprocess.run(
        [sys.executable, str(SIGNAL_AT), sig.name, spec, *build_args(source, out, target)],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **({"SIGNAL_AT_THREAD": "1"} if thread else {})},
        timeout=600,  # against a hang only
    )
    assert f"signal_at: sent {sig.name} at {spec}" in process.stderr, process.stderr
    assert previous.read_bytes() == PREVIOUS
    return out, process.returncode, process.stderr


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_keeps_the_previous_output(
    tmp_path: Path, sig: signal.Signals, moment: str
) -> None:
    out, status, stderr = interrupted(tmp_path, sig, moment)
    assert status == 128 + sig, stderr  # 130 for Ctrl+C, 143 for SIGTERM, as a shell says
    assert stderr.splitlines()[-1] == (
        f"interrupted by {sig.name}: unfinished outputs were removed, the previous ones are intact"
    )
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert "internal error" not in stderr, stderr
    assert [p.name for p in out.iterdir()] == [f"t.{MOMENTS[moment][0]}"]  # no temporary left


@pytest.mark.parametrize("moment", ["zip-entry-closed", "zip-entry-closing", "pdf-saved"])
def test_interrupted_with_another_thread_running(tmp_path: Path, moment: str) -> None:
    """The signal is held while the output is written even when the kernel hands it to another
    thread (a library's): the main thread's signal mask did not hold it then, and SIGTERM
    raised inside zipfile's close ended in "Can't close the ZIP file" (exit 70) now and then."""
    out, status, stderr = interrupted(tmp_path, signal.SIGTERM, moment, thread=True)
    assert status == 143, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert [p.name for p in out.iterdir()] == [f"t.{MOMENTS[moment][0]}"]


def test_killed_build_keeps_the_previous_output(tmp_path: Path) -> None:
    out, status, _ = interrupted(tmp_path, signal.SIGKILL, "zip-entry-closed")
    assert status == -signal.SIGKILL
    left = sorted(p.name for p in out.iterdir())  # no clean-up can run: the temporary stays
    assert len(left) == 2 and left[1] == "t.epub"
    assert left[0].startswith(".t.epub.") and left[0].endswith(".part")


def test_an_error_raised_while_stopping_is_reported_as_the_interruption(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Library code interrupted in the layout may fail in its own clean-up: the user is told
    of the interruption, not of an internal error."""

    def build(*args: object, **kwargs: object) -> None:
        try:
            raise Interrupted(signal.SIGTERM)
        except Interrupted:
            raise ValueError("a clean-up that found its state half changed") from None

    monkeypatch.setattr(pipeline, "build", build)  # the build command imports it when it runs
    monkeypatch.setattr(sys, "argv", ["book", "build", "epub"])
    with pytest.raises(SystemExit) as exited:
        cli.run()
    assert exited.value.code == 143
    assert capsys.readouterr().err.splitlines()[-1] == (
        "interrupted by SIGTERM: unfinished outputs were removed, the previous ones are intact"
    )


def test_next_build_ignores_then_removes_a_killed_builds_leftover(tmp_path: Path) -> None:
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    fresh, stale = out / ".t.epub.fresh.part", out / ".t.epub.stale.part"
    fresh.write_bytes(b"a build still writing")
    stale.write_bytes(b"a build killed long ago")
    old = time.time() - STALE_AFTER - 60
    os.utime(stale, (old, old))
    result = CliRunner().invoke(main, build_args(source, out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [".t.epub.fresh.part", "t.epub"]
    assert fresh.read_bytes() == b"a build still writing"
    assert zipfile.ZipFile(out / "t.epub").testzip() is None


def big_project(tmp_path: Path) -> Path:
    """A manuscript of 3 MB, whose EPUB takes long enough to write for builds to overlap."""
    sentence = "It was a time of letters; the papers said little about the events in the south. "
    paragraph = (sentence * 12).strip()
    text = "\n\n".join([paragraph] * 1500)
    return project(tmp_path, text__one_md=f"# One\n\n{text}\n", text__two_md=f"# Two\n\n{text}\n")


def test_concurrent_builds_into_one_folder(tmp_path: Path) -> None:
    source = big_project(tmp_path)
    alone, shared = tmp_path / "alone", tmp_path / "shared"
    assert run_book(*build_args(source, alone)).returncode == 0
    reference = (alone / "t.epub").read_bytes()
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: run_book(*build_args(source, shared)), range(3)))
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert sorted(p.name for p in shared.iterdir()) == ["t.epub"]
    assert (shared / "t.epub").read_bytes() == reference
    with zipfile.ZipFile(shared / "t.epub") as archive:
        assert archive.testzip() is None
