"""What an importer reads out of a Word file or an EPUB, before it becomes a manuscript.

    ImportedBook
     ├─ metadata          book.toml's [book] keys the document states (title, author, …)
     ├─ ImportedSection*  one per manuscript file, in reading order
     │    ├─ body         an lxml element (namespace-free HTML) holding the section's blocks
     │    └─ notes        the section's notes: key → an element holding the note's blocks
     ├─ images            file name → bytes, written to images/
     ├─ cover             the file name (in images) of the cover, if the document has one
     └─ Loss*             what could not be carried over, and where it was

Each front end (``docx.py``, ``epub.py``) makes an ``ImportedBook`` whose bodies use only the
HTML vocabulary ``markdown.py`` knows (below); ``folder.py`` writes it out. Front ends never
write Markdown, and the writer never reads Word or EPUB.

The vocabulary of a body (anything else is unwrapped to its text, and reported):
- blocks: ``h1``–``h6``, ``p``, ``blockquote``, ``ul``/``ol`` with ``li``, ``table`` (``caption``,
  ``thead``/``tbody``/``tr``, ``th``/``td``), ``figure`` (an ``img`` and a ``figcaption``),
  ``hr`` (a section break), ``pre``; ``div`` is a transparent container, but ``div class="verse"``
  is a poem (stanzas ``p`` of lines ``span class="line indent-N"`` or lines parted by ``br``);
- inline: ``em``/``i``, ``strong``/``b``, ``span class="smallcaps"``, ``span lang="…"``,
  ``code``, ``br``, ``a href`` (a web address; other links keep their text only), ``img``
  (``src`` = ``images/<name>``, a key of ``images``; the writer makes it ``../images/<name>``
  from the file in ``text/``), ``alt``, ``sup``/``sub`` (kept as text: the format has neither);
- a note reference: an empty ``<a data-note="KEY"/>`` where the call stands; ``KEY`` is a key
  of the section's ``notes``. A note referenced twice keeps one note.
The first ``h1`` of a body is the section's title (``title`` is used when there is none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

Place = Literal["front", "body", "back"]


@dataclass(frozen=True)
class Loss:
    """Something of the document that the manuscript does not carry (a comment, a text box…).

    ``where`` says where it was in terms the document's author knows: "document.xml, paragraph
    12 (“The river was…”)", "chapter-3.xhtml, line 45".
    """

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass
class ImportedSection:
    """One manuscript file to be: its title, its place in the book, its blocks and notes."""

    title: str
    body: etree._Element
    notes: dict[str, etree._Element] = field(default_factory=dict)
    place: Place = "body"
    role: str | None = None  # a front or back role of book.toml (preface, appendix…); None: default
    part: str | None = None  # the title of the part a body section belongs to (book.toml's parts)
    source: str = ""  # where it came from ("chapter-3.xhtml"), for the losses the writer finds


@dataclass
class ImportedBook:
    """Everything an importer read out of one document."""

    metadata: dict[str, str | list[str]]
    sections: list[ImportedSection]
    images: dict[str, bytes] = field(default_factory=dict)
    cover: str | None = None  # a key of images
    losses: list[Loss] = field(default_factory=list)
