"""The print view of a long book (issue 18: an edited section's new pages within 2 s at 400 and at
800 pages): from a save to the section's new printed page, as `book preview` serves it.

Run from the repository root as `.venv/bin/python bench/printview.py [--sizes 20 36]` (or `make
bench`). A size is a number of chapters, each the whole essay (bench.py's generated books: 20
make about 500 pages, 36 about 800: KDP prints 828 at most). For each, the preview is opened
as `book preview` opens it (``open_preview``: the live book, the print view and its worker
processes), without the HTTP server: the site's ``render`` serves the URL paths, as the open
page asks for them, while ``rebuild``, what the watcher calls after a save, runs in a thread of
its own. Measured, in seconds of wall time on this machine:

- the whole layout the print view makes first (the worker's ``paginate.lay_out``, as `book
  build pdf`);
- after a sentence is added to the middle chapter and saved: the section's new first page as
  a PNG (its quick proof: ``layout/partial.py``, from the section parsed alone), the re-read
  (``rebuild``: the section alone, then the whole book), the whole layout that replaces the
  proof;
- the largest worker's peak memory (the whole layout's).

The watcher's own delay (watchfiles' debounce, 50 ms) is not in these figures. Results go to
bench/out/printview.json; the Markdown rows to standard output.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import OUT, ROOT, make_twenty_chapters  # noqa: E402
from build_tools.preview import open_preview  # noqa: E402
from build_tools.preview.site import Site  # noqa: E402

SIZES = (20, 36)
TARGET_S = 2.0  # issue 18: the edited section's new pages within 2 s
POLL_S = 0.02  # a bench may poll: the figures are its own, no test waits on them
LIMIT_S = 1200.0  # a layout that takes longer is a hang
_FAILED = re.compile(r'class="print-status print-failed" role="alert">([^<]*)<')
_IMAGE = re.compile(r'src="(/print/(\d+)/(?:sec-\d+/)?page-\d+\.png)"')


def _until(condition: Callable[[], str | None], what: str) -> tuple[float, str]:
    """Poll ``condition`` until it returns a value: that value and the seconds it took."""
    start = time.perf_counter()
    while (found := condition()) is None:
        if time.perf_counter() - start > LIMIT_S:
            raise SystemExit(f"bench/printview.py: {what}: nothing after {LIMIT_S:.0f} s")
        time.sleep(POLL_S)
    return time.perf_counter() - start, found


def _edit(path: Path) -> None:
    """Add a sentence to a paragraph in the middle of ``path``, as an author's save does."""
    lines = path.read_text(encoding="utf-8").split("\n")
    middle = len(lines) // 2
    at = next(i for i in range(middle, len(lines)) if re.match(r"[A-Z].*\.$", lines[i]))
    lines[at] += " This sentence was added by the bench, to see the print view follow a save."
    path.write_text("\n".join(lines), encoding="utf-8")


def measure(chapters: int, work: Path) -> dict[str, float | int]:
    """The figures for a book of ``chapters`` essays."""
    source = make_twenty_chapters(ROOT / "manuscript", work / f"book-{chapters}", chapters)
    start = time.perf_counter()
    preview = open_preview(source, ROOT / "styles")
    read_s = time.perf_counter() - start
    number = chapters // 2  # the middle chapter: section k is chapter k
    view = f"/print/section-{number:03d}.html"
    site = preview.site
    try:
        whole_s, _ = _until(_shown(site, view, 0, False), "the first whole layout")
        pages, before = preview.printed.page_count, site.version
        saved = time.perf_counter()
        chapter = source / "text" / f"chapter-{number:02d}.md"
        _edit(chapter)
        # The watcher's thread re-reads while the open page asks for its pages, as in the browser.
        took: list[float] = []
        reread = threading.Thread(target=_timed, args=(took, site.rebuild, {chapter}))
        reread.start()
        _, image = _until(_shown(site, view, before, True), "the quick proof after the save")
        png = site.render(image)
        assert png is not None and png.content[:4] == b"\x89PNG", image
        quick_s = time.perf_counter() - saved
        reread.join()
        reread_s = took[0]
        _until(_shown(site, view, site.settled_version - 1, False), "the whole layout after the save")
        whole_after_s = time.perf_counter() - saved
    finally:
        preview.close()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB: the largest worker, reaped
    return {
        "chapters": chapters,
        "pages": pages,
        "open_s": read_s,
        "first_whole_s": whole_s,
        "save_reread_s": reread_s,
        "save_to_new_page_s": quick_s,
        "save_to_whole_s": whole_after_s,
        "worker_peak_mib": peak // 1024,
    }


def _timed(took: list[float], function: Callable[..., object], *args: object) -> None:
    start = time.perf_counter()
    function(*args)
    took.append(time.perf_counter() - start)


def _shown(site: Site, view: str, after: int, quick: bool) -> Callable[[], str | None]:
    """A poll of ``view``: the URL of its first image once it shows a layout newer than version
    ``after``, a quick proof (``quick``) or the whole book's, no longer updating."""

    def found() -> str | None:
        page = site.render(view)
        assert page is not None, view
        html = page.content if isinstance(page.content, str) else page.content.decode()
        if failed := _FAILED.search(html):
            raise SystemExit(f"bench/printview.py: the print layout failed: {failed[1]}")
        images = _IMAGE.findall(html)
        if not images or int(images[0][1]) <= after:
            return None
        if quick != ("print-quick" in html) or (not quick and 'data-state="updating"' in html):
            return None
        return str(images[0][0])

    return found


def rows(found: list[dict[str, float | int]]) -> list[str]:
    """The figures as Markdown table rows, one a book."""
    lines = [
        "| book | open (read) | first whole layout | save: whole re-read | save → new page (quick proof) "
        "| save → whole layout | largest worker's peak memory |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in found:
        verdict = "✓" if f["save_to_new_page_s"] <= TARGET_S else f"✗ (target {TARGET_S:.0f} s)"
        lines.append(
            f"| {f['chapters']}× the essay, {f['pages']} pages | {f['open_s']:.1f} s "
            f"| {f['first_whole_s']:.1f} s | {f['save_reread_s']:.2f} s "
            f"| {f['save_to_new_page_s']:.2f} s {verdict} "
            f"| {f['save_to_whole_s']:.1f} s | {f['worker_peak_mib']} MiB |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), help="chapters (essays) per book"
    )
    args = parser.parse_args()
    found = []
    with tempfile.TemporaryDirectory(prefix="book-bench-printview-") as tmp:
        for chapters in sorted(args.sizes):  # the children's peak memory is the largest yet
            print(f"print view: {chapters} chapters", file=sys.stderr, flush=True)
            found.append(measure(chapters, Path(tmp)))
            print(rows(found)[-1], file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "printview.json").write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print("\n".join(rows(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
