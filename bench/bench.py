"""Benchmark `book build` against pandoc (EPUB) and pandoc + WeasyPrint (PDF).

Run from the repository root as `.venv/bin/python bench/bench.py` (or `make bench`). Three books:
the essay in manuscript/ and generated books of 20 and 36 chapters (each chapter is the whole
essay: about 500 and 800 pages). Each
command runs N times into a fresh folder; we record wall time and the child's own peak RSS.
Raw numbers go to bench/out/results.json. Exits 0 whatever the ratios, non-zero if a command fails.

Then figures that tests state without timing them (a test never times a machine it does not
know): `book check` on the essay, a paragraph just under the parser's length limit, a 10 MB
paragraph refused, the preview's time from a save to the updated page in headless Chromium
(issue 6's target: 300 ms), and the command's fixed costs (bench/startup.py: `book --help`, the
compiler runs of a PDF build, the heavy imports of each command). The garbage collector's
policies are measured apart: bench/gc_bench.py. `--figures` measures only these (no pandoc needed).

pandoc reads the files with --file-scope: footnote labels are per file, as in our manuscripts,
and pandoc 3.x's Markdown reader is quadratic in the number of '<' in one text (its raw-HTML
look-ahead; our CriticMarkup comments end in '<<}'), which makes the 20-chapter book take minutes
when parsed as one text. --no-file-scope measures that instead.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import startup  # bench/startup.py: the command's fixed costs (issue 18 item 4)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRINT_CSS = Path(__file__).resolve().parent / "pandoc-print.css"
OUT = ROOT / "bench" / "out"
CHAPTERS = 20
EDITED_LIMIT = 0.3  # issue 18: a rebuild after an edit to one chapter, against a full build
LONGEST = 36  # chapters of the third book: about 800 pages (issue 18 measured up to 784; KDP prints 828)
COMMANDS = {  # key: label in the tables
    "ours-epub": "ours EPUB (`book build epub`)",
    "pandoc-epub": "pandoc EPUB",
    "ours-pdf": "ours PDF (`book build pdf`)",
    "ours-pdf-again": "ours PDF again, unchanged (layout cache)",
    "ours-pdf-noindex": "ours PDF without the index",
    "pandoc-weasyprint-pdf": "pandoc HTML + WeasyPrint PDF",
    "weasyprint-step": "  of which WeasyPrint step",
}
# (label, numerator, denominator, measure, limit): issue 18's targets. "One WeasyPrint pass over
# the whole book" is pandoc's HTML of the same text laid out by `weasyprint` (the pandoc
# pipeline's second step): our own final HTML is made inside the layout, never written out.
TARGETS = (
    ("EPUB time: ours / pandoc", "ours-epub", "pandoc-epub", "seconds", 0.5),
    ("PDF time: ours / (pandoc HTML + WeasyPrint)", "ours-pdf", "pandoc-weasyprint-pdf", "seconds", 1.0),
    ("PDF peak memory: ours / one WeasyPrint pass", "ours-pdf", "weasyprint-step", "rss_kib", 0.6),
    ("PDF time: with the index / without", "ours-pdf", "ours-pdf-noindex", "seconds", 1.25),
)


class CommandFailed(Exception):
    """A benchmarked command exited non-zero; carries the command line and its stderr."""


def measure(cmd: list[str], log: Path, expect: tuple[int, ...] = (0,)) -> dict[str, float]:
    """Run cmd once; return its wall time (s) and own peak RSS (KiB). Output goes to log files.
    An exit status not in ``expect`` is a failure."""
    with open(log.with_suffix(".stdout"), "wb") as out, open(log.with_suffix(".stderr"), "wb") as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise CommandFailed(f"cannot run {cmd[0]}: {exc}") from None
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in expect:
        stderr = log.with_suffix(".stderr").read_text(errors="replace")
        raise CommandFailed(f"exit {proc.returncode}: {' '.join(cmd)}\n{stderr}")
    return {"seconds": seconds, "rss_kib": usage.ru_maxrss}


def read_book(source: Path) -> tuple[dict, list[Path]]:
    """The [book] metadata and the Markdown files, in reading order, of a manuscript folder."""
    config = tomllib.loads((source / "book.toml").read_text(encoding="utf-8"))
    return config["book"], [source / name for name in config["contents"]["files"]]


# Where a paragraph's words begin: after a quotation's "> ", its anchors and marks ({#…}, {@…}),
# a note's label ("[^name]: ").
_PROSE = re.compile(r"(?<=\n\n)((?:> )?(?:\{[^}\n]*\})*(?:\[\^[\w-]+\]: )?)(?=[A-Z\u201c])")


def make_twenty_chapters(manuscript: Path, dest: Path, chapters: int = CHAPTERS) -> Path:
    """Write a manuscript whose chapter k (1..chapters, default 20) is the whole essay; return
    its folder.

    The rest of the manuscript folder (e.g. files book.toml names besides the text) is copied,
    and anchors {#id} get the suffix -k in chapters 2..20. Each paragraph of chapter k (text,
    quotation, note) after the first begins "In chapter k, ": no paragraph is set as another is (the layout
    tries a paragraph's settings once, however often the book has it: repeated paragraphs
    would flatter it).
    """
    _, files = read_book(manuscript)
    texts = [path.read_text(encoding="utf-8") for path in files]
    texts[1:] = [re.sub(r"^# ", "## ", text, count=1, flags=re.M) for text in texts[1:]]
    essay = "\n\n".join(text.rstrip("\n") for text in texts) + "\n"
    shutil.copytree(manuscript, dest)
    for path in files:
        (dest / path.relative_to(manuscript)).unlink()
    (dest / "text").mkdir(exist_ok=True)
    names = []
    for k in range(1, chapters + 1):
        names.append(f"text/chapter-{k:02d}.md")
        chapter = re.sub(r"^# (.*)$", rf"# \1 ({k})", essay, count=1, flags=re.M)
        if k > 1:  # anchors {#id} are unique in a book; the chronology links chapter 1's
            chapter = re.sub(r"\{#([\w-]+)\}", rf"{{#\1-{k}}}", chapter)
            chapter = _PROSE.sub(rf"\1In chapter {k}, ", chapter)
        (dest / names[-1]).write_text(chapter, encoding="utf-8")
    toml = (manuscript / "book.toml").read_text(encoding="utf-8")
    files = "files = [" + ", ".join(f'"{name}"' for name in names) + "]"
    toml, found = re.subn(r"^files\s*=\s*\[.*?\]", lambda _: files, toml, count=1, flags=re.M | re.S)
    if not found:
        raise CommandFailed(f"no 'files = [...]' in {manuscript / 'book.toml'}")
    (dest / "book.toml").write_text(toml, encoding="utf-8")
    return dest


def without_index(manuscript: Path, dest: Path) -> Path:
    """A copy of the manuscript without its index: no names file, no index marks."""
    shutil.copytree(manuscript, dest)
    toml = (dest / "book.toml").read_text(encoding="utf-8")
    (dest / "book.toml").write_text(re.sub(r"^names\s*=.*$", "", toml, flags=re.M), encoding="utf-8")
    for path in (dest / "text").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\[([^\]\n]+)\]\{@[a-z][a-z0-9-]*\}", r"\1", text)
        text = re.sub(r"\{@[a-z][a-z0-9-]*:(?:start|end)\}", "", text)
        text = re.sub(r"\{!([^}\n]+)\}", r"\1", text)
        path.write_text(text, encoding="utf-8")
    return dest


def count_pages(pdf: Path) -> int:
    """The number of pages of a PDF (pikepdf if installed, else a regex on the page objects)."""
    try:
        import pikepdf
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def run_once(source: Path, styles: Path, out: Path, pandoc: list[str], plain: Path) -> tuple[dict, dict]:
    """Run the four pipelines once into out/<command>/; return their measures and PDF pages.

    pandoc is the command line that reads Markdown: pandoc, -f markdown and its options.
    """
    meta, files = read_book(source)
    inputs = [str(path) for path in files]
    title = ["--metadata", f"title={meta['title']}", "--metadata", "lang=en"]
    d = {key: out / key for key in COMMANDS}
    for folder in d.values():
        folder.mkdir(parents=True)
    ours = [str(BIN / "book"), "build", "--source", str(source), "--styles", str(styles)]
    html, pdf = d["pandoc-weasyprint-pdf"] / "out.html", d["pandoc-weasyprint-pdf"] / "out.pdf"
    result = {
        "ours-epub": measure([*ours, "epub", "--out", str(d["ours-epub"])], d["ours-epub"] / "log"),
        "pandoc-epub": measure(
            [
                *pandoc,
                "-t",
                "epub3",
                *title,
                "--metadata",
                f"author={meta['author']}",
                "-o",
                str(d["pandoc-epub"] / "out.epub"),
                *inputs,
            ],
            d["pandoc-epub"] / "log",
        ),
        "ours-pdf": measure([*ours, "pdf", "--out", str(d["ours-pdf"])], d["ours-pdf"] / "log"),
        "ours-pdf-again": measure([*ours, "pdf", "--out", str(d["ours-pdf"])], d["ours-pdf-again"] / "log"),
        "ours-pdf-noindex": measure(
            [
                str(BIN / "book"),
                "build",
                "pdf",
                "--source",
                str(plain),
                "--styles",
                str(styles),
                "--out",
                str(d["ours-pdf-noindex"]),
            ],
            d["ours-pdf-noindex"] / "log",
        ),
        "pandoc-html": measure(
            [*pandoc, "-t", "html5", "-s", *title, "-c", PRINT_CSS.as_uri(), "-o", str(html), *inputs],
            d["pandoc-weasyprint-pdf"] / "log",
        ),
        "weasyprint-step": measure(
            [str(BIN / "weasyprint"), str(html), str(pdf)], d["weasyprint-step"] / "log"
        ),
    }
    step1, step2 = result.pop("pandoc-html"), result["weasyprint-step"]
    result["pandoc-weasyprint-pdf"] = {
        "seconds": step1["seconds"] + step2["seconds"],
        "rss_kib": max(step1["rss_kib"], step2["rss_kib"]),
        "pandoc_html_seconds": step1["seconds"],
    }
    pages = {
        "ours-pdf": count_pages(next(d["ours-pdf"].glob("*.pdf"))),
        "pandoc-weasyprint-pdf": count_pages(pdf),
        "weasyprint-step": count_pages(pdf),
    }
    return result, pages


def edited_rebuild(source: Path, work: Path) -> dict[str, float]:
    """`book build pdf` into a folder, then again after a sentence is added to the middle
    chapter (issue 18's target: the second at most 0.3 times the first, its unchanged parts
    from the cache)."""
    manuscript = shutil.copytree(source, work / "manuscript")
    ours = [str(BIN / "book"), "build", "pdf", "--source", str(manuscript), "--styles", str(ROOT / "styles")]
    ours += ["--out", str(work / "out")]
    (work / "logs").mkdir()
    first = measure(ours, work / "logs" / "first")
    _, files = read_book(manuscript)
    middle = files[len(files) // 2]
    text = middle.read_text(encoding="utf-8")
    middle.write_text(text.replace(".\n", ". A sentence added by the bench.\n", 1), encoding="utf-8")
    again = measure(ours, work / "logs" / "again")
    full, edited = first["seconds"], again["seconds"]
    return {"full_s": full, "edited_s": edited, "ratio": edited / full}


def bench_book(source: Path, styles: Path, runs: int, work: Path, pandoc: list[str]) -> dict:
    """Run every pipeline `runs` times on one book; return raw runs, summaries and ratios."""
    raw: dict[str, list[dict]] = {key: [] for key in COMMANDS}
    plain = without_index(source, work / "without-index")
    for run in range(1, runs + 1):
        print(f"  run {run}/{runs}", file=sys.stderr, flush=True)
        measures, pages = run_once(source, styles, work / f"run-{run}", pandoc, plain)
        for key, value in measures.items():
            raw[key].append(value)
    summary = {}
    for key, values in raw.items():
        seconds = [v["seconds"] for v in values]
        summary[key] = {
            "median_s": statistics.median(seconds),
            "min_s": min(seconds),
            "max_s": max(seconds),
            "median_rss_mib": statistics.median(v["rss_kib"] for v in values) / 1024,
            "pages": pages.get(key),
        }
    ratios = []
    for label, num, den, what, limit in TARGETS:
        value = statistics.median(v[what] for v in raw[num]) / statistics.median(v[what] for v in raw[den])
        ratios.append({"target": label, "ratio": value, "limit": limit, "pass": value <= limit})
    warnings = {}
    for key in ("ours-epub", "ours-pdf"):  # keep what our builds printed, for a look afterwards
        stderr = (work / "run-1" / key / "log.stderr").read_text(encoding="utf-8")
        (OUT / f"{work.name}-{key}.stderr.txt").write_text(stderr, encoding="utf-8")
        warnings[key] = sum(line.startswith("warning:") for line in stderr.splitlines())
    return {
        "source": str(source),
        "runs": runs,
        "raw": raw,
        "summary": summary,
        "ratios": ratios,
        "warnings": warnings,
    }


# ---------------------------------------------------------------- figures the tests state untimed

FIXTURE = ROOT / "tests" / "fixtures" / "small"
MAX_PARAGRAPH = 200_000  # build_tools.parse's limit: the longest paragraph it converts
PREVIEW_TAKES = 7
PREVIEW_TARGET_MS = 300  # issue 6: from a save of one section to the updated page
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# When the text first shows in the page (Date.now(), the clock of Python's time.time()), from a
# MutationObserver: the body swap, before the frame is painted.
OBSERVE = """(target) => {
  window.__seen = null;
  new MutationObserver(() => {
    const main = document.getElementById("preview-main");
    if (window.__seen === null && main && main.textContent.includes(target)) window.__seen = Date.now();
  }).observe(document.documentElement, {childList: true, subtree: true});
}"""


def with_paragraph(dest: Path, paragraph: str) -> Path:
    """The test fixture's book with ``paragraph`` added at the end of its second chapter."""
    shutil.copytree(FIXTURE, dest)
    two = dest / "text" / "two.md"
    two.write_text(two.read_text(encoding="utf-8") + f"\n{paragraph}\n", encoding="utf-8")
    return dest


