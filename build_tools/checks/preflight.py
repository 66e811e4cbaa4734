"""Preflight: a built PDF checked against its printer's rules, as the printer's own check would.

Every check reads the PDF itself (pikepdf for its structure and content streams, pdfium for
where the text really is), never the manuscript: a file changed after the build is judged as
it is.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium

from build_tools.checks.notdef import notdef_glyphs
from build_tools.checks.paint import RGB, TRANSPARENCY, Painted, painted, placed
from build_tools.checks.pdfsafety import pdf_safety
from build_tools.checks.table import FAIL, PASS, WARN, Row, print_table
from build_tools.design.profiles import PROFILES, Profile
from build_tools.errors import BookError, Location
from build_tools.layout.images import PRINT_PPI
from build_tools.layout.proofs import PROOF_KEY, proof_verdict

POINTS = 72.0
TOLERANCE = 0.5  # points: box sizes are written with decimals


@dataclass(frozen=True)
class Result:
    check: str
    passed: bool
    detail: str
    warned: bool = False  # passed, with advice the printer gives not followed (WARN)


def run_preflight(
    source: Path,
    pdf_path: Path | None,
    profile_name: str | None,
    output_format: str,
    echo: Callable[[str], None],
) -> bool:
    """``book check pdf``: print a table of results; True when any check failed."""
    from build_tools.sources.manuscript import (
        load,  # the metadata gives the trim, the default profile and the name
    )

    meta = load(source).meta
    profile = PROFILES[profile_name or meta.print_profile]
    if pdf_path is None:
        suffix = "" if profile.name == meta.print_profile else f"-{profile.name}"
        pdf_path = Path("dist") / f"{meta.slug}{suffix}.pdf"
    if not pdf_path.is_file():
        raise BookError("no such PDF: build it first with 'book build pdf'", Location(pdf_path))
    results = preflight(pdf_path, profile, meta.trim.width, meta.trim.height)
    if output_format == "json":
        echo(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        rows = [Row(r.check, (WARN if r.warned else PASS) if r.passed else FAIL, r.detail) for r in results]
        print_table(f"Preflight of {pdf_path} for {profile.title}", rows, echo)
    return any(not r.passed for r in results)


def preflight(path: Path, profile: Profile, trim_width: float, trim_height: float) -> list[Result]:
    """Run every check of the profile on the PDF at ``path``."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return [Result("encryption", False, "the PDF is encrypted")]
    except pikepdf.PdfError as exc:
        raise BookError(f"not a readable PDF: {exc}", Location(path)) from None
    with pdf:
        if not len(pdf.pages):  # pdfium refuses to open it: "internal error" (issue 17)
            raise BookError("the PDF has no pages: build it again with 'book build pdf'", Location(path))
        text = _TextPages(path)
        blank = [text.chars(i) == 0 and not _draws(page) for i, page in enumerate(pdf.pages)]
        found = painted(pdf)  # what each page draws in colour or transparency, forms included
        return [
            _boxes(pdf, profile, trim_width, trim_height),
            _fonts(pdf),
            _glyphs(pdf),
            _colour(found, profile),
            _transparency(found, profile),
            _resolution(pdf),
            _page_count(pdf, profile, blank),
            _blank_runs(blank, profile),
            _type_size(pdf, profile),
            _safe_margins(pdf, text, profile),
            _annotations(pdf),
            Result(
                "forms",
                "/AcroForm" not in pdf.Root,
                "no interactive form" if "/AcroForm" not in pdf.Root else "the PDF has a form (AcroForm)",
            ),
            Result(
                "encryption", not pdf.is_encrypted, "not encrypted" if not pdf.is_encrypted else "encrypted"
            ),
            _pdfx(pdf, profile),
            Result("not a proof", *proof_verdict(PROOF_KEY in pdf.docinfo, profile.name)),
            Result("no active content", *pdf_safety(pdf)),
        ]


def _box(page: pikepdf.Page, name: str) -> list[float]:
    """The page's own box ``name``, or its media box (inherited from the page tree if need be)."""
    box = page.obj.get(name) or page.mediabox
    return [float(v) for v in box]


