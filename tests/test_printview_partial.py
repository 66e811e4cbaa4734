"""The print view's quick proof (issue 18 item 3): a section laid out alone, where the last whole
layout put it, is shown after a save before the whole book is laid out again.

The layouts here are the worker's own functions (``printjobs.lay_out``, ``lay_out_part``) run
in the test's process; the preview's tests hold the whole layout's result back with an event, so
that what is shown before it lands is seen, whatever the machine's speed.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdf_tools import head_and_foot, page_texts
from preview_tools import HANG_GUARD, STYLES, changed, endless, laid_out, save, wait_for, wait_until
from starlette.testclient import TestClient

from build_tools.build import Project, read_book
from build_tools.model import Book
from build_tools.preview import Preview, printview
from build_tools.preview.printjobs import Layout, Proof, lay_out, lay_out_part

MANUSCRIPTS = Path(__file__).resolve().parent / "manuscripts"
# Sections that open on any page, so that some open on a verso (the book's own open on rectos).
ANY_SIDE = "\n.chapter, .back-matter, .front-matter, section.part { break-before: page; }\n"


def _whole(source: Path, styles: Path) -> tuple[Book, Layout]:
    book = read_book(Project(source, styles, source / "unused"))
    layout = lay_out(book, styles, 1)
    assert isinstance(layout, Layout), layout
    return book, layout


def _proofs(book: Book, layout: Layout, styles: Path) -> dict[str, Proof]:
    """Every section laid out alone where ``layout`` put it."""
    proofs = {}
    for part, _ in layout.parts:
        placement = layout.placement(part)
        if placement is not None:
            proof = lay_out_part(book, styles, 2, part, placement)
            assert isinstance(proof, Proof), proof
            proofs[part] = proof
    return proofs


def _pdf(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def _words(texts: list[str]) -> str:
    """The pages' text as words apart by single spaces (a tie's no-break space is one)."""
    return " ".join(" ".join(texts).split())


def _left_edge(pdf: Path, index: int) -> float:
    """Where the text of page ``index`` begins, in points from the page's left edge."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        textpage = document[index].get_textpage()
        edges = [textpage.get_charbox(i)[0] for i in range(textpage.count_chars())]
        return min(edges)
    finally:
        document.close()


def _same_pages(layout: Layout, proofs: dict[str, Proof], tmp_path: Path) -> list[str]:
    """Check each proof against the whole layout: its pages carry the running heads and folios of
    the whole layout's pages (on the same sides), its first page opens with the same words and
    begins its text as far from the left edge. Returns the parts that open on a verso."""
    whole = _pdf(layout.pdf, tmp_path / "whole.pdf")
    heads, texts = head_and_foot(whole), page_texts(whole)
    versos = []
    for part, proof in proofs.items():
        alone = _pdf(proof.pdf, tmp_path / f"{part}.pdf")
        shown = layout.pages_of(part)
        assert shown is not None and proof.start == shown.start
        own = head_and_foot(alone)
        count = min(proof.page_count, len(shown))
        assert own[:count] == heads[proof.start : proof.start + count], part
        assert page_texts(alone)[0].split()[:12] == texts[proof.start].split()[:12], part
        # The side's margins: the gutter is 18 pt wider than the outer margin.
        assert abs(_left_edge(alone, 0) - _left_edge(whole, proof.start)) < 2, part
        if proof.start % 2:
            versos.append(part)
    return versos


def test_each_section_alone_prints_the_folios_and_heads_of_the_whole_layout(tmp_path: Path) -> None:
    # Roman folios in the front matter, parts' title pages before the body's chapters, back matter.
    book, layout = _whole(MANUSCRIPTS / "structure", STYLES)
    proofs = _proofs(book, layout, STYLES)
    assert len(proofs) == len(book.sections)
    assert _same_pages(layout, proofs, tmp_path) == []  # the book's sections open on rectos
    assert layout.placement("notes") is None  # the back matter's apparatus is laid out whole


