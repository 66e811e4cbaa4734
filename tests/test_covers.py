"""The covers (issue 14 items 1 and 2): the EPUB's cover picture, found as reading systems find
it and painted in a browser; the print cover's sheet, spine, barcode and checks.

The books: the fixture book (no cover of its own: a generated one), the covers' test book
(``tests/manuscripts/covers``: a 1600 × 2560 JPEG, an ISBN, a price, cream paper) and the
essay with an ISBN and a price (34 pages: an interior KDP makes a cover for).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path, PurePosixPath

import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from conftest import EPOCH, ROOT, STYLES, _built
from lxml import etree
from PIL import Image
from project_tools import refused
from validators import ace, epubcheck, format_messages, format_violations, problems

from build_tools.build import Project, build, read_book
from build_tools.cli import main
from build_tools.design.fonts import read_fonts
from build_tools.design.profiles import COVERS, price_addon
from build_tools.design.trims import TRIMS
from build_tools.writers.cover import barcode
from build_tools.writers.cover.ebook import generated_size, typographic_cover
from build_tools.writers.cover.sheet import write_cover

COVERS_BOOK = Path(__file__).resolve().parent / "manuscripts" / "covers"
OPF = {"opf": "http://www.idpf.org/2007/opf"}
XHTML = "{http://www.w3.org/1999/xhtml}"
ISBN = "9780306406157"


@pytest.fixture(scope="module")
def given(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The covers' test book built as ``book build all``: (Book, {suffix: path})."""
    return _built(tmp_path_factory, COVERS_BOOK, "covers")


def _cover_of(epub: Path) -> tuple[str, str, bytes, str]:
    """As a reading system finds it: the cover-image item (href, media type, bytes) and the
    src of the picture in the first document of the spine, resolved against the package."""
    with zipfile.ZipFile(epub) as archive:
        container = etree.fromstring(archive.read("META-INF/container.xml"))
        opf_path = container.find(".//{*}rootfile").get("full-path")
        base = PurePosixPath(opf_path).parent
        opf = etree.fromstring(archive.read(opf_path))
        items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", OPF)}
        cover = [i for i in items.values() if "cover-image" in (i.get("properties") or "").split()]
        assert len(cover) == 1
        meta = opf.find(".//opf:metadata/opf:meta[@name='cover']", OPF)
        assert meta is not None and items[meta.get("content")] is cover[0]
        first = items[opf.find(".//opf:spine/opf:itemref", OPF).get("idref")]
        doc_path = base / first.get("href")
        doc = etree.fromstring(archive.read(str(doc_path)))
        images = list(doc.iter(f"{XHTML}img"))
        assert len(images) == 1 and images[0].get("alt")
        src = str(PurePosixPath(doc_path.parent, images[0].get("src")))
        href = str(base / cover[0].get("href"))
        return href, cover[0].get("media-type"), archive.read(href), src


def test_a_given_cover_is_the_epubs_cover(given) -> None:  # type: ignore[no-untyped-def]
    href, media_type, data, src = _cover_of(given[1][".epub"])
    assert src == href and media_type == "image/jpeg"
    assert data == (COVERS_BOOK / "images" / "cover.jpg").read_bytes()


def test_without_a_cover_one_is_generated(small) -> None:  # type: ignore[no-untyped-def]
    href, media_type, data, src = _cover_of(small[1][".epub"])
    assert src == href and media_type == "image/png"
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1600, 2400)  # 6 × 9 in: the front's proportions, under 4 MP
        # Not a blank page: the title's light type on the dark ground.
        assert len(image.convert("L").getcolors(256) or ()) > 2


def test_the_generated_cover_is_the_same_bytes_each_time(small) -> None:  # type: ignore[no-untyped-def]
    book = small[0]
    fonts = read_fonts(STYLES)
    first = typographic_cover(book.meta, fonts, book.source_date_epoch)
    assert typographic_cover(book.meta, fonts, book.source_date_epoch) == first


def test_the_cover_landmark_and_the_label(given) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(given[1][".epub"]) as archive:
        nav = archive.read("OEBPS/nav.xhtml").decode()
        cover = archive.read("OEBPS/cover.xhtml").decode()
    assert '<a epub:type="cover" href="cover.xhtml">Cover</a>' in nav
    assert 'alt="Cover of The Lighthouse Keeper’s Ledger, by Maren Holt"' in cover or (
        'alt="Cover of The Lighthouse Keeper\'s Ledger, by Maren Holt"' in cover
    )