def _resources(page: pikepdf.Page, kind: str) -> list[pikepdf.Object]:
    """The page's resources of one kind (``/Font``, ``/XObject``), inherited if need be."""
    resources = page.get_resources()
    entries = resources.get(kind) if resources is not None else None
    return [] if entries is None else list(entries.values())


def _same(a: list[float], b: list[float]) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def _boxes(pdf: pikepdf.Pdf, profile: Profile, width: float, height: float) -> Result:
    trim = [0.0, 0.0, width * POINTS, height * POINTS]
    bleed = profile.bleed * POINTS
    for number, page in enumerate(pdf.pages, 1):
        found_trim = _box(page, "/TrimBox")
        x0, y0, x1, y1 = found_trim
        if not _same([x1 - x0, y1 - y0], [trim[2], trim[3]]):
            return Result(
                "page boxes",
                False,
                f"page {number}: TrimBox {x1 - x0:g}×{y1 - y0:g} pt, not {trim[2]:g}×{trim[3]:g}",
            )
        recto = number % 2 == 1
        left = bleed if (profile.bleed_at_spine or not recto) else 0.0
        right = bleed if (profile.bleed_at_spine or recto) else 0.0
        expected = [x0 - left, y0 - bleed, x1 + right, y1 + bleed]
        for name in ("/MediaBox", "/BleedBox"):
            if not _same(_box(page, name), expected):
                return Result(
                    "page boxes", False, f"page {number}: {name[1:]} {_box(page, name)}, expected {expected}"
                )
    media = _box(pdf.pages[0], "/MediaBox")
    return Result(
        "page boxes",
        True,
        f"trim {width:g}×{height:g} in; media "
        f"{(media[2] - media[0]) / POINTS:g}×{(media[3] - media[1]) / POINTS:g} in on page 1",
    )


def _fonts(pdf: pikepdf.Pdf) -> Result:
    seen = set()
    for number, page in enumerate(pdf.pages, 1):
        for font in _resources(page, "/Font"):
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font.DescendantFonts[0].get("/FontDescriptor")
            name = str(font.get("/BaseFont", "?"))
            if font.get("/Subtype") == "/Type3":
                continue  # drawn with PDF operators: nothing to embed
            embedded = descriptor is not None and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            if not embedded:
                return Result("fonts embedded", False, f"page {number}: {name} is not embedded")
            seen.add(name.split("+")[-1])
    return Result("fonts embedded", True, f"{len(seen)} fonts, all embedded")


def _glyphs(pdf: pikepdf.Pdf) -> Result:
    """No character drawn as .notdef, the empty box of a character its font lacks (notdef.py)."""
    found = notdef_glyphs(pdf)
    if not found:
        return Result("no missing glyphs", True, "every character drawn with a glyph of its font")
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return Result("no missing glyphs", False, f"{found[0]} is drawn as .notdef (an empty box){more}")


def _colour(found: list[Painted], profile: Profile) -> Result:
    """Black-and-white interior: nothing painted in RGB, on whatever page it is drawn."""
    if profile.color_interior:
        return Result("no RGB colour", True, "not checked: a colour interior")
    rgb = [f for f in _printed(found, profile) if f.kind == RGB]
    passed = (
        "pictures in gray (a proof: its marks not judged)"
        if profile.marks
        else "text, rules and images in DeviceCMYK/Gray only"
    )
    return _painted("no RGB colour", rgb, passed)


def _transparency(found: list[Painted], profile: Profile) -> Result:
    """Nothing transparent: PDF/X-1a forbids it, and every printer asks it flattened."""
    transparent = [f for f in _printed(found, profile) if f.kind == TRANSPARENCY]
    return _painted(
        "no transparency", transparent, "no picture transparent" if profile.marks else "nothing transparent"
    )


