"""Spellings of one name that the names file does not declare: "Chansha" beside "Changsha".

Two ways of finding them, both on the masked prose (``prose.mask``) of the whole book, so that
a spelling is compared with every other:

* The same letters: sequences of one to three capitalized words whose letters agree once case,
  accents, spaces, hyphens and apostrophes are set aside ("Chiang-Kai-shek", "Chiang Kai-shek";
  "Joffé", "Joffe"). A spelling is reported when another of the same letters is a declared form
  of the names file (forms and cross-reference headings) and it is not, or, when none is
  declared, when another is more frequent.
* One letter apart: single capitalized words of five letters or more that differ from a
  declared form's word, or from a more frequent capitalized word of the text, by one letter
  inserted, dropped, changed or two swapped (Damerau-Levenshtein distance 1). To keep false
  alarms rare the letter may not be the last one (Russia/Russian, Marxist/Marxism), both
  words must start alike, and a word the text also writes in lower case is a common word, not
  a name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from build_tools.checks.prose import Hit, Paragraph
from build_tools.errors import Location
from build_tools.index.finder import NOT_NAMES

_WORD = r"[^\W\d_]+(?:[-’'][^\W\d_]+)*"
_TOKEN = re.compile(rf"(?<![\w’'\-]){_WORD}")
_POSSESSIVE = re.compile(r"[’']s$")
MIN_LENGTH = 5
MAX_WORDS = 3


@dataclass(frozen=True)
class Finding:
    """A spelling to look at, where it occurs."""

    place: Location
    hit: Hit


def key(text: str) -> str:
    """The letters of a spelling: no case, accents, spaces, hyphens or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


class Corpus:
    """Every capitalized word and run of words in the book, with where each occurs."""

    def __init__(self) -> None:
        self.runs: dict[str, list[Location]] = {}  # "Chiang Kai-shek" → places
        self.words: Counter[str] = Counter()
        self.first: dict[str, int] = {}
        self.lower: set[str] = set()  # the words also written in lower case

    @cached_property
    def lower_keys(self) -> set[str]:
        """The letters (``key``) of the words written in lower case; read once all is added."""
        return {key(word) for word in self.lower}

    def add(self, file: Path, paragraph: Paragraph) -> None:
        run: list[tuple[str, Location, int]] = []  # the capitalized words in a row: word, place, end
        for found in _TOKEN.finditer(paragraph.text):
            word = _POSSESSIVE.sub("", found[0])
            if not word[0].isupper():
                self.lower.add(word.casefold())
                run = []
                continue
            if run and paragraph.text[run[-1][2] : found.start()] not in (" ", "\n"):
                run = []
            line, column = paragraph.where(found.start())
            run.append((word, Location(file, line, column), found.end()))
            self.words[word] += 1
            for size in range(1, min(MAX_WORDS, len(run)) + 1):
                spelling = " ".join(w for w, _, _ in run[-size:])
                self.runs.setdefault(spelling, []).append(run[-size][1])
                self.first.setdefault(spelling, len(self.first))
            if found[0] != word:  # a possessive ends a name
                run = []


def find(corpus: Corpus, declared: Iterable[tuple[str, str]]) -> Iterator[Finding]:
    """Every place of a spelling that looks like an undeclared variant of another.

    ``declared`` gives (form, whose) pairs: the forms of the names file and the entry they name.
    """
    forms = dict(declared)
    # What needs no report, by file and line: declared forms as found, and what is reported.
    covered: dict[tuple[Path, int], list[tuple[int, int]]] = {}
    for form in forms:
        for place in corpus.runs.get(form, []):
            covered.setdefault((place.file, place.line), []).append((place.column, len(form)))

    def new(place: Location, length: int) -> bool:
        spans = covered.setdefault((place.file, place.line), [])
        if any(start <= place.column and place.column + length <= start + n for start, n in spans):
            return False
        spans.append((place.column, length))
        return True

    for spelling, why in _same_letters(corpus, forms):
        for place in corpus.runs[spelling]:
            if new(place, len(spelling)):
                yield Finding(place, Hit("name-variant", place.line, place.column, spelling, why))
    for spelling, why in _one_letter_apart(corpus, forms):
        for place in corpus.runs[spelling]:
            if new(place, len(spelling)):
                yield Finding(place, Hit("name-variant", place.line, place.column, spelling, why))