@pytest.mark.parametrize("book", ["given", "small"])
def test_epubcheck_and_ace_are_clean(book: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    epub = request.getfixturevalue(book)[1][".epub"]
    assert problems(found := epubcheck(epub)) == [], format_messages(found)
    assert (violations := ace(epub, tmp_path / "ace")) == [], format_violations(violations)


def test_the_cover_is_painted_in_a_browser(given, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """calibre is not installed: the cover document in headless Chromium, as a reading system's
    web view shows it, paints its picture at a real size."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from test_preview_browser import CHROMIUM, CHROMIUM_ARGS

    if CHROMIUM is None:
        pytest.skip("no chromium")
    with zipfile.ZipFile(given[1][".epub"]) as archive:
        archive.extractall(tmp_path / "book")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 600, "height": 900})
            page.goto((tmp_path / "book" / "OEBPS" / "cover.xhtml").as_uri())
            page.wait_for_function("document.images[0].complete")
            size = page.evaluate(
                "(() => { const i = document.images[0]; const r = i.getBoundingClientRect();"
                " return [i.naturalWidth, i.naturalHeight, r.width, r.height]; })()"
            )
        finally:
            chromium.close()
    natural_w, natural_h, shown_w, shown_h = size
    assert (natural_w, natural_h) == (1600, 2560)
    assert shown_h >= 800 and shown_w >= 500  # the screen's height, in proportion


def test_a_small_cover_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "book"
    shutil.copytree(COVERS_BOOK, source)
    Image.new("RGB", (800, 1280), (0, 0, 0)).save(source / "images" / "cover.jpg")
    book = read_book(Project(source, STYLES, tmp_path / "out"))
    found = [d for d in book.diagnostics if d.code == "small-cover"]
    line = (source / "book.toml").read_text(encoding="utf-8").splitlines().index('cover = "images/cover.jpg"')
    assert len(found) == 1 and found[0].location.line == line + 1
    assert "800 × 1280 px" in found[0].message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('cover = "images/cover.jpg"', "'cover' cover.jpg is a damaged JPEG file"),
        ('price = "EUR 18.00"', "'price' 'EUR 18.00' cannot go in the barcode"),
        ('price = "USD 180.00"', "prices up to 99.99"),
    ],
)
def test_bad_covers_and_prices_are_errors_at_their_line(tmp_path: Path, line: str, message: str) -> None:
    source = tmp_path / "book"
    shutil.copytree(COVERS_BOOK, source)
    config = (source / "book.toml").read_text(encoding="utf-8")
    key = line.split(" ")[0]
    config = re.sub(rf"^{key} = .*$", line, config, flags=re.M)
    (source / "book.toml").write_text(config, encoding="utf-8")
    if key == "cover":
        (source / "images" / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a JPEG at all")
    number = config.splitlines().index(line) + 1
    found = refused(tmp_path, source)
    assert found.startswith(f"{source / 'book.toml'}:{number}: ") and message in found


# ---------------------------------------------------------------- the print cover


def test_the_price_add_on() -> None:
    assert price_addon("USD 18.00") == "51800"
    assert price_addon("GBP 7.99") == "00799"
    assert [price_addon(f"{c} 5.00")[0] for c in ("CAD", "AUD", "NZD")] == ["6", "3", "4"]
    assert price_addon("90000") == "90000"


def _widths(svg: str) -> str:
    """The modules the SVG draws, back from its bars' x and width (in modules)."""
    bars = [
        (float(x), float(w)) for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    ]
    end = max(x + w for x, w in bars)
    modules = ["0"] * round(end)
    for x, w in bars:
        modules[round(x) : round(x + w)] = ["1"] * round(w)
    return "".join(modules).strip("0")


# The digits' patterns as GS1 tabulates them, written out again here (not taken from the code).
L = [
    "0001101",
    "0011001",
    "0010011",
    "0111101",
    "0100011",
    "0110001",
    "0101111",
    "0111011",
    "0110111",
    "0001011",
]
G = ["".join("1" if c == "0" else "0" for c in code)[::-1] for code in L]
R = ["".join("1" if c == "0" else "0" for c in code) for code in L]
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def _decode_ean13(modules: str) -> str:
    assert modules[:3] == "101" and modules[45:50] == "01010" and modules[92:95] == "101"
    left = [modules[3 + 7 * i : 10 + 7 * i] for i in range(6)]
    right = [modules[50 + 7 * i : 57 + 7 * i] for i in range(6)]
    parity = "".join("L" if code in L else "G" for code in left)
    digits = [str(PARITY.index(parity))]
    digits += [str((L if code in L else G).index(code)) for code in left]
    digits += [str(R.index(code)) for code in right]
    number = "".join(digits)
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(number[:12])) % 10) % 10
    assert int(number[12]) == check
    return number


def test_the_barcode_decodes_to_the_isbn_and_the_price() -> None:
    svg, scale = barcode.barcode_svg(ISBN, "51800", (2.0, 1.2), "serif")
    assert 0.8 <= scale <= 1.0
    modules = _widths(svg)
    assert _decode_ean13(modules[:95]) == ISBN
    addon = modules[95:].lstrip("0")
    assert addon[:4] == "1011" and len(addon) == 47
    codes = [addon[4 + 9 * i : 11 + 9 * i] for i in range(5)]
    digits = "".join(str((L if c in L else G).index(c)) for c in codes)
    assert digits == "51800"
    parities = "".join("L" if c in L else "G" for c in codes)
    checksum = (3 * (5 + 8 + 0) + 9 * (1 + 0)) % 10  # 3 × odd places + 9 × even places
    assert (
        parities
        == ["GGLLL", "GLGLL", "GLLGL", "GLLLG", "LGGLL", "LLGGL", "LLLGG", "LGLGL", "LGLLG", "LLGLG"][
            checksum
        ]
    )