def _printed(found: list[Painted], profile: Profile) -> list[Painted]:
    """What the checks judge: on a proof, only the pictures, since WeasyPrint draws crop
    marks in RGB, in a transparency group (a proof never goes to the printer)."""
    return [f for f in found if f.picture] if profile.marks else found


def _resolution(pdf: pikepdf.Pdf) -> Result:
    """Every image at least 300 ppi as the page prints it; under it, a warning (the printers
    print it, blurred) naming the page."""
    images = placed(pdf)
    low = [i for i in images if i.ppi < PRINT_PPI - 0.5]
    if not low:
        return Result(
            "image resolution", True, f"{len(images)} images, all at least {PRINT_PPI} ppi as printed"
        )
    first = low[0]
    more = (
        f"; {len(low) - 1} more, on pages {', '.join(str(i.page) for i in low[1:6])}" if len(low) > 1 else ""
    )
    detail = f"page {first.page}: an image of {first.width}×{first.height} px at {first.ppi:.0f} ppi"
    return Result("image resolution", True, f"{detail} (at least {PRINT_PPI}){more}", warned=True)


def _painted(check: str, found: list[Painted], passed: str) -> Result:
    """The first object found, on its page, and the pages of the others (the first 12)."""
    if not found:
        return Result(check, True, passed)
    first = found[0]
    others = sorted({f.page for f in found[1:]})
    listed = ", ".join(map(str, others[:12])) + (", …" if len(others) > 12 else "")
    more = f"; {len(found) - 1} more on page{'s' * (len(others) > 1)} {listed}" if others else ""
    return Result(check, False, f"page {first.page}: {first.what}{more}")


def _page_count(pdf: pikepdf.Pdf, profile: Profile, blank: list[bool]) -> Result:
    count = len(pdf.pages)
    problems = []
    if count % 2:
        problems.append("odd")
    if not profile.min_pages <= count <= profile.max_pages:
        problems.append(f"outside {profile.min_pages}–{profile.max_pages}")
    if profile.final_blank and not blank[-1]:
        problems.append("last page not blank")
    detail = f"{count} pages" + (f": {', '.join(problems)}" if problems else "")
    return Result("page count", not problems, detail)


def _blank_runs(blank: list[bool], profile: Profile) -> Result:
    runs, current = [], 0
    for is_blank in blank:
        current = current + 1 if is_blank else 0
        runs.append(current)
    end = 0
    while end < len(blank) and blank[-1 - end]:
        end += 1
    inside = max((r for i, r in enumerate(runs) if i < len(blank) - end), default=0)
    problems = []
    if profile.max_blank_run is not None and inside > profile.max_blank_run:
        problems.append(f"{inside} blank pages in a row (at most {profile.max_blank_run})")
    if profile.max_blank_end is not None and end > profile.max_blank_end:
        problems.append(f"{end} blank pages at the end (at most {profile.max_blank_end})")
    return Result(
        "blank pages", not problems, "; ".join(problems) or f"longest run {inside} inside, {end} at the end"
    )


def _type_size(pdf: pikepdf.Pdf, profile: Profile) -> Result:
    """The smallest type actually set: font size × text matrix × CTM, for shown text."""
    smallest, where = math.inf, 0
    for number, page in enumerate(pdf.pages, 1):
        ctm_stack: list[float] = []
        ctm, tm_scale, size = 1.0, 1.0, 0.0
        for instruction in pikepdf.parse_content_stream(page):
            op, operands = str(instruction.operator), instruction.operands
            if op == "q":
                ctm_stack.append(ctm)
            elif op == "Q" and ctm_stack:
                ctm = ctm_stack.pop()
            elif op == "cm":
                a, b, c, d = (float(v) for v in operands[:4])
                ctm *= math.sqrt(abs(a * d - b * c))
            elif op == "Tm":
                a, b, c, d = (float(v) for v in operands[:4])
                tm_scale = math.sqrt(abs(a * d - b * c))
            elif op == "BT":
                tm_scale = 1.0
            elif op == "Tf":
                size = float(operands[1])
            elif op in ("Tj", "TJ", "'", '"'):
                effective = size * tm_scale * ctm
                if 0 < effective < smallest:
                    smallest, where = effective, number
    passed = smallest >= profile.min_type - 0.05
    return Result(
        "minimum type size",
        passed,
        f"smallest {smallest:.1f} pt on page {where} (at least {profile.min_type:g} pt)",
    )


