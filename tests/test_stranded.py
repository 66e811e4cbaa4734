"""Widows and orphans mended by a pair of variants (layout/stranded.py), on paragraphs as a
layout reads them (pages and lines), without WeasyPrint: which pairs mend a turn, and which
would strand a line elsewhere, break a word or move the text across a paragraph's end."""

from __future__ import annotations

from build_tools.layout.boxes import Paragraph
from build_tools.layout.compose import Respace
from build_tools.layout.stranded import Turn, mended, neighbours, stranded


def _p(*parts: tuple[int, int], hyphenated: frozenset[int] = frozenset()) -> Paragraph:
    lines = sum(count for _, count in parts)
    return Paragraph(lines, False, 0.1, 300.0, 12.0, 14.0, parts, hyphenated)


def _tried(found: dict[str, Paragraph], **deltas: int) -> dict[str, dict[Respace, Paragraph]]:
    """Each named paragraph with one variant, ``delta`` lines longer, its lines added to (or
    taken from) its last page."""
    out = {}
    for owner, delta in deltas.items():
        parts = list(found[owner].parts)
        parts[-1] = (parts[-1][0], parts[-1][1] + delta)
        out[owner] = {Respace(owner, "longer" if delta > 0 else "shorter"): _p(*parts)}
    return out


def test_a_widow_is_mended_by_a_line_less_before_and_a_line_more_after() -> None:
    found = {"a": _p((0, 20)), "b": _p((1, 10)), "c": _p((1, 9), (2, 1)), "d": _p((2, 20))}
    assert stranded(found) == [Turn(1, "c", 9, 1)]
    assert set(neighbours(found, stranded(found))) == set(found)
    chosen = mended(found, stranded(found), _tried(found, b=-1, d=1))
    assert chosen == {Respace("b", "shorter"), Respace("d", "longer")}  # c: 10 lines, all on p. 1


def test_an_orphan_is_mended_across_the_turns_next_to_it() -> None:
    """The first book's p. 3: no paragraph of the turn's two pages has a variant a line longer;
    one across the turn before is set a line shorter and one across the turn after a line
    longer: the orphan's paragraph has two lines on its page, the next turn falls a line later
    in its paragraph, and nothing after moves."""
    found = {
        "e": _p((7, 12), (8, 8)),
        "f": _p((8, 11)),
        "g": _p((8, 1), (9, 14)),
        "h": _p((9, 6), (10, 8)),
        "i": _p((10, 13)),
    }
    turn = Turn(8, "g", 1, 14)
    assert turn in stranded(found)
    chosen = mended(found, [turn], _tried(found, e=-1, h=1))
    assert chosen == {Respace("e", "shorter"), Respace("h", "longer")}


def test_no_pair_strands_a_line_at_another_turn_or_breaks_a_word() -> None:
    found = {
        "e": _p((7, 12), (8, 8)),
        "f": _p((8, 11)),
        "g": _p((8, 1), (9, 14)),
        "h": _p((9, 6), (10, 1)),  # the pair would leave its last line alone on p. 10
        "i": _p((10, 13)),
    }
    turn = Turn(8, "g", 1, 14)
    assert mended(found, [turn], _tried(found, e=-1, h=1)) == frozenset()
    # The orphan's paragraph would break a word at the turn (its second line ends in a hyphen).
    broken = {**found, "g": _p((8, 1), (9, 14), hyphenated=frozenset({1})), "h": _p((9, 6), (10, 8))}
    assert mended(broken, [turn], _tried(broken, e=-1, h=1)) == frozenset()


def test_no_pair_moves_the_text_across_a_turn_between_two_blocks() -> None:
    """A page that ends with a paragraph's last line (a heading may follow it): a pair whose
    moved text crosses that turn would carry a line over it, or a heading to a page's foot."""
    found = {
        "a": _p((0, 20)),  # p. 0 ends with a: the turn after it is between two blocks
        "k": _p((1, 11)),
        "b": _p((1, 9), (2, 1)),  # a widow on p. 2
        "c": _p((2, 19)),  # p. 2 ends with c: so does the turn after it
        "d": _p((3, 20)),
    }
    turns = stranded(found)
    assert turns == [Turn(1, "b", 9, 1)]
    assert mended(found, turns, _tried(found, a=-1, c=1)) == frozenset()
    assert mended(found, turns, _tried(found, k=-1, d=1)) == frozenset()
    assert mended(found, turns, _tried(found, k=-1, c=1)) == {Respace("k", "shorter"), Respace("c", "longer")}