def _same_letters(corpus: Corpus, forms: dict[str, str]) -> Iterator[tuple[str, str]]:
    by_key: dict[str, list[str]] = {}
    for run in corpus.runs:
        by_key.setdefault(key(run), []).append(run)
    declared = {key(form): form for form in forms}
    for letters, spellings in sorted(by_key.items(), key=lambda item: -len(item[0])):
        if letters in declared:
            model = declared[letters]
            why = f"not a declared form of {forms[model]!r} in the names file (“{model}” is)"
            odd = [s for s in spellings if s not in forms and _comparable(s, model)]
        elif len(spellings) > 1 and not _common(corpus, spellings):
            model = max(spellings, key=lambda s: (len(corpus.runs[s]), -_first(corpus, s)))
            why = f"also spelled “{model}” ({len(corpus.runs[model])}×)"
            odd = [s for s in spellings if _comparable(s, model)]
        else:
            continue
        for spelling in odd:
            yield spelling, f"{why}: one spelling of a name, or declare both as its forms"


def _first(corpus: Corpus, run: str) -> int:
    """When a spelling is first seen (the order of the book: files, then the chronology)."""
    return corpus.first.get(run, 0)


def _common(corpus: Corpus, spellings: list[str]) -> bool:
    """One word that the text also writes in lower case is a common word ("Révolution" in a
    French title beside "Revolution"), not a name."""
    single = all(" " not in s for s in spellings)
    return single and any(key(s) in corpus.lower_keys for s in spellings)


def _comparable(spelling: str, model: str) -> bool:
    """All capitals against mixed case is an acronym against a word ("US", "Us"): not a variant."""
    return spelling.isupper() == model.isupper() and spelling != model


def _one_letter_apart(corpus: Corpus, forms: dict[str, str]) -> Iterator[tuple[str, str]]:
    declared_words = {word for form in forms for word in form.split()}
    names = {
        w
        for w in corpus.words
        if len(w) >= MIN_LENGTH
        and not w.isupper()
        and w.casefold() not in corpus.lower
        and w not in NOT_NAMES
    }
    models = names | {w for w in declared_words if len(w) >= MIN_LENGTH}
    index: dict[str, set[str]] = {}
    for word in models:
        for variant in _deletions(word):
            index.setdefault(variant, set()).add(word)
    for word in sorted(names - declared_words):
        candidates = {m for v in _deletions(word) for m in index.get(v, ()) if m != word}
        best = _best_model(corpus, word, candidates, declared_words)
        if best is None:
            continue
        if best in declared_words:
            why = f"one letter from “{best}”, declared in the names file ({_owner(best, forms)!r})"
        else:
            why = f"one letter from “{best}” ({corpus.words[best]}× in the book)"
        yield word, f"{why}: a misspelling?"


def _best_model(corpus: Corpus, word: str, candidates: set[str], declared: set[str]) -> str | None:
    good = []
    for model in candidates:
        if model[0] != word[0] or not _one_edit_not_last(word, model):
            continue
        if (
            model in declared
            or corpus.words[model] > corpus.words[word]
            or (corpus.words[model] == corpus.words[word] and corpus.first[model] < corpus.first[word])
        ):
            good.append(model)
    return max(good, key=lambda m: (m in declared, corpus.words[m], m), default=None)


def _owner(word: str, forms: dict[str, str]) -> str:
    return next(owner for form, owner in forms.items() if word in form.split())


def _deletions(word: str) -> set[str]:
    folded = word.casefold()
    return {folded} | {folded[:i] + folded[i + 1 :] for i in range(len(folded))}


def _one_edit_not_last(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one edit (insertion, deletion, change, swap), not at the end."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    if len(a) == len(b):
        rest_a, rest_b = a[prefix + 1 :], b[prefix + 1 :]
        swapped = (
            a[prefix + 1 : prefix + 2] == b[prefix : prefix + 1]
            and b[prefix + 1 : prefix + 2] == a[prefix : prefix + 1]
            and a[prefix + 2 :] == b[prefix + 2 :]
        )
        return prefix < len(a) - 1 and (rest_a == rest_b or swapped)
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return prefix < len(shorter) and longer[prefix + 1 :] == shorter[prefix:]