def _safe_margins(pdf: pikepdf.Pdf, text: _TextPages, profile: Profile) -> Result:
    gutter = profile.gutter_for(len(pdf.pages)) or 0.0
    for index, page in enumerate(pdf.pages):
        bounds = text.bounds(index)
        if bounds is None:
            continue
        x0, y0, x1, y1 = _box(page, "/TrimBox")
        left, bottom, right, top = bounds
        recto = index % 2 == 0
        inside, outside = (left - x0, x1 - right) if recto else (x1 - right, left - x0)
        margins = {"top": (y1 - top) / POINTS, "bottom": (bottom - y0) / POINTS, "outside": outside / POINTS}
        for side, value in margins.items():
            if value < profile.safe_outside - 0.005:
                return Result(
                    "text in safe area",
                    False,
                    f"page {index + 1}: text {value:.3f} in from "
                    f"the {side} edge (at least {profile.safe_outside} in)",
                )
        if inside / POINTS < gutter - 0.005:
            return Result(
                "text in safe area",
                False,
                f"page {index + 1}: text {inside / POINTS:.3f} in "
                f"from the spine (gutter at least {gutter} in for {len(pdf.pages)} pages)",
            )
    return Result(
        "text in safe area", True, f"≥ {profile.safe_outside} in from the trim, ≥ {gutter} in from the spine"
    )


def _annotations(pdf: pikepdf.Pdf) -> Result:
    count = 0
    for number, page in enumerate(pdf.pages, 1):
        for annot in page.obj.get("/Annots", []):
            count += 1
            if int(annot.get("/F", 0)) & 4 and annot.get("/Subtype") != "/Link":
                return Result(
                    "no printing annotations",
                    False,
                    f"page {number}: a printing {annot.get('/Subtype')} annotation",
                )
    return Result("no printing annotations", True, f"{count} links, none printed")


def _pdfx(pdf: pikepdf.Pdf, profile: Profile) -> Result:
    if not profile.pdf_variant:
        return Result("PDF/X", True, "not required")
    intents = list(pdf.Root.get("/OutputIntents") or [])
    version = str(pdf.docinfo.get("/GTS_PDFXVersion", ""))
    ok = any(str(i.get("/S")) == "/GTS_PDFX" for i in intents) and version.startswith("PDF/X-1")
    return Result("PDF/X", ok, f"{version or 'no PDF/X version'}; {'an' if intents else 'no'} output intent")


def _draws(page: pikepdf.Page) -> bool:
    """Whether a page paints anything (paths or images) besides text."""
    for instruction in pikepdf.parse_content_stream(page):
        if str(instruction.operator) in ("f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"):
            return True
    return False


class _TextPages:
    """Where the text is, page by page (pdfium's character boxes, in PDF user space)."""

    def __init__(self, path: Path) -> None:
        self.document = pdfium.PdfDocument(str(path))
        self._bounds: dict[int, tuple[float, float, float, float] | None] = {}

    def chars(self, index: int) -> int:
        textpage = self.document[index].get_textpage()
        count = sum(1 for i in range(textpage.count_chars()) if textpage.get_text_range(i, 1).strip())
        return count

    def bounds(self, index: int) -> tuple[float, float, float, float] | None:
        if index not in self._bounds:
            textpage = self.document[index].get_textpage()
            boxes = [
                textpage.get_charbox(i)
                for i in range(textpage.count_chars())
                if textpage.get_text_range(i, 1).strip()
            ]
            self._bounds[index] = (
                (
                    min(b[0] for b in boxes),
                    min(b[1] for b in boxes),
                    max(b[2] for b in boxes),
                    max(b[3] for b in boxes),
                )
                if boxes
                else None
            )
        return self._bounds[index]