@pytest.fixture(scope="module")
def essay_isbn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The essay with a print ISBN and a price."""
    source = tmp_path_factory.mktemp("essay-isbn") / "manuscript"
    shutil.copytree(ROOT / "manuscript", source)
    config = (source / "book.toml").read_text(encoding="utf-8")
    config = re.sub(r"^isbn_print = .*$", f'isbn_print = "{ISBN}"\nprice = "USD 18.00"', config, flags=re.M)
    (source / "book.toml").write_text(config, encoding="utf-8")
    return source


def _sheet_size(pdf: Path) -> tuple[float, float]:
    with pikepdf.open(pdf) as document:
        assert len(document.pages) == 1
        x0, y0, x1, y1 = (float(v) / 72 for v in document.pages[0].mediabox)
    return x1 - x0, y1 - y0


@pytest.mark.parametrize("profile", ["kdp", "ingramspark", "lulu"])
@pytest.mark.parametrize("pages", [24, 100, 400])
def test_the_sheet_is_both_panels_the_spine_and_the_bleed(
    essay_isbn: Path, tmp_path: Path, profile: str, pages: int
) -> None:
    book = read_book(Project(essay_isbn, STYLES, tmp_path))
    rules = COVERS[profile]
    if pages < rules.min_pages:
        pytest.skip(f"{profile} makes no cover for {pages} pages")
    target = write_cover(book, read_fonts(STYLES), profile, pages, tmp_path)
    assert target.name == f"serge-and-the-chinese-revolution-cover-{profile}.pdf"
    spine = rules.spine(pages, "white")
    width, height = _sheet_size(target)
    assert abs(width - (2 * (6 + rules.bleed) + spine)) < 0.001
    assert abs(height - (9 + 2 * rules.bleed)) < 0.001
    assert _spine_text(target, 6 + rules.bleed, spine) == (pages > rules.spine_text_min)


def _spine_text(pdf: Path, left: float, spine: float) -> bool:
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage().get_text_bounded(left * 72, 0, (left + spine) * 72, page.get_height())
    finally:
        document.close()
    return bool(text.strip())


def test_a_real_interior_gives_the_spine(
    essay_isbn: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _, written = build(Project(essay_isbn, STYLES, tmp_path), ("pdf", "cover"))
    interior, cover = written
    with pikepdf.open(interior) as pdf:
        pages = len(pdf.pages)
    width, _ = _sheet_size(cover)
    assert abs(width - (2 * 6.125 + pages * 0.002252)) < 0.001
    result = CliRunner().invoke(
        main, ["check", "pdf", str(interior), "--cover", str(cover), "--source", str(essay_isbn)]
    )
    assert result.exit_code == 0, result.output
    assert "sheet size      PASS" in result.output
    result = CliRunner().invoke(
        main,
        [
            "check",
            "pdf",
            str(interior),
            "--cover",
            str(cover),
            "--source",
            str(essay_isbn),
            "--profile",
            "lulu",
        ],
    )
    assert result.exit_code == 1 and "sheet size      FAIL" in result.output
    # The barcode is on the back, with its ISBN printed above it.
    document = pdfium.PdfDocument(cover)
    try:
        back = document[0].get_textpage().get_text_bounded(0, 0, 6.125 * 72, 9.25 * 72)
    finally:
        document.close()
    assert "ISBN 978-0-306-40615-7" in back and "51800" in back


def test_too_few_pages_for_a_cover_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "book"
    shutil.copytree(COVERS_BOOK, source)
    message = refused(tmp_path, source, "cover")
    assert "the interior has" in message and "makes covers for 24 pages or more" in message


def test_without_an_isbn_the_barcode_area_is_left_for_the_printer(tmp_path: Path) -> None:
    """KDP prints its own barcode in the area when the cover has none: nothing is drawn there."""
    book = read_book(Project(ROOT / "manuscript", STYLES, tmp_path))
    assert not book.meta.isbn_print
    cover = write_cover(book, read_fonts(STYLES), "kdp", 100, tmp_path)
    document = pdfium.PdfDocument(cover)
    try:
        text = document[0].get_textpage().get_text_bounded(0, 0, 6.125 * 72, 9.25 * 72)
    finally:
        document.close()
    assert "ISBN" not in text and "Richard Greeman’s essay" in text.replace("\r\n", " ")


@pytest.mark.parametrize("trim", sorted(TRIMS))
def test_the_generated_cover_has_the_fronts_proportions_within_the_stores_limits(trim: str) -> None:
    width, height = generated_size(TRIMS[trim])
    assert min(width, height) >= 1400 and width * height <= 4_000_000  # Apple's two figures
    assert abs(height / width - TRIMS[trim].height / TRIMS[trim].width) < 0.005
