"""The paragraphs' trials (issue 18): each setting named by everything it depends on, laid out
once in a build, kept in ``<out>/.book-cache/trials/`` for the next; a build gives the same
pages whatever the cache held, and a rebuild after an edit tries only what the edit changed."""

from __future__ import annotations

import json
import logging
import shutil
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from conftest import STYLES, quiet_layout
from lxml import etree

from build_tools.build import Project, build
from build_tools.layout import respace
from build_tools.layout.trialpool import TrialPool
from build_tools.layout.trials import Piece, trial_pieces
from build_tools.writers.pdf.cache import FOLDER
from build_tools.writers.pdf.trialcache import TRIALS

XREFS = Path(__file__).resolve().parent / "manuscripts" / "xrefs"


class _Set:
    def __init__(self, measure: float = 432.0) -> None:
        self.runt, self.loosest = True, 0.1
        self.measure, self.indent, self.size = measure, 18.0, 15.3


_PARAGRAPHS = (
    '<html lang="en"><body>'
    '<p id="a">Words <span id="s">here</span>, see page <a class="xref-page" href="#t"></a>.</p>'
    '<p id="b" class="set-loose">Words <span id="u">here</span>, see page '
    '<a class="xref-page" href="#t"></a>.</p>'
    '<p id="c">A picture <img src="print-image:river.png"/> in the line.</p>'
    '<p id="t">The target.</p></body></html>'
)


def _pieces(context: tuple[str, dict[str, str]], measure: float = 432.0) -> dict[str, Piece]:
    root = etree.fromstring(_PARAGRAPHS)
    found = trial_pieces(root, dict.fromkeys("abc", _Set(measure)), ("set-tight",), {}, frozenset(), context)
    return {piece.item.owner: piece for piece in found}


