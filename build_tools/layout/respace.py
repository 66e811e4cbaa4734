"""The trials that choose how a paragraph is set again (compose.py's variants), each a small
WeasyPrint layout of the paragraphs alone on their measure (``trials.py``):

- **runts** (and loose lines) of a book's first layout: each in every variant, then, for those
  none sets well, in the closest settings (``compose.CLOSER``);
- **stranded lines**: the widows and orphans of a layout, mended by a pair of variants on the
  two pages of the turn (stranded.py);
- **kept words**: a word the next layout keeps whole across a page turn (keeps.py) sets its
  paragraph again, and may leave it a runt or a loose line; tried with the word kept, the
  paragraph takes the variant that sets it in as many lines without.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import Future

from lxml import etree

from build_tools.layout.boxes import Paragraph, paragraphs
from build_tools.layout.compose import (
    AS_SET,
    CLOSER,
    LOOSEST,
    VARIANTS,
    Respace,
    chosen,
    faults,
    loose,
)
from build_tools.layout.html import PRINT_ONLY
from build_tools.layout.keeps import Keep
from build_tools.layout.stranded import mended, neighbours, stranded
from build_tools.layout.trialpool import split
from build_tools.layout.trials import trial_document, trial_pieces
from build_tools.layout.weasy import Renderer

RUNT_FRACTION = 1 / 3  # of the measure: a shorter last line is a runt (as checks/pagecheck.py)
TRIALS = 400  # settings in one trial document, at most


class Trials:
    """Trials of paragraphs of the print document ``tree``, laid out by ``renderer`` with the
    inside margin ``inside``; ``labels``: the printed page of each element id in the layout
    the paragraphs are from, which their page references print."""

    def __init__(
        self, renderer: Renderer, inside: float, tree: etree._Element, labels: Mapping[str, str] | None = None
    ) -> None:
        self.renderer, self.inside, self.tree, self.labels = renderer, inside, tree, labels

    def runts(self, found: Mapping[str, Paragraph], keeps: Collection[object]) -> frozenset[Respace]:
        """The runts and loose lines of a layout (not yet respaced: ``keeps``) and the variant
        that sets each without one, where one does."""
        done = {item.owner for item in keeps if isinstance(item, Respace)}
        runts = {
            owner: setting
            for owner, setting in found.items()
            if (setting.runt or loose(setting)) and owner not in done
        }
        if not runts:
            return frozenset()
        out = _chosen(runts, self._tried(runts, tuple(VARIANTS)))
        # A runt or a loose line no variant sets well: a second trial, of the closest settings.
        solved = {item.owner for item in out}
        left = {owner: setting for owner, setting in runts.items() if owner not in solved}
        if left:
            out |= _chosen(left, self._tried(left, tuple(CLOSER)))
        return frozenset(out)

    def stranded(self, found: Mapping[str, Paragraph], split: Mapping[int, Keep]) -> frozenset[Respace]:
        """The variants that mend the lines a layout strands at a page turn (stranded.py); not
        at a turn that splits a word (``split``), which the next layout keeps whole."""
        turns = [turn for turn in stranded(found) if turn.page + 1 not in split]
        near = neighbours(found, turns)
        if not turns or not near:
            return frozenset()
        return mended(found, turns, self._tried(near, (*VARIANTS, *CLOSER)))

    def kept(self, found: Mapping[str, Paragraph], keeps: Sequence[Keep]) -> frozenset[Respace]:
        """The paragraphs whose words the next layout keeps whole, tried with them kept: one a
        keep would leave with a runt or a loose line takes the variant that sets it in as many
        lines with fewer (nothing after it moves), the least loose of those that split no word
        at the page turns it is across if one does (a split word costs one layout more); none
        if no variant sets it better."""
        words: dict[str, list[Keep]] = {}
        for keep in keeps:
            words.setdefault(keep.owner, []).append(keep)
        settings = {owner: found[owner] for owner in words if owner in found}
        if not settings:
            return frozenset()
        out = set()
        for owner, tried in self._tried(settings, (AS_SET, *VARIANTS, *CLOSER), words).items():
            by_variant = {item.variant: setting for item, setting in tried.items()}
            as_set = by_variant.pop(AS_SET, None)
            if as_set is None or not faults(as_set):
                continue
            turns = found[owner].turns()
            fits = [
                (bool(setting.hyphenated.intersection(turns)), setting.loosest, name)
                for name, setting in by_variant.items()
                if setting.lines == as_set.lines
                and faults(setting) < faults(as_set)
                and setting.loosest <= max(LOOSEST, as_set.loosest)
            ]
            if fits:
                out.add(Respace(owner, min(fits)[2]))
        return frozenset(out)

    def _tried(
        self,
        settings: Mapping[str, Paragraph],
        variants: tuple[str, ...],
        kept: Mapping[str, Sequence[Keep]] | None = None,
    ) -> dict[str, dict[Respace, Paragraph]]:
        """Each paragraph of ``settings`` as each of ``variants`` sets it, its words ``kept``
        kept whole: from the renderer's store of trials (trials.py) or by a trial of it alone,
        each setting once, ``TRIALS`` in a document at most, one document after the other here
        (WeasyPrint holds a document's boxes while the book's layout is held too: a long book's
        trials in one document took more memory than its layout), others in the renderer's
        worker processes (``trialpool.py``) meanwhile."""
        store = self.renderer.trials
        context = (self.renderer.signature(self.inside), self.labels)
        pieces = trial_pieces(self.tree, settings, variants, kept or {}, PRINT_ONLY, context)
        found = {piece.key: setting for piece in pieces if (setting := store.get(piece.key)) is not None}
        wanted = list({piece.key: piece for piece in pieces if piece.key not in found}.values())
        pool = self.renderer.pool
        runs = split(wanted, pool.shares(len(wanted)) if pool else 1, TRIALS)
        documents = [trial_document(self.tree, wanted[run]) for run in runs]
        # One document in each turn at home, the others by the workers meanwhile (trialpool.py).
        turn = pool.workers + 1 if pool else 1
        asked = [
            pool.lay_out(html, self.inside) if pool and n % turn else None
            for n, (html, _) in enumerate(documents)
        ]
        for (html, trials), future in zip(documents, asked, strict=True):
            for trial_id, setting in self._laid_out(html, future, context[0]).items():
                if (piece := trials.get(trial_id)) is not None:
                    found[piece.key] = setting
                    store.put(piece.key, setting, piece.lasting)
        by_owner: dict[str, dict[Respace, Paragraph]] = {}
        for piece in pieces:
            if piece.key in found:
                by_owner.setdefault(piece.item.owner, {})[piece.item] = found[piece.key]
        return by_owner

    def _laid_out(
        self, html: str, future: Future[tuple[str, dict[str, Paragraph]]] | None, signature: str
    ) -> dict[str, Paragraph]:
        """The settings of a trial document's paragraphs, by id: a worker's (``future``), if it
        laid the document out as this renderer does, or laid out here."""
        if future is not None:
            try:
                theirs, settings = future.result()
            except Exception:  # the worker failed: laid out here, which says why if it fails too
                theirs, settings = "", {}
                if self.renderer.pool:
                    self.renderer.pool.lost()
            if theirs == signature:
                return settings
        pages = self.renderer.render(html, self.inside).pages
        settings = paragraphs(pages, RUNT_FRACTION)
        del pages  # WeasyPrint holds a document's boxes: never two at once
        return settings


def _chosen(
    runts: Mapping[str, Paragraph], by_owner: Mapping[str, Mapping[Respace, Paragraph]]
) -> set[Respace]:
    """The variant of each paragraph that sets it best (compose.chosen), where one does."""
    out = set()
    for owner, settings in by_owner.items():
        variant = chosen(runts[owner], settings)
        if variant is not None:
            out.add(Respace(owner, variant))
    return out
