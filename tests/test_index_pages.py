"""The printed index's locators are the pages the mentions are printed on, each one exactly.

Where a mention is printed is read from the PDF, independently of how the layout computed it:
the words around the mention in the book's text (from the model, in the runs print sets
without a break: a section, the notes under their sections' headings, a chronology event) are
looked for in the text the PDF shows, letters only, so that hyphenation, line ends, note numbers
and punctuation change nothing. The place must be unique, and the folio of the page it falls
on must be the locator: a locator one page off fails, whatever words the two pages share.
"""

from __future__ import annotations

import copy

import pytest
from epub_tools import EPUB_TYPE, NS, documents
from lxml import etree
from pdf_tools import PrintedLetters, letters

MARK = "\ue000"  # a private-use character: no book's text has it


def text_runs(book) -> list[etree._Element]:  # type: ignore[no-untyped-def]
    """The model's text as print sets it, in runs that only numbers and punctuation interrupt:
    each section's text; the notes, under the heading of their section; each chronology event
    (a date is run in before it and its pages after it)."""
    runs = [section.body.tree() for section in book.sections]
    notes = etree.Element("div")
    for section in book.sections:
        if section.notes:
            notes.append(section.heading.tree())
            notes[-1].tail = "\n"
            for note in section.notes:
                notes.append(note.body.tree())
                notes[-1].set("id", note.id)  # where the note begins: its number is printed there
                notes[-1].tail = "\n"  # blocks: the words of two notes never run together
    runs.append(notes)
    return runs + [event.body.tree() for event in book.chronology]


def around(runs: list[etree._Element], element_id: str) -> tuple[str, str, int]:
    """The letters before and after the element ``element_id``, in the run that holds it, and
    how many letters the first word from there has."""
    for run in runs:
        if run.xpath("boolean(//*[@id=$id])", id=element_id):
            marked = copy.deepcopy(run)
            (element,) = marked.xpath("//*[@id=$id]", id=element_id)
            own = etree.tostring(element, encoding="unicode", method="text", with_tail=False)
            element.text = MARK + (element.text or "")
            text = etree.tostring(marked, encoding="unicode", method="text")
            before, _, after = text.partition(MARK)
            word = next((letters(w) for w in (own or after).split() if letters(w)), "")
            return letters(before), letters(after), len(word)
    raise AssertionError(f"{element_id} is in no text of the book")


class Where:
    """Where the mentions of one built book are printed, as the index would cite them."""

    def __init__(self, book, pdf) -> None:  # type: ignore[no-untyped-def]
        self.runs = text_runs(book)
        self.printed = PrintedLetters.read(pdf)
        self.notes = {note.id: note for note in book.notes}
        chapters = [section.number for section in book.sections if section.role == "chapter"]
        self.chapter = {number: n for n, number in enumerate(chapters, 1)}

    def page(self, element_id: str, last: bool = False) -> str:
        """The folio of the page the element is printed on: where the first word from it ends (a
        word broken by a page turn counts on the later page, as the EPUB's page markers, which
        stand before a page's first word, place it); with ``last``, the page of the letter
        before it (where a range it ends ends)."""
        before, after, word = around(self.runs, element_id)
        position = self.printed.find(before, after)
        return self.printed.folio(position - 1 if last else position + max(word, 1) - 1)

    def locator(self, mention) -> str:  # type: ignore[no-untyped-def]
        """The locator the mention should have: "25", "25n6" in a note ("25n1 (chap. 2)" when
        a note of another chapter numbered 1 begins on page 25), "101–108" for a range
        (unabbreviated), one page if it ends where it starts."""
        first = self.page(mention.id)
        if mention.end:
            last = self.page(mention.end, last=True)
            return first if last == first else f"{first}\u2013{last}"
        if mention.where == "note":
            note = self.notes[mention.note]
            # Another chapter's note of the same number begins on the page: the chapter is named.
            shared = any(
                other.number == note.number and other.section != note.section and self.page(other.id) == first
                for other in self.notes.values()
            )
            label = f"{first}n{note.number}"
            return f"{label} (chap.\u00a0{self.chapter[note.section]})" if shared else label
        return first


def unabbreviated(label: str) -> str:
    """A range's label with its second page in full (101–8: "101–108"), any other as it is."""
    first, dash, last = label.partition("\u2013")
    return f"{first}{dash}{first[: len(first) - len(last)]}{last}" if dash else label


def locators(epub):  # type: ignore[no-untyped-def]
    """Every locator of the EPUB's index (the print labels, in a build with the PDF), its range
    unabbreviated, and the id of the mention it links to."""
    for a in documents(epub)["index.xhtml"].iter(f"{{{NS['x']}}}a"):
        if a.get(EPUB_TYPE) == "index-locator":
            yield unabbreviated(a.text), a.get("href").partition("#")[2]


@pytest.mark.parametrize("book", ["small", "essay"])
def test_every_locator_is_the_page_its_mention_is_printed_on(
    book: str, request: pytest.FixtureRequest
) -> None:
    model, files = request.getfixturevalue(book)
    where = Where(model, files[".pdf"])
    mentions = {mention.id: mention for mention in model.mentions}
    found = [(label, where.locator(mentions[target]), target) for label, target in locators(files[".epub"])]
    wrong = [f"{label} for {target}, printed on {page}" for label, page, target in found if label != page]
    assert not wrong, "locators that are not where their mention is printed:\n" + "\n".join(wrong)
    assert len(found) >= len(model.names)


@pytest.mark.parametrize("book", ["small", "essay"])
def test_every_mention_is_printed_on_a_page_its_entry_cites(
    book: str, request: pytest.FixtureRequest
) -> None:
    """The locators above are one per page: each other mention of the page is checked here, as
    a locator of its entry or inside one of its entry's ranges."""
    model, files = request.getfixturevalue(book)
    where = Where(model, files[".pdf"])
    entry_of = {mention.id: mention.entry for mention in model.mentions}
    cited: dict[str, set[str]] = {}
    for label, target in locators(files[".epub"]):
        cited.setdefault(entry_of[target], set()).add(label)
    missing = []
    for mention in model.mentions:
        label, labels = where.locator(mention), cited[mention.entry]
        ranges = [[int(page) for page in other.split("\u2013")] for other in labels if "\u2013" in other]
        inside = label.isdigit() and any(first <= int(label) <= last for first, last in ranges)
        if label not in labels and not inside:
            missing.append(f"{mention.entry} {mention.id}: printed on {label}, cited {sorted(labels)}")
    assert not missing, "mentions on a page their entry does not cite:\n" + "\n".join(missing)