def test_a_setting_is_named_by_what_sets_it_and_prints_the_layouts_pages() -> None:
    pieces = _pieces(("renderer", {"t": "12"}))
    # Two paragraphs of the same words in the same variant are one setting: ids and the class
    # of the variant they have in the book change nothing.
    assert pieces["a"].key == pieces["b"].key
    link = pieces["a"].holder.xpath(".//a")[0]
    assert link.text == "12" and link.get("class") == "xref-page-known"  # the layout's page, written in
    assert not pieces["a"].holder.xpath(".//*[@id]")
    assert pieces["a"].lasting and not pieces["c"].lasting  # a picture's pixels are not in its key
    for other in (
        _pieces(("renderer", {"t": "13"})),
        _pieces(("other", {"t": "12"})),
        _pieces(("renderer", {"t": "12"}), 400.0),
    ):
        assert other["a"].key != pieces["a"].key


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The settings laid out by trial documents, one count per document."""
    counts: list[int] = []
    real = respace.trial_document

    def counted(root: etree._Element, pieces: list[Piece]) -> tuple[str, dict[str, Piece]]:
        counts.append(len(pieces))
        return real(root, pieces)

    monkeypatch.setattr(respace, "trial_document", counted)
    return counts


def _pdf(source: Path, out: Path) -> bytes:
    with quiet_layout():
        _, (written,) = build(Project(source, STYLES, out), ("pdf",))
    return written.read_bytes()


def _forget_layouts(out: Path) -> None:
    """The layout cache's entries gone, the trials' kept: the next build lays the book out."""
    for entry in (out / FOLDER).glob("*.*"):
        entry.unlink()


def _trial_file(out: Path) -> Path:
    (found,) = (out / FOLDER / TRIALS).glob("*.json")
    return found


def test_a_build_takes_the_settings_of_the_last_and_gives_the_same_pages(
    tmp_path: Path, tried: list[int]
) -> None:
    cold = _pdf(XREFS, tmp_path / "dist")
    assert sum(tried) > 20
    settings = json.loads(_trial_file(tmp_path / "dist").read_text(encoding="utf-8"))["settings"]
    assert len(settings) == sum(tried)  # each setting laid out once, every one kept
    tried.clear()
    _forget_layouts(tmp_path / "dist")
    assert _pdf(XREFS, tmp_path / "dist") == cold and tried == []  # laid out, no trial
    # Half the settings gone: the others are laid out in other documents, and set as they were.
    trials = _trial_file(tmp_path / "dist")
    kept = dict(sorted(settings.items())[::2])
    trials.write_text(json.dumps({"format": 1, "settings": kept}), encoding="utf-8")
    _forget_layouts(tmp_path / "dist")
    assert _pdf(XREFS, tmp_path / "dist") == cold and 0 < sum(tried) < len(settings)


def test_a_rebuild_after_an_edit_tries_only_the_paragraphs_it_changed(
    tmp_path: Path, tried: list[int]
) -> None:
    source = shutil.copytree(XREFS, tmp_path / "manuscript")
    _pdf(source, tmp_path / "dist")
    cold = sum(tried)
    chapter = source / "text" / "aftermath.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(".\n", ", and more was said of it.\n"), encoding="utf-8"
    )  # each paragraph
    tried.clear()
    edited = _pdf(source, tmp_path / "dist")
    assert 0 < sum(tried) < cold  # the other chapters' settings are the last build's
    assert edited == _pdf(source, tmp_path / "fresh")  # the same pages as a build with no cache


def test_a_trial_file_that_cannot_be_read_or_written_costs_only_time(
    tmp_path: Path, tried: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    cold = _pdf(XREFS, tmp_path / "dist")
    trials = _trial_file(tmp_path / "dist")
    trials.write_text(trials.read_text(encoding="utf-8")[:100], encoding="utf-8")  # cut short
    _forget_layouts(tmp_path / "dist")
    tried.clear()
    assert _pdf(XREFS, tmp_path / "dist") == cold and sum(tried) > 20
    assert json.loads(trials.read_text(encoding="utf-8"))["settings"]  # written anew
    shutil.rmtree(trials.parent)
    trials.parent.write_text("not a folder", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert _pdf(XREFS, tmp_path / "other") == cold  # another folder: its cache is its own
        _forget_layouts(tmp_path / "dist")
        assert _pdf(XREFS, tmp_path / "dist") == cold
    assert "the trials' settings are not kept for the next build" in caplog.text


STRUCTURE = Path(__file__).resolve().parent / "manuscripts" / "structure"


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each trial document given to the workers was taken by one."""
    given: list[bool] = []
    real = TrialPool.lay_out

    def counted(self: TrialPool, html: str, inside: float) -> object:
        future = real(self, html, inside)
        given.append(future is not None)
        return future

    monkeypatch.setattr(TrialPool, "lay_out", counted)
    return given


def _jobs(source: Path, out: Path, jobs: int) -> bytes:
    with quiet_layout():
        _, (written,) = build(Project(source, STYLES, out), ("pdf",), jobs=jobs)
    return written.read_bytes()


def test_the_trials_laid_out_in_parallel_give_the_pages_of_one_process(
    tmp_path: Path, shared: list[bool]
) -> None:
    alone = _jobs(STRUCTURE, tmp_path / "one", 1)
    assert shared == []
    assert _jobs(STRUCTURE, tmp_path / "three", 3) == alone
    assert shared and all(shared)  # the workers laid out their share


def test_a_worker_that_fails_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies, or lays out otherwise than the main process, is not taken at its word:
    its share is laid out at home, and the pages are the same."""
    alone = _jobs(STRUCTURE, tmp_path / "one", 1)
    failures: list[Future[object]] = []

    def failing(self: TrialPool, html: str, inside: float) -> Future[object]:
        failures.append(Future())
        failures[-1].set_exception(BrokenProcessPool("a worker died"))
        return failures[-1]

    monkeypatch.setattr(TrialPool, "lay_out", failing)
    assert _jobs(STRUCTURE, tmp_path / "broken", 2) == alone and failures
    other: Future[object] = Future()
    other.set_result(("another renderer", {}))
    monkeypatch.setattr(TrialPool, "lay_out", lambda self, html, inside: other)
    assert _jobs(STRUCTURE, tmp_path / "other", 2) == alone