def test_a_section_that_opened_on_a_verso_keeps_its_side(tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(STYLES, styles)
    with (styles / "print.css").open("a", encoding="utf-8") as css:
        css.write(ANY_SIDE)
    book, layout = _whole(MANUSCRIPTS / "structure", styles)
    proofs = _proofs(book, layout, styles)
    versos = _same_pages(layout, proofs, tmp_path)
    body = {section.id for section in book.matter("body")}
    assert versos and body & set(versos)  # a chapter among them, whose second page has a running head
    for part in versos:
        assert not head_and_foot(_pdf(proofs[part].pdf, tmp_path / "v.pdf"))[0][0]  # an opening: no head


def test_page_references_in_a_section_alone_print_the_whole_layouts_pages(tmp_path: Path) -> None:
    # Page references into the roman front matter, to another chapter, a note and an event: none
    # of their targets is in the section laid out alone.
    book, layout = _whole(MANUSCRIPTS / "xrefs", STYLES)
    proofs = _proofs(book, layout, STYLES)
    texts = page_texts(_pdf(layout.pdf, tmp_path / "whole.pdf"))
    found = 0
    for part, proof in proofs.items():
        shown = layout.pages_of(part)
        assert shown is not None
        alone = _words(page_texts(_pdf(proof.pdf, tmp_path / f"{part}.pdf")))
        whole = " ".join(texts[index] for index in shown)
        references = re.findall(r"\bpp?\.\s*([ivxl]+|\d+)", alone)
        assert references == re.findall(r"\bpp?\.\s*([ivxl]+|\d+)", whole), part
        found += len(references)
    assert found >= 5


# ------------------------------------------------------------------ in the preview


@pytest.fixture
def hold(preview: Preview) -> Iterator[Callable[[str], threading.Event]]:
    """``hold(name)`` holds back the print view's handling of a finished layout (``_finished``:
    the whole book; ``_proved``: a quick proof) until the event it returns is set: the layout is
    done in the worker, its result not yet shown. Every hold is let go before the preview closes."""
    releases: list[threading.Event] = []

    def hold(name: str) -> threading.Event:
        release = threading.Event()
        handle: Callable[..., None] = getattr(preview.printed, name)

        def held(*args: object) -> None:
            assert release.wait(HANG_GUARD), "never released"
            handle(*args)

        setattr(preview.printed, name, held)
        releases.append(release)
        return release

    yield hold
    for release in releases:
        release.set()


def _started(preview: Preview, worker: str) -> list[int]:
    """The versions the print view's ``worker`` (``_whole``, ``_quick``) starts a layout of, in
    order."""
    started: list[int] = []
    chosen = getattr(preview.printed, worker)
    submit = chosen.submit

    def recorded(task: object, version: int, *args: Any) -> Future[Any]:
        started.append(version)
        return submit(task, version, *args)

    chosen.submit = recorded
    return started


def _wholes(preview: Preview) -> list[int]:
    """The versions the print view starts a whole layout of, in order."""
    return _started(preview, "_whole")


def _version(preview: Preview) -> int | None:
    layout = preview.printed._layout
    return layout.version if layout else None


def _images(page: str) -> list[tuple[str, str]]:
    return re.findall(r'src="/print/(\d+)/(?:(sec-\d+)/)?page-\d+\.png"', page)


def _first_layout(preview: Preview, client: TestClient) -> threading.Event:
    done = laid_out(preview)
    client.get("/print/section-002.html")
    wait_for(done, "the first layout")
    return done


def test_an_edited_section_shows_its_new_pages_before_the_whole_layout(
    preview: Preview,
    client: TestClient,
    manuscript: Path,
    tmp_path: Path,
    hold: Callable[[str], threading.Event],
) -> None:
    done = _first_layout(preview, client)
    before = preview.printed._layout
    assert before is not None
    started, release = _wholes(preview), hold("_finished")
    save(manuscript / "text" / "two.md", "That is all.", "That is all, said the quick proof.")
    changed(preview, manuscript / "text" / "two.md")
    client.get("/print/section-002.html")  # the part on view is laid out alone first
    wait_for(done, "the quick proof")
    page = client.get("/print/section-002.html").text
    assert "print-quick" in page and 'data-state="updating"' in page  # said so, the book still laid out
    assert "quick look at this section" in page
    images = _images(page)
    assert images and all(part == "sec-2" for _, part in images)
    proof = preview.printed._proof
    assert proof is not None and preview.printed._layout is before  # the whole layout not landed
    assert started == [proof.version]  # and under way, once
    alone = _pdf(proof.pdf, tmp_path / "alone.pdf")
    assert "said the quick proof" in _words(page_texts(alone))
    old = before.pages_of("sec-2")
    assert old is not None and proof.start == old.start
    whole = head_and_foot(_pdf(before.pdf, tmp_path / "before.pdf"))
    assert head_and_foot(alone) == whole[proof.start : proof.start + proof.page_count]  # its folios
    first = re.search(r'src="(/print/\d+/sec-2/page-\d+\.png)"', page)
    assert first is not None
    png = client.get(first[1])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    release.set()
    wait_for(done, "the whole layout")
    page = client.get("/print/section-002.html").text
    assert 'data-state="updating"' not in page and "print-quick" not in page
    assert _images(page) and all(not part and int(v) == proof.version for v, part in _images(page))
    layout = preview.printed._layout
    assert layout is not None and layout.version == proof.version
    assert "said the quick proof" in _words(page_texts(_pdf(layout.pdf, tmp_path / "after.pdf")))
    assert client.get(first[1]).status_code == 404  # the proof is gone with its layout
    assert started == [proof.version]


def test_a_save_during_a_whole_layout_shows_its_quick_proof_and_queues_the_latest(
    preview: Preview,
    client: TestClient,
    manuscript: Path,
    tmp_path: Path,
    hold: Callable[[str], threading.Event],
) -> None:
    done = _first_layout(preview, client)
    started, release = _wholes(preview), hold("_finished")
    two = manuscript / "text" / "two.md"
    save(two, "That is all.", "That is all, first.")
    changed(preview, two)
    client.get("/print/section-002.html")  # the whole layout of the first save, held when done
    first = preview.site.settled_version
    assert started == [first]
    wait_for(done, "the first save's quick proof")
    save(two, "That is all, first.", "That is all, second.")
    changed(preview, two)
    client.get("/print/section-002.html")  # a whole layout is under way: no other is started
    latest = preview.site.settled_version
    assert latest > first and started == [first]
    # The second save's section is laid out alone meanwhile, in the other worker: the print view
    # stays live while the whole book is laid out.
    wait_for(done, "the second save's quick proof")
    page = client.get("/print/section-002.html").text
    proof = preview.printed._proof
    assert proof is not None and proof.version == latest and "print-quick" in page
    assert "That is all, second." in _words(page_texts(_pdf(proof.pdf, tmp_path / "alone.pdf")))
    release.set()
    wait_until(lambda: _version(preview) == latest, "the whole layout of the latest save")
    assert started == [first, latest]  # the latest save's, started when the first's was done
    layout = preview.printed._layout
    assert layout is not None and layout.version == latest
    assert "That is all, second." in _words(page_texts(_pdf(layout.pdf, tmp_path / "whole.pdf")))
    page = client.get("/print/section-002.html").text  # the latest is laid out: nothing to do
    assert 'data-state="updating"' not in page and started == [first, latest]


def test_a_section_parsed_alone_is_laid_out_alone_once(
    preview: Preview, client: TestClient, manuscript: Path, tmp_path: Path
) -> None:
    _first_layout(preview, client)
    alone = _started(preview, "_quick")
    # The page asks as soon as it is told of the section parsed alone, before the whole read.
    preview.site.notify = lambda: client.get("/print/section-002.html") and None
    two = manuscript / "text" / "two.md"
    save(two, "That is all.", "That is all, before the whole read.")
    changed(preview, two)
    draft = preview.site.version - 1  # the section parsed alone's; the whole read's is the next
    client.get("/print/section-002.html")  # after the whole read: the same section
    assert alone == [draft]  # its quick proof is not made again for the whole read
    wait_until(lambda: _version(preview) == preview.site.settled_version, "the whole layout")
    layout = preview.printed._layout
    assert layout is not None and alone == [draft]
    assert "before the whole read" in _words(page_texts(_pdf(layout.pdf, tmp_path / "whole.pdf")))
    wait_until(lambda: preview.printed._quick.running is None, "the quick proof")
    assert preview.printed._proof is None  # older than the whole layout: never shown after it


@pytest.mark.parametrize("part", ["notes", "chronology"])
def test_the_back_matter_is_laid_out_whole(
    preview: Preview, client: TestClient, manuscript: Path, part: str
) -> None:
    done = _first_layout(preview, client)
    started = _wholes(preview)
    save(manuscript / "text" / "two.md", "That is all.", "That is all there is.")
    changed(preview, manuscript / "text" / "two.md")
    client.get(f"/print/{part}.html")
    assert started == [preview.site.version]  # no quick proof of it: the whole book at once
    wait_for(done, "the whole layout")
    assert preview.printed._proof is None


def test_closing_the_preview_stops_a_layout_under_way(
    preview: Preview, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An 800-page book's layout takes minutes: Ctrl+C must not wait for it.
    monkeypatch.setattr(printview, "lay_out", endless)
    client.get("/print/section-001.html")  # the whole layout starts, never to end
    workers = [getattr(w.pool, "_processes", {}) for w in (preview.printed._whole, preview.printed._quick)]
    processes = [process for found in workers for process in found.values()]
    assert processes and all(process.is_alive() for process in processes)
    closing = threading.Thread(target=preview.printed.close)
    closing.start()
    closing.join(HANG_GUARD)
    assert not closing.is_alive(), "close waited for the layout under way"
    for process in processes:
        process.join(HANG_GUARD)
        assert not process.is_alive()
