"""Print-safe pictures (issue 14 item 3): a colour JPEG, a transparent PNG and an SVG print in
grayscale on white, pass every printer's preflight and print the same bytes twice; the EPUB
keeps the colour originals; a picture printed under 300 ppi is a build warning with its file
and page; sources are never written."""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from conftest import EPOCH, STYLES, book_toml
from PIL import Image, ImageDraw
from project_tools import snapshot

from build_tools.build import Project, build
from build_tools.checks.preflight import preflight
from build_tools.checks.summary import build_report
from build_tools.design.profiles import PROFILES
from build_tools.errors import BookError
from build_tools.layout.images import PRINT_PPI, grayscale

PRINTERS = ("kdp", "ingramspark", "lulu")
WORDS = (
    "the river carried news of the strike down to the coast where the printers set it in type "
    "before the morning boats left and the readers in the port town argued over every line of it"
).split()


def _paragraphs(count: int, seed: int) -> str:
    """``count`` paragraphs of plain words, each a little different, for pages to fill."""
    out = []
    for n in range(count):
        words = [WORDS[(seed + n * 7 + i * 3) % len(WORDS)] for i in range(90)]
        out.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(out)


def _pictures() -> dict[str, bytes]:
    """A colour photograph (JPEG), a transparent PNG, two SVGs with opacity (one with no size
    of its own), a small picture."""
    photo = Image.new("RGB", (1500, 1000))
    photo.putdata([(x * 255 // 1500, y * 255 // 1000, 160) for y in range(1000) for x in range(1500)])
    mask = Image.new("RGBA", (1400, 900), (0, 0, 0, 0))
    ImageDraw.Draw(mask).ellipse((100, 100, 1300, 800), fill=(200, 30, 30, 180))
    small = Image.new("RGB", (240, 160), (20, 120, 220))
    files = {}
    for name, picture, kind in (
        ("photo.jpg", photo, "JPEG"),
        ("mask.png", mask, "PNG"),
        ("small.png", small, "PNG"),
    ):
        data = io.BytesIO()
        picture.save(data, format=kind)
        files[name] = data.getvalue()
    files["diagram.svg"] = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150">'
        b'<rect x="10" y="10" width="280" height="130" fill="#3060c0"/>'
        b'<circle cx="150" cy="75" r="50" fill="#e02020" opacity="0.5"/></svg>'
    )
    files["wide.svg"] = (  # no size of its own: as wide as the text
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 100">'
        b'<rect width="400" height="100" fill="#c03030" fill-opacity="0.8"/></svg>'
    )
    return files


def write_manuscript(root: Path) -> Path:
    """A book of 40-odd pages: its pictures in the second chapter, from its third page on."""
    (root / "text").mkdir(parents=True)
    (root / "images").mkdir()
    for name, data in _pictures().items():
        (root / "images" / name).write_bytes(data)
    (root / "book.toml").write_text(book_toml(["text/one.md", "text/two.md"], title="Pictures"), "utf-8")
    (root / "text" / "one.md").write_text("# One\n\n" + _paragraphs(60, 1) + "\n", "utf-8")
    figures = "\n\n".join(
        f'![{alt}](../images/{name} "{alt}.")'
        for name, alt in (
            ("photo.jpg", "A colour photograph"),
            ("mask.png", "A red disc on nothing"),
            ("diagram.svg", "A diagram"),
            ("wide.svg", "A band as wide as the text"),
            ("small.png", "A small picture"),
        )
    )
    body = _paragraphs(8, 2) + "\n\n" + figures + "\n\n" + _paragraphs(60, 3)
    (root / "text" / "two.md").write_text("# Two\n\n" + body + "\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The book built for each printer (the EPUB with KDP's PDF), the sources before and after."""
    root = write_manuscript(tmp_path_factory.mktemp("pictures") / "m")
    before = snapshot(root)
    out = tmp_path_factory.mktemp("pictures-out")
    pdfs, books = {}, {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for name in PRINTERS:
            formats = ("epub", "pdf") if name == "kdp" else ("pdf",)
            books[name], written = build(Project(root, STYLES, out / name), formats, profile=name)
            pdfs.update({name if path.suffix == ".pdf" else "epub": path for path in written})
    return root, before, pdfs, books


def _drawn_images(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Object]]:
    """(page, image) for every image a page draws, through its forms."""

    def walk(
        stream: pikepdf.Object, resources: pikepdf.Object, page: int
    ) -> Iterator[tuple[int, pikepdf.Object]]:
        for instruction in pikepdf.parse_content_stream(stream):
            if str(instruction.operator) == "Do":
                xobject = resources.XObject[instruction.operands[0]]
                if xobject.Subtype == "/Image":
                    yield page, xobject
                else:
                    yield from walk(xobject, xobject.get("/Resources", resources), page)

    for number, page in enumerate(pdf.pages, 1):
        yield from walk(page, page.get_resources(), number)


@pytest.mark.parametrize("name", PRINTERS)
def test_pictures_print_in_gray_without_transparency(printed, name: str) -> None:  # type: ignore[no-untyped-def]
    with pikepdf.open(printed[2][name]) as pdf:
        drawn = list(_drawn_images(pdf))
        assert len(drawn) == 5 and min(page for page, _ in drawn) >= 3
        for _, image in drawn:
            space = image.ColorSpace
            gray = space == "/DeviceGray" or (
                isinstance(space, pikepdf.Array) and space[0] == "/Indexed" and space[1] == "/DeviceGray"
            )
            assert gray and "/SMask" not in image and "/Mask" not in image, (image.Width, space)
        # No image anywhere in the file, drawn or not, is in colour or has a mask.
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        assert len(images) == 5 and all(o.ColorSpace == "/DeviceGray" and "/SMask" not in o for o in images)


@pytest.mark.parametrize("name", PRINTERS)
def test_every_printer_preflight_passes(printed, name: str) -> None:  # type: ignore[no-untyped-def]
    results = preflight(printed[2][name], PROFILES[name], 6, 9)
    assert [(r.check, r.detail) for r in results if not r.passed] == []
    assert {"no RGB colour", "no transparency"} <= {r.check for r in results}


def test_the_epub_keeps_the_colour_originals(printed) -> None:  # type: ignore[no-untyped-def]
    root = printed[0]
    with zipfile.ZipFile(printed[2]["epub"]) as archive:
        for name in ("photo.jpg", "mask.png", "diagram.svg", "wide.svg", "small.png"):
            assert archive.read(f"OEBPS/media/images/{name}") == (root / "images" / name).read_bytes()
    with Image.open(io.BytesIO((root / "images" / "mask.png").read_bytes())) as mask:
        assert mask.mode == "RGBA"  # the colour original, transparency and all


def test_the_sources_are_never_written(printed) -> None:  # type: ignore[no-untyped-def]
    root, before = printed[0], printed[1]
    assert snapshot(root) == before


def test_a_picture_under_300_ppi_is_a_build_warning_with_its_file_and_page(printed) -> None:  # type: ignore[no-untyped-def]
    book = printed[3]["kdp"]
    low = [d for d in book.diagnostics if d.code == "low-resolution"]
    assert [d.text for d in low] == ["images/small.png"]  # 240 px on 2.5 in: 96 ppi
    assert str(low[0].location).startswith("text/two.md:") or "two.md:" in str(low[0].location)
    assert "images/small.png prints at 96 ppi on page " in low[0].message
    assert f"at least {PRINT_PPI} ppi" in low[0].message
    assert "1 low-resolution" in build_report(printed[0], book)[-1]
    # book check pdf says the same: a warning (printers print it, blurred), on the same page.
    number = int(low[0].message.split("(page ")[1].split()[0])
    row = {r.check: r for r in preflight(printed[2]["kdp"], PROFILES["kdp"], 6, 9)}["image resolution"]
    assert row.passed and row.warned
    assert row.detail == f"page {number}: an image of 240×160 px at 96 ppi (at least {PRINT_PPI})"


def test_two_builds_print_the_same_bytes(printed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Built again, from a copy in another folder: the print names its pictures by their
    print-image: URLs, never by where the manuscript is, and converts them to the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    elsewhere = shutil.copytree(printed[0], tmp_path / "elsewhere")
    again = build(Project(elsewhere, STYLES, tmp_path / "again"), ("pdf",), profile="kdp")[1][0]
    assert again.read_bytes() == printed[2]["kdp"].read_bytes()


def test_the_gray_pictures_take_the_colour_ones_place(
    printed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The rasterised SVG lays out at the SVG's own size: a colour interior (pictures and SVG
    printed as they are) puts every character of the text at the same place."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setitem(PROFILES, "kdp", replace(PROFILES["kdp"], color_interior=True))
    colour = build(Project(printed[0], STYLES, tmp_path / "colour"), ("pdf",), profile="kdp")[1][0]
    assert _text_boxes(colour) == _text_boxes(printed[2]["kdp"])
    with pikepdf.open(colour) as pdf:  # and it is the colour book: the originals printed
        assert {str(image.ColorSpace) for _, image in _drawn_images(pdf)} == {"/DeviceRGB"}


def _text_boxes(path: Path) -> list[list[tuple[float, ...]]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    pages = []
    for page in document:
        text = page.get_textpage()
        pages.append([tuple(round(v, 2) for v in text.get_charbox(i)) for i in range(text.count_chars())])
    document.close()
    return pages


def _png(picture: Image.Image, **options: object) -> bytes:
    data = io.BytesIO()
    picture.save(data, format="PNG", **options)
    return data.getvalue()


def test_grayscale_flattens_on_white_and_keeps_the_pixels() -> None:
    clear = Image.new("RGBA", (4, 2), (255, 0, 0, 0))
    clear.putpixel((1, 0), (255, 0, 0, 255))  # opaque red
    clear.putpixel((2, 0), (0, 0, 0, 128))  # half-transparent black
    converted = grayscale(_png(clear))
    assert converted is not None and converted[1] == "image/png"
    with Image.open(io.BytesIO(converted[0])) as gray:
        assert gray.mode == "L" and gray.size == (4, 2) and not gray.info.get("icc_profile")
        assert gray.getpixel((0, 0)) == 255  # transparent: the white paper
        assert gray.getpixel((1, 0)) == 76  # red's luma (ITU-R 601)
        assert 126 <= gray.getpixel((2, 0)) <= 128
    assert grayscale(_png(clear)) == converted  # the same bytes every time


def test_grayscale_turns_a_photograph_upright_and_keeps_gray_ones_as_they_are() -> None:
    photo = Image.new("RGB", (30, 10), (0, 128, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # to be turned 90° clockwise to be seen upright
    data = io.BytesIO()
    photo.save(data, format="JPEG", exif=exif.tobytes(), icc_profile=b"")
    converted = grayscale(data.getvalue())
    assert converted is not None and converted[1] == "image/jpeg"
    with Image.open(io.BytesIO(converted[0])) as gray:
        assert gray.mode == "L" and gray.size == (10, 30) and gray.getexif().get(0x0112) is None
    assert grayscale(_png(Image.new("L", (5, 5), 40))) is None  # already print-safe
    assert grayscale(_png(Image.new("P", (5, 5)))) is not None  # a palette is RGB in a PDF
    assert grayscale(_png(Image.new("L", (5, 5), 40), transparency=40)) is not None


def _image(pdf: pikepdf.Pdf, pixel: bytes, space: str, **extra: object) -> pikepdf.Stream:
    """A 2 × 2 image of one colour."""
    return pdf.make_stream(
        pixel * 4,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=2,
        Height=2,
        ColorSpace=pikepdf.Name(space),
        BitsPerComponent=8,
        **extra,
    )


def _crafted(path: Path) -> None:
    """Four pages sharing one resource dictionary, as WeasyPrint writes them: page 2 paints
    gray through a graphics state without a soft mask (/SMask /None: opaque), page 3 draws a
    form that draws an RGB image, page 4 an image with a soft mask then at half opacity."""
    pdf = pikepdf.new()
    masked = _image(pdf, b"\x40", "/DeviceGray", SMask=_image(pdf, b"\x80", "/DeviceGray"))
    form = pdf.make_stream(
        b"q 10 0 0 10 0 0 cm /Im1 Do Q",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 10, 10],
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im1=_image(pdf, b"\xff\x00\x00", "/DeviceRGB"))
        ),
    )
    states = pikepdf.Dictionary(
        Opaque=pikepdf.Dictionary(SMask=pikepdf.Name("/None"), ca=1), Half=pikepdf.Dictionary(ca=0.5)
    )
    shared = pdf.make_indirect(
        pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm1=form, Im2=masked), ExtGState=states)
    )
    pages = (b"", b"/Opaque gs 0 g 0 0 10 10 re f", b"/Fm1 Do", b"q 10 0 0 10 0 0 cm /Im2 Do Q /Half gs")
    for content in pages:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 432, 648],
            Resources=shared,
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def test_the_preflight_names_the_page_that_draws_the_object(tmp_path: Path) -> None:
    crafted = tmp_path / "crafted.pdf"
    _crafted(crafted)
    for name in PRINTERS:
        results = {r.check: r for r in preflight(crafted, PROFILES[name], 6, 9)}
        colour, transparency = results["no RGB colour"], results["no transparency"]
        assert not colour.passed and colour.detail == "page 3: an image of 2×2 px in DeviceRGB"
        assert not transparency.passed
        assert transparency.detail == (
            "page 4: an image of 2×2 px with a soft mask (transparency); 1 more on page 4"
        )
        resolution = results["image resolution"]  # 2 px on 10 pt: 14 ppi, the form's on page 3
        assert resolution.warned and resolution.detail.startswith("page 3: an image of 2×2 px at 14 ppi")


def test_a_picture_that_cannot_be_read_for_print_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = tmp_path / "m"
    (root / "text").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "images" / "bad.webp").write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 garbage")
    (root / "book.toml").write_text(book_toml(["text/one.md"]), "utf-8")
    (root / "text" / "one.md").write_text("# One\n\nText.\n\n![A bad one](../images/bad.webp)\n", "utf-8")
    with pytest.raises(BookError) as raised:
        build(Project(root, STYLES, tmp_path / "out"), ("pdf",))
    # Refused when it is read (sources/pictures.py decodes every picture), before any layout.
    assert "one.md:5:1: image '../images/bad.webp' is a damaged WEBP file" in raised.value.format_message()
    assert not (tmp_path / "out").exists()
