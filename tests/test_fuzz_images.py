"""Property test: any picture file is verified or refused at its line, never a crash or a loss.

Hypothesis mutates a good PNG, JPEG, WebP and GIF (bit flips, truncation, bytes of the header
overwritten, a PNG's declared size set to anything with its checksum made right) and writes
SVGs out of hostile pieces (nested ``<use>``, entities, scripts in any namespace, event
attributes, links and CSS URLs). Each goes through the image check the parser runs
(``check_image``): it is accepted, and then the print conversion reads it whole (a raster
made gray, an SVG rasterised by WeasyPrint) without an error or a warning, or it is refused
with a ManuscriptError at the Markdown line given: never another exception. The examples are
derandomized in ``make test`` (conftest's ``examples``: 40 each); ``make fuzz`` runs more,
new ones each time.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from build_tools.errors import Location, ManuscriptError
from build_tools.layout.images import grayscale, rasterise_svg
from build_tools.layout.weasy import _ProjectFetcher
from build_tools.parse.mdext.images import check_image

try:  # the shared profiles (tests/conftest.py): "short" in make test, "fuzz" in make fuzz
    from conftest import examples
except ImportError:  # a tree without them: a short run, the same examples every time

    def examples(short: int) -> settings:
        return settings(max_examples=short, derandomize=True, deadline=None, database=None)


FUZZ = settings(
    examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _seed(kind: str) -> bytes:
    picture = Image.new("RGBA" if kind in ("PNG", "WEBP") else "RGB", (12, 9), (200, 40, 10, 128))
    out = io.BytesIO()
    picture.convert("P" if kind == "GIF" else picture.mode).save(out, kind)
    return out.getvalue()


SEEDS = {
    name: _seed(kind)
    for name, kind in (("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.webp", "WEBP"), ("a.gif", "GIF"))
}


def _declared(name: str, data: bytes, width: int, height: int) -> bytes:
    """The picture with its header declaring ``width`` × ``height``: a PNG's IHDR (its checksum
    made right), a JPEG's SOF0; the others as they are."""
    if name == "a.png":
        ihdr = struct.pack(">II", width, height) + data[24:29]
        return data[:16] + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + data[33:]
    sof = data.find(b"\xff\xc0")
    if name == "a.jpg" and sof > 0:
        return data[: sof + 5] + struct.pack(">HH", height % 65536, width % 65536) + data[sof + 9 :]
    return data


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    how = draw(st.sampled_from(["flip", "truncate", "header", "size"]))
    if how == "flip":
        for position in draw(st.lists(st.integers(0, len(data) * 8 - 1), min_size=1, max_size=8)):
            data[position // 8] ^= 1 << (position % 8)
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif how == "header":
        start = draw(st.integers(0, 40))
        patch = draw(st.binary(min_size=1, max_size=8))
        data[start : start + len(patch)] = patch
    else:  # the size the header declares: anything, up to 2^31 - 1 (PNG) or 65,535 (JPEG)
        sizes = st.integers(0, 2**31 - 1) | st.integers(0, 20000)
        data = bytearray(_declared(name, bytes(data), draw(sizes), draw(sizes)))
    event(f"{name} {how}")
    return name, bytes(data)


SVG_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="30"'
)
PIECES = [
    '<rect width="10" height="10"/>',
    '<circle r="4" cx="5" cy="5" fill="url(#g)"/>',
    '<linearGradient id="g"><stop offset="0"/></linearGradient>',
    "<script>alert(1)</script>",
    '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    '<x:script xmlns:x="urn:any">alert(1)</x:script>',
    '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
    '<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>',
    '<image href="http://192.0.2.1/x.png"/>',
    '<image xlink:href="file:///etc/passwd"/>',
    "<style>@import url(http://192.0.2.1/x.css);</style>",
    "<style>rect { fill: url('http://192.0.2.1/p#a') }</style>",
    '<rect width="1" height="1" style="fill: url(#g)"/>',
    '<rect width="1" height="1" onclick="alert(1)"/>',
    '<set attributeName="href" to="javascript:alert(1)"/>',
    '<text x="1" y="9">&ent;</text>',
    '<text x="1" y="9">Hunan</text>',
    '<?xml-stylesheet href="http://192.0.2.1/x.css"?>',
]


@st.composite
def svgs(draw: st.DrawFn) -> tuple[str, bytes]:
    fan, depth = draw(st.integers(1, 12)), draw(st.integers(0, 12))
    chain = '<g id="u0"><rect width="1" height="1"/></g>' + "".join(
        f'<g id="u{i}">' + f'<use xlink:href="#u{i - 1}"/>' * fan + "</g>" for i in range(1, depth + 1)
    )
    loop = draw(st.booleans()) and depth > 0
    body = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=5)))
    top = f'<use xlink:href="#u{0 if loop else depth}"/>'
    inner = f'<g id="u0x">{top}</g>' if loop else top
    doctype = draw(
        st.sampled_from(
            [
                "",
                '<!DOCTYPE svg [<!ENTITY ent "x">]>',
                '<!DOCTYPE svg [<!ENTITY ent SYSTEM "file:///etc/passwd">]>',
            ]
        )
    )
    text = f"{doctype}{SVG_OPEN}><defs>{chain}</defs>{body}{inner}</svg>"
    if loop:
        text = text.replace('<g id="u0">', '<g id="u0"><use xlink:href="#u0x"/>', 1)
    data = text.encode()
    if draw(st.booleans()):  # and a few bytes spoilt
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + draw(st.binary(max_size=3)) + data[position + 1 :]
    event(f"svg fan {fan} depth {depth}")
    return "a.svg", data


def _checked(tmp_path: Path, name: str, data: bytes) -> str:
    """The property, for one file: accepted and then printed whole, or refused at its line."""
    text = tmp_path / "text"
    (text / "images").mkdir(parents=True, exist_ok=True)
    (text / "images" / name).write_bytes(data)
    where = Location(text / "one.md", 7, 3)
    try:
        image = check_image(f"images/{name}", "A picture", text / "one.md", tmp_path, where)
    except ManuscriptError as error:
        assert error.location == where and error.message.startswith(f"image 'images/{name}'")
        return "refused"
    if image.media_type == "image/svg+xml":
        png, resolution = rasterise_svg(image.path, _ProjectFetcher((tmp_path.resolve(),)), 4.5)
        assert png.startswith(b"\x89PNG") and resolution > 0
    else:
        converted = grayscale(image.path.read_bytes())  # what the gray interior prints
        assert converted is None or converted[0]
    return "accepted"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-images")


@FUZZ
@given(mutants())
def test_a_mutated_picture_is_verified_or_refused_at_its_line(
    folder: Path, mutant: tuple[str, bytes]
) -> None:
    _checked(folder, *mutant)


@FUZZ
@given(svgs())
def test_a_hostile_svg_is_verified_or_refused_at_its_line(folder: Path, mutant: tuple[str, bytes]) -> None:
    event(_checked(folder, *mutant))


def test_the_seeds_are_accepted(folder: Path) -> None:
    for name, data in SEEDS.items():
        assert _checked(folder, name, data) == "accepted"
    assert _checked(folder, "a.png", _declared("a.png", SEEDS["a.png"], 30000, 30000)) == "refused"
    assert _checked(folder, "a.jpg", _declared("a.jpg", SEEDS["a.jpg"], 0, 9)) == "refused"