def figures(work: Path) -> dict:
    """Times that tests state without measuring them: each command once, on this machine."""
    book = [str(BIN / "book")]
    styles = ["--styles", str(ROOT / "styles")]
    unit = "Serge wrote *letters*[^bench] and “quoted” [a link](https://x.org) with `code`; "
    longest = unit * (MAX_PARAGRAPH // len(unit) - 1) + "\n\n[^bench]: A note."
    long_source = with_paragraph(work / "long", longest)
    huge_source = with_paragraph(work / "huge", "lorem ipsum *dolor* sit amet, " * (10_000_000 // 30))
    (work / "logs").mkdir()
    runs = {  # key: (command, the exit statuses it may end with)
        "check_essay_s": ([*book, "check", "--source", str(ROOT / "manuscript")], (0, 1)),
        "longest_paragraph_epub_s": (
            [*book, "build", "epub", "--source", str(long_source), *styles, "--out", str(work / "long-out")],
            (0,),
        ),
        "ten_mb_paragraph_refused_s": (
            [*book, "build", "epub", "--source", str(huge_source), *styles, "--out", str(work / "huge-out")],
            (1,),
        ),
    }
    found: dict = {
        key: measure(cmd, work / "logs" / key, expect)["seconds"] for key, (cmd, expect) in runs.items()
    }
    found["preview_save_to_update_ms"] = preview_latency(work / "preview")
    (work / "startup").mkdir()
    found["startup"] = startup.figures(work / "startup")
    return found


def preview_latency(work: Path) -> list[float] | str:
    """Milliseconds from each save of a section to its text in the open page (``book preview``
    and headless Chromium, as tests/test_preview_browser.py drives them), or why not measured."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "not measured: needs playwright (make test installs it)"
    if chromium is None:
        return "not measured: needs chromium (make test installs it)"
    source = work / "manuscript"
    shutil.copytree(FIXTURE, source)
    server = subprocess.Popen(
        [
            str(BIN / "book"),
            "preview",
            "--source",
            str(source),
            "--styles",
            str(ROOT / "styles"),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert server.stdout is not None
        address = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline())
        if address is None:
            raise CommandFailed("book preview printed no address")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(address[0] + "section-001.html")
            page.wait_for_selector('html[data-live="connected"]')
            return save_to_update(page, source / "text" / "one.md")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def save_to_update(page: object, path: Path) -> list[float]:
    original = path.read_text(encoding="utf-8")
    previous, latencies = "It was a time of letters.", []
    try:
        for take in range(1, PREVIEW_TAKES + 1):
            target = f"It was a time of letters, take {take}."
            page.evaluate(OBSERVE, target)  # type: ignore[attr-defined]
            start = time.time() * 1000
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(previous, target, 1), encoding="utf-8")
            page.wait_for_function("() => window.__seen !== null")  # type: ignore[attr-defined]
            latencies.append(page.evaluate("window.__seen") - start)  # type: ignore[attr-defined]
            previous = target
            time.sleep(0.3)  # let the whole-book read of this save end before the next save
    finally:
        path.write_text(original, encoding="utf-8")
    return latencies


def figure_lines(found: dict) -> list[str]:
    """The figures as Markdown table rows."""
    latency = found["preview_save_to_update_ms"]
    shown = (
        latency
        if isinstance(latency, str)
        else (
            f"median {statistics.median(latency):.0f} ms (target {PREVIEW_TARGET_MS} ms), "
            f"each {', '.join(f'{ms:.0f}' for ms in latency)}"
        )
    )
    return [
        "| Figure | Value |",
        "|---|---:|",
        f"| `book check` on the essay | {found['check_essay_s']:.2f} s |",
        f"| `book build epub`, a paragraph of {MAX_PARAGRAPH:,} characters | "
        f"{found['longest_paragraph_epub_s']:.2f} s |",
        f"| `book build epub` refusing a 10 MB paragraph | {found['ten_mb_paragraph_refused_s']:.2f} s |",
        f"| preview: save to updated page | {shown} |",
        *startup.lines(found["startup"]),
    ]


def machine() -> dict:
    """The machine and tool versions the numbers were taken with."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "weasyprint": importlib.metadata.version("weasyprint"),
        "pandoc": _pandoc_version(),
        "loadavg_at_start": os.getloadavg()[0],
    }


def _pandoc_version() -> str:
    try:
        import pypandoc
    except ImportError:  # --figures runs without the bench extra
        return "not installed"
    return pypandoc.get_pandoc_version()


def markdown(results: dict) -> str:
    """The results as Markdown tables, for the README."""
    lines = []
    for name, book in results["books"].items():
        lines += [
            f"**{name}** (median of {book['runs']} runs)",
            "",
            "| Command | Time (s) | Min–max (s) | Peak RSS (MiB) | PDF pages |",
            "|---|---:|---:|---:|---:|",
        ]
        for key, label in COMMANDS.items():
            s = book["summary"][key]
            lines.append(
                f"| {label.strip()} | {s['median_s']:.2f} | {s['min_s']:.2f}–"
                f"{s['max_s']:.2f} | {s['median_rss_mib']:.0f} | {s['pages'] or '—'} |"
            )
        lines += ["", "| Target | Ratio | Limit | Result |", "|---|---:|---:|---|"]
        lines += [
            f"| {r['target']} | {r['ratio']:.2f} | ≤ {r['limit']:g} | {'PASS' if r['pass'] else 'FAIL'} |"
            for r in book["ratios"]
        ]
        if edited := book.get("edited"):
            verdict = "PASS" if edited["ratio"] <= EDITED_LIMIT else "FAIL"
            lines.append(
                f"| PDF rebuild after one chapter edited / full build ({edited['edited_s']:.1f} s / "
                f"{edited['full_s']:.1f} s) | {edited['ratio']:.2f} | ≤ {EDITED_LIMIT:g} | {verdict} |"
            )
        lines.append("")
    lines += ["**Figures** (one run each)", "", *figure_lines(results["figures"]), ""]
    m = results["machine"]
    lines.append(
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, "
        f"WeasyPrint {m['weasyprint']}, pandoc {m['pandoc']}."
    )
    return "\n".join(lines)


def report(results: dict) -> str:
    """The results as plain-text tables for the terminal."""
    m = results["machine"]
    lines = [
        f"Machine: nproc={m['nproc']} ({m['cpu']}); Python {m['python']}; "
        f"WeasyPrint {m['weasyprint']}; pandoc {m['pandoc']}; {m['platform']}; "
        f"load average {m['loadavg_at_start']:.1f} at start"
    ]
    for name, book in results["books"].items():
        lines += [
            "",
            f"== {name}: {book['source']} (median of {book['runs']} runs)",
            f"{'command':34} {'time s':>7} {'min–max s':>13} {'peak MiB':>9} {'pages':>6}",
        ]
        for key, label in COMMANDS.items():
            s = book["summary"][key]
            lines.append(
                f"{label:34} {s['median_s']:7.2f} {s['min_s']:6.2f}–{s['max_s']:<6.2f} "
                f"{s['median_rss_mib']:9.0f} {s['pages'] or '—':>6}"
            )
        lines.append("")
        lines += [
            f"{r['target']:46} {r['ratio']:5.2f}  (≤ {r['limit']:g})  {'PASS' if r['pass'] else 'FAIL'}"
            for r in book["ratios"]
        ]
        lines.append(
            f"(our builds printed {book['warnings']['ours-epub']} (EPUB) and "
            f"{book['warnings']['ours-pdf']} (PDF) warnings; see bench/out/*.stderr.txt)"
        )
    lines += ["", "== figures (one run each)"]
    lines += [row.strip("|").replace(" | ", ": ", 1).strip() for row in figure_lines(results["figures"])[2:]]
    return "\n".join(lines)


def compare(args: argparse.Namespace, runs: dict[str, int], work: Path, books: dict) -> list[str]:
    """The books against pandoc, into ``books``; return pandoc's reader options."""
    import pypandoc

    pandoc = [pypandoc.get_pandoc_path(), "-f", "markdown"]
    pandoc += [] if args.no_file_scope else ["--file-scope"]
    twenty = make_twenty_chapters(args.source.resolve(), work / "twenty" / "manuscript")
    forty = make_twenty_chapters(args.source.resolve(), work / "forty" / "manuscript", LONGEST)
    sources = {
        "Essay": ("essay", args.source.resolve(), runs["essay"]),
        f"{CHAPTERS}-chapter book": ("twenty", twenty, runs["twenty"]),
        f"{LONGEST}-chapter book": ("forty", forty, runs["forty"]),
    }
    for name, (slug, source, n) in sources.items():
        print(f"{name}: {source}", file=sys.stderr, flush=True)
        books[name] = bench_book(source, ROOT / "styles", n, work / slug, pandoc)
    print("One chapter edited, built again", file=sys.stderr, flush=True)
    books[f"{CHAPTERS}-chapter book"]["edited"] = edited_rebuild(twenty, work / "edited")
    return pandoc[1:]


def main() -> int:
    """Parse options, run the benchmark, print and save the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--runs",
        type=int,
        help="runs per command for every book (default: 5 for the essay, 3 and 1 for the longer books)",
    )
    parser.add_argument("--quick", action="store_true", help="one run per command")
    parser.add_argument("--markdown", action="store_true", help="print only the Markdown tables")
    parser.add_argument(
        "--no-file-scope",
        action="store_true",
        help="let pandoc parse all files as one text (quadratic on our '<<}')",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=ROOT / "manuscript",
        help="the essay's manuscript folder (default: manuscript/)",
    )
    parser.add_argument(
        "--figures", action="store_true", help="only the figures the tests state untimed (no pandoc needed)"
    )
    args = parser.parse_args()
    books = ("essay", "twenty", "forty")
    runs = {"essay": 5, "twenty": 3, "forty": 1} if args.runs is None else dict.fromkeys(books, args.runs)
    if args.quick:
        runs = dict.fromkeys(books, 1)
    results: dict = {"machine": machine(), "books": {}}
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="book-bench-") as tmp:
            work = Path(tmp)
            if not args.figures:
                results["pandoc_reader"] = compare(args, runs, work, results["books"])
            print("Figures", file=sys.stderr, flush=True)
            (work / "figures").mkdir()
            results["figures"] = figures(work / "figures")
    except CommandFailed as exc:
        print(f"bench: a command failed: {exc}", file=sys.stderr)
        return 1
    (OUT / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not args.markdown:
        print(report(results), "", "Markdown for the README:", "", sep="\n")
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
