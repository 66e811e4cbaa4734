"""The largest picture the book accepts, printed within the issue's memory bound (issue 17: a
build of any input at most 200 MB above a normal build).

A 25 Mpx RGBA picture is 100 MB decoded; its gray print conversion took 580 MB through four
whole-picture copies. It converts now a strip of rows at a time (``layout/images.py``): the
memory is measured in a process of its own (its peak resident size, not a clock), and the
strips give the pixels the whole picture gave.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from build_tools.layout import images
from build_tools.layout.images import grayscale
from build_tools.sources.pictures import MAX_PIXELS

BOUND_MB = 200
# The peak is the process's VmHWM (ru_maxrss would start at the parent's, kept across exec).
MEASURE = """
import re, sys
from pathlib import Path
from build_tools.layout.images import grayscale
def peak():
    return int(re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text())[1])
data = Path(sys.argv[1]).read_bytes()
before = peak()
converted = grayscale(data)
assert converted is not None and converted[1] == "image/png"
print((peak() - before) // 1024)
"""


def rgba(size: tuple[int, int]) -> Image.Image:
    """A picture with every channel varying (its transparency too)."""
    ramp = Image.linear_gradient("L").resize(size)
    ring = Image.radial_gradient("L").resize(size)
    return Image.merge("RGBA", [ramp, ring, ramp.transpose(Image.Transpose.FLIP_LEFT_RIGHT), ring.rotate(45)])


def encoded(picture: Image.Image, kind: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    picture.save(out, format=kind, **options)
    return out.getvalue()


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="the peak is read from Linux's /proc")
def test_the_largest_transparent_picture_converts_within_the_bound(tmp_path: Path) -> None:
    side = int(MAX_PIXELS**0.5)  # 5000 × 5000, the most pixels a picture may have
    path = tmp_path / "large.png"
    path.write_bytes(encoded(rgba((side, side)), compress_level=1))
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, check=True
    )
    grown = int(run.stdout)
    decoded = side * side * 4 // 2**20  # the decoded picture itself, which any conversion holds
    assert decoded <= grown < BOUND_MB, f"{grown} MB above the process before the conversion"


def _whole(data: bytes) -> bytes:
    """What the conversion gave when it copied the whole picture at each step."""
    with Image.open(io.BytesIO(data)) as opened:
        upright = ImageOps.exif_transpose(opened)
        paper = Image.new("RGBA", upright.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, upright.convert("RGBA")).convert("L").tobytes()


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
@pytest.mark.parametrize("mode", ["RGBA", "LA", "P"])
def test_strips_give_the_pixels_of_the_whole_picture(
    monkeypatch: pytest.MonkeyPatch, mode: str, orientation: int
) -> None:
    monkeypatch.setattr(images, "_STRIP_PIXELS", 997)  # strips of 9 rows, the last one shorter
    exif = Image.Exif()
    exif[0x0112] = orientation
    picture = rgba((111, 70)).convert(mode)
    options = {"transparency": 7} if mode == "P" else {}
    data = encoded(picture, exif=exif.tobytes(), **options)
    converted = grayscale(data)
    assert converted is not None
    with Image.open(io.BytesIO(converted[0])) as gray:
        assert gray.mode == "L" and not gray.getexif() and "icc_profile" not in gray.info
        assert gray.tobytes() == _whole(data)
        assert gray.size == ((70, 111) if orientation in (6, 8) else (111, 70))
