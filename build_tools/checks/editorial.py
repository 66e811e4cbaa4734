"""``book check``: editorial checks of the manuscript, fast, without building anything.

The manuscript is loaded and parsed as for a build (no writer runs, no PDF is rendered), then
the Markdown of every section file is read again for typography, and the prose of the whole
book for spellings of names. Each finding is one line::

    text/01-chapter.md:12:40: repeated-word “the the”: a word repeated by mistake?

Codes are lowercase words joined by hyphens, like the codes of the build's own warnings; the
message names the text found (in “ ”) and says in one line what is wrong. Severities:

error (exit 1)
    manuscript-error      what stops the build: unresolved notes, names-file and chronology
                          problems, bad metadata… (the parser stops at the first one)
    ignore-file           a line of the ignore file that is not a rule
    missing-glyph         a character that no face of the styles folder has: it would print as
                          an empty box (checks/glyphs.py; the build stops at the first)
warning (exit 1 with --strict)
    open-query            an editorial query still open: a release build refuses to go ahead
    raw-html, unindexed-name, …   the build's own warnings
    straight-quote        " or ' in a language whose quotation marks the build does not know
                          (elsewhere it sets them: “…” in English, « … » in French, „…“ in German)
    double-space          two spaces between words
    space-before-punctuation   “word ,”; in French only before , and . (the build sets the
                          no-break spaces before ; : ! ? and inside « »)
    repeated-word         “the the”, in any case, across a line break too
    unbalanced-quotes     a “ without its ” (or the reverse) in a paragraph or block quotation;
                          a quotation of several paragraphs may leave each one open
    unbalanced-brackets   a ( or [ without its ) or ] in a paragraph (or the reverse)
    hyphen-as-dash        “word - word”, “--”, or a hyphen in a range of years (1917-21)
    doubled-full-stop     “..” that is not an ellipsis
    placeholder           “194?”, “19??”, TK, XX, TODO left in the text outside a query
    name-variant          a spelling of a name that the names file does not declare
    unused-ignore         a rule of the ignore file that matched nothing

The typography checks read the text by the rules of the book's language, with its quotation
marks as the build sets them (``lang/typography.py``); note calls are not checked, the build
places them by the language's convention. They skip code, editorial queries, link
destinations and our markup, and never read the YAML and TOML files (``prose.py``); names
are compared as ``variants.py`` says.

Accepted exceptions go in the ignore file (default ``.bookcheckignore`` in the manuscript
folder), one rule a line, ``#`` starting a comment::

    name-variant "Chansha"                         # that text, anywhere
    straight-quote text/01-chapter.md              # anywhere in that file
    unbalanced-quotes text/02-chapter.md:37        # on that line

Paths are relative to the manuscript folder. The text is compared with the text the finding
names (between “ ” in its message); write \" for a " in it, \\ for a \\. Errors and open queries
cannot be ignored, and a rule that matches nothing is reported. Builds read the same file: a
warning it accepts is not counted in the one line a build prints about warnings (``summary.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from build_tools.checks import glyphs, prose, variants
from build_tools.design.fonts import read_fonts
from build_tools.design.styles import find_styles
from build_tools.errors import BookError, Diagnostic, Location, ManuscriptError
from build_tools.model import Book, Query
from build_tools.parse.parser import parse
from build_tools.sources import names as names_file
from build_tools.sources import yamlsource
from build_tools.sources.manuscript import Manuscript, SourceFile, load, read_text

IGNORE_NAME = ".bookcheckignore"
ERROR, WARNING = "error", "warning"
EXPLANATIONS = {
    "open-query": "an open editorial query (a release build refuses to go ahead)",
}
UNIGNORABLE = {"manuscript-error", "ignore-file", "open-query", glyphs.CODE}
_RULE = re.compile(
    r'^(?P<code>[a-z][a-z0-9-]*)\s+(?:"(?P<text>(?:[^"\\]|\\.)*)"|(?P<path>[^\s"#]+?)(?::(?P<line>\d+))?)'
    r"\s*(?:#.*)?$"
)


@dataclass(frozen=True)
class Finding:
    """One problem found: where, its code and severity, what is wrong, the text it is about."""

    location: Location
    code: str
    severity: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": str(self.location.file),
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass
class Rule:
    """A rule of the ignore file: a code, and a path (and line) or an exact text."""

    code: str
    location: Location
    path: str = ""
    line: int = 0
    text: str | None = None
    used: bool = field(default=False, compare=False)

    def matches(self, finding: Finding, root: Path) -> bool:
        if finding.code != self.code:
            return False
        if self.text is not None:
            return finding.text == self.text
        return _relative(finding.location.file, root) == self.path and (
            not self.line or finding.location.line == self.line
        )


def run_check(
    source: Path,
    ignore_file: Path | None,
    strict: bool,
    output_format: str,
    echo: Callable[[str], None],
    styles: Path | None = None,
) -> bool:
    """Check the manuscript in ``source`` (set with ``styles``, by default the folder a build
    takes) and report; True when the exit code must be 1."""
    findings = check(source, styles)
    ignore_path = ignore_file if ignore_file is not None else source / IGNORE_NAME
    rules, problems = read_ignore(ignore_path, required=ignore_file is not None)
    kept = apply_ignore(rules, findings, source)
    ignored = len(findings) - len(kept)
    kept += problems + [
        Finding(
            rule.location,
            "unused-ignore",
            WARNING,
            f"this rule matched nothing: remove it ({rule.code} {rule.path or repr(rule.text)})",
        )
        for rule in rules
        if not rule.used
    ]
    kept = sorted(kept, key=_order(source))
    if output_format == "json":
        echo(json.dumps([f.as_json() for f in kept], ensure_ascii=False, indent=2))
    else:
        for finding in kept:
            echo(str(finding))
        echo(_summary(kept, ignored))
    errors = any(f.severity == ERROR for f in kept)
    return errors or (strict and bool(kept))


def apply_ignore(rules: list[Rule], findings: list[Finding], root: Path) -> list[Finding]:
    """The findings that no rule of the ignore file matches (``book check`` and builds)."""
    return [finding for finding in findings if not _ignored(rules, finding, root)]


def _ignored(rules: list[Rule], finding: Finding, root: Path) -> bool:
    """Whether a rule matches ``finding``; every rule that does is marked as used."""
    matching = [rule for rule in rules if rule.matches(finding, root)]
    for rule in matching:
        rule.used = True
    return bool(matching)


def _summary(findings: list[Finding], ignored: int) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    warnings = len(findings) - errors
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    queries = sum(f.code == "open-query" for f in findings)
    if queries:
        text += f" ({queries} open quer{'ies' if queries != 1 else 'y'})"
    return text + (f", {ignored} ignored" if ignored else "")


def _order(root: Path) -> Callable[[Finding], tuple[int, str, int, int]]:
    try:
        files = [f.path for f in load(root).files]
    except ManuscriptError:
        files = []
    rank = {path: index for index, path in enumerate(files)}

    def key(finding: Finding) -> tuple[int, str, int, int]:
        where = finding.location
        return (rank.get(where.file, len(rank)), str(where.file), where.line, where.column)

    return key


def check(source: Path, styles: Path | None = None) -> list[Finding]:
    """Every finding in the manuscript at ``source``, before the ignore file is applied; its
    characters are checked against the faces of ``styles`` (by default the folder a build takes)."""
    try:
        manuscript = load(source)
    except ManuscriptError as error:
        return [_error(error)]
    findings: list[Finding] = []
    book: Book | None = None
    try:
        book = parse(manuscript, 0)
    except BookError as error:
        findings.append(_error(error))
    if book is not None:
        findings += [warning(diagnostic) for diagnostic in book.diagnostics]
        findings += [_query(q) for q in book.queries]
        findings += _glyphs(book, styles or find_styles(source).folder)
    for file in manuscript.files:
        findings += [
            _finding(file.path, hit) for hit in prose.check_text(file.text, manuscript.meta.language)
        ]
    findings += _name_variants(manuscript, book)
    return findings


def _glyphs(book: Book, styles: Path) -> list[Finding]:
    """A character no face has, wherever it first is (``glyphs.py``)."""
    try:
        found = glyphs.missing_glyphs(book, read_fonts(styles))
    except BookError as error:
        return [_error(error)]
    return [Finding(where, glyphs.CODE, ERROR, message, char) for where, message, char in found]


def warning(diagnostic: Diagnostic) -> Finding:
    """A warning of the build as a finding, for the ignore file."""
    return Finding(diagnostic.location, diagnostic.code, WARNING, diagnostic.message, diagnostic.text)


def _query(query: Query) -> Finding:
    about = f"“{query.text}”: " if query.text else ""
    message = f"{about}{query.comment} — {EXPLANATIONS['open-query']}"
    return Finding(query.location, "open-query", WARNING, message, query.text)


def _error(error: BookError) -> Finding:
    return Finding(error.location or Location(Path(".")), "manuscript-error", ERROR, error.message)


def _finding(path: Path, hit: prose.Hit) -> Finding:
    return Finding(
        Location(path, hit.line, hit.column), hit.code, WARNING, f"“{hit.text}”: {hit.detail}", hit.text
    )


def _name_variants(manuscript: Manuscript, book: Book | None) -> list[Finding]:
    corpus = variants.Corpus()
    for file in manuscript.files:
        masked = prose.mask(file.text)
        for paragraph in prose.paragraphs(file.text.split("\n"), masked):
            corpus.add(file.path, paragraph)
    if manuscript.chronology is not None:
        for paragraph in _chronology_texts(manuscript.chronology):
            corpus.add(manuscript.chronology.path, paragraph)
    return [
        _finding(found.place.file, found.hit) for found in variants.find(corpus, _declared(manuscript, book))
    ]


def _declared(manuscript: Manuscript, book: Book | None) -> Iterable[tuple[str, str]]:
    """The forms the names file declares, with the entry each names."""
    if book is not None:
        entries, cross_refs = book.names, book.cross_refs
    elif manuscript.names is not None:
        try:
            loaded = names_file.load(manuscript.names.path, manuscript.names.text)
        except ManuscriptError:
            return []
        entries, cross_refs = loaded.entries, loaded.cross_refs
    else:
        return []
    declared = [(form, entry.id) for entry in entries for form in entry.forms]
    return declared + [(ref.heading, ref.see) for ref in cross_refs]


def _chronology_texts(source: SourceFile) -> Iterator[prose.Paragraph]:
    """The event texts of the chronology, as paragraphs placed where they are in its file."""
    try:
        root = yamlsource.compose(source.path, source.text, "chronology")
    except ManuscriptError:
        return
    events = _field(root, "events")
    for event in events.value if isinstance(events, yaml.SequenceNode) else []:
        text = _field(event, "event")
        if not isinstance(text, yaml.ScalarNode) or "\n" in text.value:
            continue
        column = text.start_mark.column + (1 if text.style in ('"', "'") else 0)
        masked = prose.mask(" " * column + str(text.value))
        for paragraph in prose.paragraphs(masked, masked):
            yield replace(paragraph, first_line=text.start_mark.line + paragraph.first_line)


def _field(node: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((value for key, value in node.value if key.value == name), None)


def read_ignore(path: Path, required: bool) -> tuple[list[Rule], list[Finding]]:
    """The rules of the ignore file, and a finding for each line that is not one."""
    if not path.is_file():
        if required:
            return [], [Finding(Location(path), "ignore-file", ERROR, "ignore file not found")]
        return [], []
    try:
        text = read_text(path)
    except ManuscriptError as error:
        return [], [Finding(error.location or Location(path), "ignore-file", ERROR, error.message)]
    rules, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = Location(path, number, 1)
        found = _RULE.match(stripped)
        if found is None:
            problems.append(
                Finding(
                    where, "ignore-file", ERROR, 'not a rule: write CODE path[:line] or CODE "exact text"'
                )
            )
        elif found["code"] in UNIGNORABLE:
            problems.append(
                Finding(where, "ignore-file", ERROR, f"{found['code']} cannot be ignored: fix or answer it")
            )
        else:
            exact = None if found["text"] is None else re.sub(r"\\(.)", r"\1", found["text"])
            on_line = int(found["line"] or 0)
            rules.append(Rule(found["code"], where, found["path"] or "", on_line, exact))
    return rules, problems


def _relative(file: Path, root: Path) -> str:
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()
