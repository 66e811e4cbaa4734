"""Hostile input, processes and faults (issue 17, findings 7, 10, 12): a PDF carrying
scripts or files fails ``book check pdf``; a full disk or a read-only output folder is a one-line
error with nothing left behind; a signal at any moment ends with 130 or 143 and its one line (the
preview's cases are in test_hostile_preview.py)."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import FIXTURES
from project_tools import EPOCH, build_args, in_empty_folder, project

from build_tools.checks import pdfsafety
from build_tools.checks.preflight import preflight
from build_tools.cli import main
from build_tools.design.profiles import PROFILES

ROW = "no active content"


@pytest.fixture(autouse=True)
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_empty_folder(tmp_path, monkeypatch)


# --- (12) book check pdf: JavaScript, launch actions, embedded files -------------------------


def _pdf(change: object = None) -> pikepdf.Pdf:
    """A one-page PDF with a link annotation, as a book's would have."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(432, 648))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([10, 10, 20, 20]),
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/")),
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return pdf


def _js(code: str = "app.alert(1)") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(code))


def _names_javascript(pdf: pikepdf.Pdf) -> None:
    tree = pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), pdf.make_indirect(_js())]))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pdf.make_indirect(tree))


def _open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = pdf.make_indirect(_js())


def _page_aa(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].AA = pikepdf.Dictionary(O=_js())


def _annotation_aa(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots[0].AA = pikepdf.Dictionary(E=_js())


def _launch(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots[0].A = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))


def _uri_javascript(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].Annots[0].A.URI = pikepdf.String("  JavaScript:alert(1)")


def _next_action(pdf: pikepdf.Pdf) -> None:
    # An innocent go-to whose /Next runs a script: the chain is followed.
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit]), Next=_js()
    )


def _embedded_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not a program")


def _file_attachment(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("x.txt"))
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=pikepdf.Array([30, 30, 40, 40]),
        FS=spec,
    )
    pdf.pages[0].Annots.append(pdf.make_indirect(annot))


HOSTILE = {
    "names-javascript": (_names_javascript, "JavaScript"),
    "open-action": (_open_action, "JavaScript"),
    "page-aa": (_page_aa, "page 1"),
    "annotation-aa": (_annotation_aa, "page 1"),
    "launch": (_launch, "launch action"),
    "uri-javascript": (_uri_javascript, "javascript: link"),
    "next-action": (_next_action, "JavaScript"),
    "embedded-file": (_embedded_file, "embedded file"),
    "file-attachment": (_file_attachment, "file attachment"),
}


def _verdict(pdf: pikepdf.Pdf, tmp_path: Path) -> tuple[bool, str]:
    path = tmp_path / "t.pdf"
    pdf.save(path)
    with pikepdf.open(path) as saved:  # what is read back from the file, not the objects in memory
        return pdfsafety.pdf_safety(saved)


def test_a_plain_pdf_with_links_is_safe(tmp_path: Path) -> None:
    assert _verdict(_pdf(), tmp_path) == (True, "no JavaScript, launch actions or embedded files")


@pytest.mark.parametrize("case", HOSTILE)
def test_active_content_fails(tmp_path: Path, case: str) -> None:
    make, named = HOSTILE[case]
    pdf = _pdf()
    make(pdf)
    passed, detail = _verdict(pdf, tmp_path)
    assert not passed
    assert named in detail, detail


def test_the_walk_is_bounded(tmp_path: Path) -> None:
    """A file too big to walk is refused, not passed: the work is capped, not the time."""
    pdf = _pdf()
    pdf.Root.Many = pikepdf.Array([pikepdf.Array([i]) for i in range(50)])
    path = tmp_path / "t.pdf"
    pdf.save(path)
    with pikepdf.open(path) as saved:
        assert pdfsafety.pdf_safety(saved)[0]
        passed, detail = pdfsafety.pdf_safety(saved, max_steps=40)
    assert not passed and "too complex" in detail


def test_book_check_pdf_fails_a_script_in_the_book(small) -> None:  # type: ignore[no-untyped-def]
    """The book's own PDF passes the row; the same PDF with a script added fails it, in the
    table of 'book check pdf' too."""
    _, files = small
    clean = {r.check: r for r in preflight(files[".pdf"], PROFILES["kdp"], 6, 9)}
    assert clean[ROW].passed, clean[ROW].detail
    hostile = Path("hostile.pdf")
    with pikepdf.open(files[".pdf"]) as pdf:
        _open_action(pdf)
        pdf.save(hostile)
    results = {r.check: r for r in preflight(hostile, PROFILES["kdp"], 6, 9)}
    assert not results[ROW].passed and "JavaScript" in results[ROW].detail
    result = CliRunner().invoke(
        main, ["check", "pdf", "--source", str(FIXTURES / "small"), "--pdf", str(hostile)]
    )
    assert result.exit_code == 1
    assert f"{ROW:<23}  FAIL  a JavaScript action (trailer /Root /OpenAction)" in result.output, result.output


