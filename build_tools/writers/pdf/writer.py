"""The print PDF writer: the pages of a PrintLayout as the printer's file.

The layout (``build_tools.layout``) has laid the book out for one printer; this writes its pages
with what WeasyPrint does not write: page labels matching the folios, and for PDF/X an output
intent and no annotations. Saved with a deterministic /ID: two builds stay identical.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from weasyprint import Document

from build_tools.design.profiles import PROFILES, Profile
from build_tools.layout.gcpolicy import layout_collection
from build_tools.layout.partwork import Joined
from build_tools.layout.proofs import PROOF_KEY
from build_tools.model import Book, PrintLayout
from build_tools.writers.output import atomic_output, pdf_bytes
from build_tools.writers.pdf.join import joined_pdf


class PdfWriter:
    """Writes ``<out>/<slug>.pdf`` (``<slug>-<profile>.pdf`` for another printer) from a Book
    and its print layout; a proof's layout (its queries printed) as ``<slug>-proof.pdf``
    (``<slug>-<profile>-proof.pdf``), never in the press file's place."""

    suffix = ".pdf"

    def __init__(self, profile: str | None = None, proof: bool = False) -> None:
        self.profile_name, self.proof = profile, proof

    def profile(self, book: Book) -> Profile:
        return PROFILES[self.profile_name or book.meta.print_profile]

    def target(self, book: Book, out_dir: Path) -> Path:
        name = self.profile(book).name
        suffix = "" if name == book.meta.print_profile else f"-{name}"
        if self.proof and suffix != "-proof":
            suffix += "-proof"
        return out_dir / f"{book.meta.slug}{suffix}{self.suffix}"

    def write(self, book: Book, layout: PrintLayout, out_dir: Path) -> Path:
        data = self._drawn(book, layout)
        target = self.target(book, out_dir)
        # Finished inside the output's block: a signal during pikepdf's save is held, then raised.
        with atomic_output(target) as temporary:
            temporary.write_bytes(finish_pdf(data, layout.first_text_page, self.profile(book), self.proof))
        return target

    def finished(self, book: Book, layout: PrintLayout) -> bytes:
        """The file's bytes, as ``write`` writes them (the preview's, kept in the layout cache)."""
        data = self._drawn(book, layout)
        return finish_pdf(data, layout.first_text_page, self.profile(book), self.proof)

    def _drawn(self, book: Book, layout: PrintLayout) -> bytes:
        """The pages drawn by WeasyPrint (interruptible: no output is open yet)."""
        document = layout.rendered
        if isinstance(document, Joined):  # laid out in parts, each drawn where it was laid out
            return joined_pdf(document)
        assert isinstance(document, Document), "a print layout holds its rendered pages"
        variant = self.profile(book).pdf_variant
        with layout_collection():  # drawing the pages allocates as a layout does (gcpolicy.py)
            data: bytes = document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
        return data

    def copy(self, book: Book, cached: Path, out_dir: Path) -> Path:
        """The PDF an earlier build of the same inputs wrote (``cache.py``), in its place."""
        target = self.target(book, out_dir)
        with atomic_output(target) as temporary:
            temporary.write_bytes(cached.read_bytes())
        return target


def finish_pdf(data: bytes, first_text_page: int, profile: Profile, proof: bool = False) -> bytes:
    """Page labels matching the folios (front matter in lower-case roman, the text from arabic
    1), and for PDF/X an output intent naming a registered printing condition (CGATS TR 001,
    SWOP; PDF/X-1a allows it without an embedded profile) and no annotations. A proof says so
    in its document information, where the preflight reads it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if proof:
            pdf.docinfo[PROOF_KEY] = pikepdf.String("editorial proof, queries printed: not for press")
        labels: list[object] = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if first_text_page else []
        labels += [first_text_page, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        if profile.pdf_variant:
            pdf.Root.OutputIntents = pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.OutputIntent,
                        S=pikepdf.Name.GTS_PDFX,
                        OutputConditionIdentifier=pikepdf.String("CGATS TR 001"),
                        RegistryName=pikepdf.String("http://www.color.org"),
                        Info=pikepdf.String("SWOP (Publication) Grade 5 Paper"),
                    )
                ]
            )
            for page in pdf.pages:
                if "/Annots" in page:
                    del page.Annots
        return pdf_bytes(pdf)
