"""The ``book`` command: parses options, calls the library, maps errors to exit codes."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from build_tools import __version__
from build_tools.interrupt import Interrupted, interrupted_line

# Each command imports the modules it runs when it runs (issue 18 item 4): 'book --help' and a
# command's '--help' load click and nothing of the pipeline (0.05 s, not 0.25 s); 'book check',
# 'book new', 'book import', 'book preview' and 'book build epub' never import WeasyPrint
# (tests/test_startup.py). Tests that replace a function patch it where it lives
# (build_tools.build.build), which the command's import reads at each call.

_F = TypeVar("_F", bound=Callable[..., Any])
source_option = click.option(
    "--source",
    type=click.Path(path_type=Path),
    default=Path("manuscript"),
    show_default=True,
    help="The manuscript folder (with book.toml).",
)
styles_option = click.option(
    "--styles",
    type=click.Path(path_type=Path),
    default=None,
    help="The styles folder (CSS and fonts); default: 'styles' inside the manuscript folder, "
    "else beside it, else the toolchain's own default styles.",
)


def out_option(help_text: str) -> Callable[[_F], _F]:
    """``--out``, the output folder (``dist`` by default), for ``book build`` and ``book preview``."""
    return click.option(
        "--out", type=click.Path(path_type=Path), default=Path("dist"), show_default=True, help=help_text
    )


def _styles(source: Path, given: Path | None) -> Path:
    """The styles folder (design/styles.py has the rule); says so when it is the default."""
    from build_tools.design.styles import find_styles

    found = find_styles(source, given)
    if found.is_default:
        click.echo(
            f"no styles folder in or beside {source}: using the toolchain's default styles ({found.folder})",
            err=True,
        )
    return found.folder


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="book")
def main() -> None:
    """Build books from one Markdown manuscript: an EPUB 3 and a print-ready PDF.

    A manuscript is a folder with a book.toml (metadata and reading order) and the Markdown
    files it lists. Run 'book COMMAND --help' for the options of a command.
    """


@main.command("build")
@click.argument("target", type=click.Choice(["epub", "pdf", "all", "cover"]), default="all")
@source_option
@out_option("The folder the EPUB and PDF are written to (and their layout cache, .book-cache).")
@styles_option
@click.option(
    "--release",
    is_flag=True,
    help="Refuse to build while editorial queries are open (for the files sent to press).",
)
@click.option(
    "--profile",
    type=click.Choice(["kdp", "ingramspark", "lulu", "proof"]),
    default=None,
    help="The printer the PDF is made for (default: print_profile in book.toml, else kdp). "
    "Another profile than the book's writes <slug>-<profile>.pdf.",
)
@click.option(
    "--proof",
    is_flag=True,
    help="A proof for the editor: the PDF prints every open query where it stands (the text "
    "tinted, a marker Q1, Q2…, the query at the foot of the page) and lists them at the end, "
    "with their pages; written as <slug>-proof.pdf, never in the press PDF's place. The proof "
    "profile implies it.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes that lay out the PDF (default: the machine's cores). The pages are the same "
    "whatever the number: the paragraphs' trial settings are laid out in parallel.",
)
def build_command(
    target: str,
    source: Path,
    out: Path,
    styles: Path | None,
    release: bool,
    profile: str | None,
    proof: bool,
    jobs: int | None,
) -> None:
    """Build TARGET (epub, pdf, all or cover; default all: the EPUB and the PDF) from the manuscript.

    Outputs are written as <slug>.epub and <slug>.pdf; 'cover' lays the interior out for the
    profile and writes its print cover, <slug>-cover-<profile>.pdf (back, spine and front on
    one sheet, the spine as wide as the page count and the paper make it). Each replaces the
    previous one only when it is complete. Open editorial queries are listed on stderr, and
    the warnings counted in one line ('book check' lists them; .bookcheckignore applies).
    """
    if proof and release:
        raise click.UsageError("--proof prints the open queries and --release refuses them: use one")
    if proof and target in ("epub", "cover"):
        raise click.UsageError(f"--proof is for the PDF: an {target} is never a proof")
    from build_tools.build import FORMATS, Project, build
    from build_tools.checks.summary import build_report
    from build_tools.layout.trialpool import cores
    from build_tools.writers.output import interruptions_raised

    project = Project(source, _styles(source, styles), out)
    started = time.monotonic()

    def step(message: str) -> None:
        click.echo(f"[{time.monotonic() - started:5.1f}s] {message}…", err=True)

    formats = FORMATS if target == "all" else (target,)
    with interruptions_raised():  # Ctrl+C and SIGTERM, at any step, are reported by run()
        book, written = build(
            project, formats, release=release, step=step, profile=profile, proof=proof, jobs=jobs or cores()
        )
    for line in build_report(source, book):
        click.echo(line, err=True)
    for path in written:
        click.echo(f"wrote {path}")
        if path.name.endswith("-proof.pdf") and book.queries:
            click.echo(
                f"  a proof: {len(book.queries)} open quer{'ies' if len(book.queries) != 1 else 'y'} "
                "printed and listed at its end; the press PDF is not replaced",
                err=True,
            )


def run() -> None:
    """The console script: no traceback reaches the user, whatever happens.

    An interrupted build (Ctrl+C, SIGTERM, SIGHUP) says so and exits with 128 + the signal's
    number (130, 143, 129), as a shell does; its unfinished output was removed, the previous one
    is kept. The handler is installed by the console script (``entry.py``) before the imports.
    """
    try:
        main(standalone_mode=True)
    except Interrupted as interruption:
        _interrupted(interruption)
    except Exception as exc:
        if behind := Interrupted.behind(exc):  # a library failed while being interrupted
            _interrupted(behind)
        # A bug of ours: say so plainly, with what to report.
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("please report this with the manuscript file that triggered it", err=True)
        sys.exit(70)


def _interrupted(interruption: Interrupted) -> NoReturn:
    click.echo(interrupted_line(interruption), err=True)
    sys.exit(interruption.exit_code)


@main.command("check")
@click.argument("target", type=click.Choice(["manuscript", "pdf", "epub", "pages"]), default="manuscript")
@click.argument("file", type=click.Path(path_type=Path), required=False)
@source_option
@styles_option
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too, not only on errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as lines (file:line:column code message) or as JSON for tools.",
)
@click.option(
    "--ignore-file",
    type=click.Path(path_type=Path),
    default=None,
    help="Accepted exceptions (default: .bookcheckignore in the manuscript folder, if present).",
)
@click.option(
    "--pdf",
    "pdf_path",
    type=click.Path(path_type=Path),
    default=None,
    help="With 'pdf': the PDF to check (default: dist/<slug>.pdf).",
)
@click.option(
    "--profile",
    type=click.Choice(["kdp", "ingramspark", "lulu", "proof"]),
    default=None,
    help="With 'pdf': the printer's rules to check against (default: from book.toml).",
)
@click.option(
    "--cover",
    "cover_path",
    type=click.Path(path_type=Path),
    default=None,
    help="With 'pdf': check this print cover against the interior PDF (FILE or --pdf, default "
    "dist/<slug>.pdf) and the printer's cover rules, instead of preflighting the interior.",
)
def check_command(
    target: str,
    file: Path | None,
    source: Path,
    styles: Path | None,
    strict: bool,
    output_format: str,
    ignore_file: Path | None,
    pdf_path: Path | None,
    profile: str | None,
    cover_path: Path | None,
) -> None:
    """Check the manuscript (default), or a built PDF or EPUB (FILE), without building anything.

    'book check' reports unresolved notes, names-file and chronology problems, open editorial
    queries, typography (straight quotes, double spaces, repeated words, unbalanced quotes and
    brackets, hyphens for dashes…), spellings of a name not declared as its forms and
    characters that no face of the styles folder has (they would print as empty boxes); each
    message has file:line:column, a code and an explanation. 'book check pdf' preflights a
    built PDF (FILE, default dist/<slug>.pdf) against its print-on-demand profile and prints a
    table ('book check pdf --cover COVER' checks a print cover's sheet against that
    interior's page count, the trim, the paper and the printer's cover rules); 'book check
    pages' reads a built PDF's pages as a compositor would (runts, a word hyphenated across a
    page turn, facing pages that end on different lines, loose lines: warnings, exit 1 only
    with --strict); 'book check
    epub' runs EPUBCheck and DAISY Ace on a built EPUB (FILE, default dist/<slug>.epub), then
    checks the e-book stores' rules EPUBCheck does not (a cover and its size, the file's and
    the images' sizes, font licences, remote resources, scripts, file names), and prints a
    table. Exit 1 on errors (and on warnings with --strict) or a failed check (a store's advice
    not followed is a WARN row, not a failure); 3 when a validator is not installed (the
    message says how to install it).
    """
    if file is not None and target == "manuscript":
        raise click.UsageError(
            "FILE is for 'book check pdf FILE', 'book check pages FILE' and 'book check epub FILE'"
        )
    if cover_path is not None and target != "pdf":
        raise click.UsageError("--cover is for 'book check pdf --cover FILE'")
    if target == "pdf" and cover_path is not None:
        from build_tools.checks.cover import run_cover_check

        failed = run_cover_check(source, pdf_path or file, cover_path, profile, output_format, click.echo)
    elif target == "pdf":
        from build_tools.checks.preflight import run_preflight

        failed = run_preflight(source, pdf_path or file, profile, output_format, click.echo)
    elif target == "pages":
        from build_tools.checks.pagecheck import run_page_check

        failed = run_page_check(source, pdf_path or file, output_format, strict, click.echo)
    elif target == "epub":
        from build_tools.checks.validation import run_validation

        failed = run_validation(source, file, output_format, click.echo)
    else:
        from build_tools.checks.editorial import run_check

        failed = run_check(source, ignore_file, strict, output_format, click.echo, styles)
    if failed:
        sys.exit(1)


@main.command("new")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The book's title (default: from the folder's name).")
@click.option("--author", default="Author Name", show_default=True, help="The author, as printed.")
@click.option(
    "--language", default="en", show_default=True, help="The book's language, a BCP 47 tag (fr, de, en-GB…)."
)
def new_command(folder: Path, title: str | None, author: str, language: str) -> None:
    """Create FOLDER, a manuscript that builds at once: book.toml with every key explained, a
    chapter showing each form of the format, names.yaml, chronology.yaml and images/.

    FOLDER must not exist or be empty; nothing is overwritten.
    """
    from build_tools.importing.new import new_manuscript

    new_manuscript(folder, title=title, author=author, language=language)
    click.echo(f"created {folder}: build it with 'book build --source {folder}'")


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="The manuscript folder to create (it must not exist or be empty).",
)
@click.option(
    "--accept-changes",
    is_flag=True,
    help="Word: import a document with tracked changes as if they were accepted (refused otherwise).",
)
def import_command(file: Path, out: Path, accept_changes: bool) -> None:
    """Make a manuscript folder from FILE, a Word document (.docx) or an EPUB.

    Sections become files of text/ in reading order, notes become notes with their calls in
    place, pictures go to images/, the document's metadata to book.toml. What cannot be carried
    over (comments, text boxes, an existing index…) is listed with where it was, here and in
    the folder's IMPORT.md. Nothing is written when the file cannot be read.
    """
    from build_tools.importing.run import import_file

    losses = import_file(file, out, accept_changes=accept_changes)
    for loss in losses:
        click.echo(f"{file}: not imported: {loss}", err=True)
    click.echo(f"created {out}: build it with 'book build --source {out}'")


@main.command("preview")
@source_option
@styles_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The interface to listen on; anything but loopback shows the manuscript to the network.",
)
@click.option(
    "--allow-host",
    "allow",
    multiple=True,
    metavar="NAME",
    help="A host name the browsers use for this machine, answered besides the --host address "
    "(repeatable); any other name is refused, against DNS rebinding.",
)
@out_option("The output folder of 'book build', whose layout cache the print view shares.")
def preview_command(
    source: Path, styles: Path | None, port: int, host: str, allow: tuple[str, ...], out: Path
) -> None:
    """Serve the book at http://127.0.0.1:8000/ while you write.

    Each section is shown as in the e-book, and as printed pages in its print view. Saving a
    file of the manuscript or the styles updates the open pages; an error in the manuscript is
    shown in the page until it is fixed. Stop with Ctrl+C.
    """
    from build_tools.preview import serve  # imported on demand: 'book build' never loads the server
    from build_tools.preview.connections import allowed_hosts, is_loopback

    if not is_loopback(host):
        names = ", ".join(allowed_hosts(host, allow))
        click.echo(
            f"warning: listening on {host}, the manuscript is shown to every machine that reaches it; "
            f"answered as {names} or an IP address (--allow-host adds a name)",
            err=True,
        )
    try:
        serve(source, _styles(source, styles), host, port, ready=click.echo, allow=allow, out=out)
    except (KeyboardInterrupt, Interrupted):  # Ctrl+C or SIGTERM: stopping is what they ask
        click.echo("preview stopped", err=True)