# --- (7) faults: a full disk, a read-only output folder ---------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch, after: int = 1000) -> None:
    """Files written into dist/ take ``after`` bytes and then fail with ENOSPC, as on a full disk.

    Simulated by patching the writes (a tmpfs of a few kilobytes needs root to mount): every
    file opened for writing under dist/ (zipfile's archive, the PDF's bytes)
    gets a stream whose writes fail once ``after`` bytes are in it.
    """
    real_open = open

    class FullDisk(io.FileIO):
        written = 0

        def write(self, data: object) -> int:
            size = len(memoryview(data))  # type: ignore[arg-type]
            if self.written + size > after:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.written += size
            return super().write(data)  # type: ignore[arg-type]

    def fake_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "dist" in Path(str(file)).parts and ("w" in mode or "x" in mode or "a" in mode):
            raw = FullDisk(str(file), mode.replace("b", "").replace("+", "") or "r")
            return io.BufferedWriter(raw) if "b" in mode else io.TextIOWrapper(io.BufferedWriter(raw))
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr("io.open", fake_open)  # zipfile opens its archive with io.open


@pytest.mark.parametrize("target", ["epub", "pdf"])
def test_a_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    previous = out / f"t.{target}"
    previous.write_bytes(b"the previous build")
    _full_disk(monkeypatch)
    result = CliRunner().invoke(main, build_args(source, out, target))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a BookError, not a crash
    assert (
        result.output.strip().splitlines()[-1]
        == f"Error: {previous}: cannot write the output: No space left on device"
    )
    assert [p.name for p in out.iterdir()] == [previous.name]  # no .part, no .pikepdf file
    assert previous.read_bytes() == b"the previous build"


def test_a_read_only_output_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system (EROFS) refuses the temporary output: simulated, as root may
    write in any folder; the next test makes a folder read-only for real where it can."""
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(out / ".t.epub.x.part"))

    monkeypatch.setattr("tempfile.mkstemp", mkstemp)
    result = CliRunner().invoke(main, build_args(source, out))
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {out / 't.epub'}: cannot write the output: Read-only file system"
    )
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_folder_without_write_permission_is_one_line(tmp_path: Path) -> None:
    source = project(tmp_path)
    out = tmp_path / "dist"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = CliRunner().invoke(main, build_args(source, out))
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {out / 't.epub'}: cannot write the output: Permission denied"
    )
    assert list(out.iterdir()) == []


# --- (10) a signal at any moment: 130, 143 or 129, one line, nothing left in $TMPDIR ---------

SIGNAL_AT = Path(__file__).resolve().parent / "signal_at.py"
LINE = "interrupted by {}: unfinished outputs were removed, the previous ones are intact"
# Moments before any output exists: the imports (a Ctrl+C in the first quarter second printed a
# traceback), click's parsing ("Aborted!", exit 1), reading the manuscript, and WeasyPrint's
# layout just after it made its font folder in $TMPDIR (which stayed there).
EARLY = {
    "imports": ("epub", "import:click"),
    "parsing": ("epub", "start:click.core:Command.parse_args:parser = self.make_parser(ctx)"),
    "reading": ("epub", 'start:build_tools.build:build:step("Reading the manuscript")'),
    "layout": ("pdf", "start:weasyprint.text.fonts:FontConfiguration.add_font_face:font_path = self._folder"),
}


def _signalled(tmp_path: Path, sig: signal.Signals, spec: str, target: str) -> tuple[int, str, Path]:
    """``book build`` in its own process with a $TMPDIR of its own, ``sig`` sent at ``spec``."""
    source = project(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.run(
        [sys.executable, str(SIGNAL_AT), sig.name, spec, *build_args(source, tmp_path / "dist", target)],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(temp)},
        timeout=600,  # against a hang only
    )
    assert f"signal_at: sent {sig.name} at {spec.removeprefix('start:')}" in process.stderr, process.stderr
    return process.returncode, process.stderr, temp


@pytest.mark.parametrize("moment", EARLY)
@pytest.mark.parametrize(
    "sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"]
)
def test_a_signal_before_the_writing_is_one_line(tmp_path: Path, sig: signal.Signals, moment: str) -> None:
    target, spec = EARLY[moment]
    status, stderr, temp = _signalled(tmp_path, sig, spec, target)
    assert status == 128 + sig, stderr
    assert stderr.splitlines()[-1] == LINE.format(sig.name), stderr
    assert "Traceback" not in stderr and "Aborted!" not in stderr and "Exception ignored" not in stderr
    assert list(temp.iterdir()) == []  # no weasyprint-* folder, no folder of the command's
    assert not (tmp_path / "dist").exists() or list((tmp_path / "dist").iterdir()) == []


def test_a_build_removes_its_temporary_folder(tmp_path: Path) -> None:
    """WeasyPrint's font folder (made for the book's @font-face fonts) is gone after a build."""
    source = project(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.run(
        [sys.executable, "-m", "build_tools", *build_args(source, tmp_path / "dist", "pdf")],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(temp)},
        timeout=600,
    )
    assert process.returncode == 0, process.stderr
    assert list(temp.iterdir()) == []


def test_a_killed_commands_folder_is_removed_by_the_next(tmp_path: Path) -> None:
    """SIGKILL leaves the command's folder; the next command removes it once no process has
    its number, and leaves a live one's."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    temp = tmp_path / "tmp"
    dead, live = temp / f"book-{ended.stdout.strip()}-x", temp / f"book-{os.getpid()}-y"
    for folder in (dead, live):
        (folder / "weasyprint-z").mkdir(parents=True)
    process = subprocess.run(
        [sys.executable, "-m", "build_tools", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        timeout=600,
    )
    assert process.returncode == 0, process.stderr
    assert sorted(p.name for p in temp.iterdir()) == [live.name]
