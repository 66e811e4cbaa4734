"""A one-page HTML document as PNG bytes: WeasyPrint lays it out as PDF, pdfium rasterises it,
Pillow writes the PNG (no time or text chunk: the same document gives the same bytes).

``book build epub`` never imports WeasyPrint (it costs a second and tens of MB): there the
page is rendered by this module run as a child process (``python -m
build_tools.writers.cover.raster``, the HTML on stdin, the PNG on stdout), the same code as in
the build's own process when WeasyPrint is loaded already (``book build all``). The child does
not start through the console script (``entry.py``): it opens WeasyPrint's libraries by their
sonames itself (``libraries.install``), else each ``book build epub`` of a book without a cover
picture ran ``gcc`` and ``ld`` 32 times (issue 18 item 4).
"""

from __future__ import annotations

import io
import subprocess
import sys

from build_tools.errors import BookError


def png(html: str, width_px: int) -> bytes:
    """The page of ``html`` as a PNG ``width_px`` pixels wide (its height in proportion)."""
    if "weasyprint" not in sys.modules:
        return _in_child(html, width_px)
    return render(html, width_px)


def render(html: str, width_px: int) -> bytes:
    import pypdfium2 as pdfium
    from weasyprint import HTML

    data = HTML(string=html).write_pdf()
    document = pdfium.PdfDocument(data)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        bitmap = page.render(scale=scale, draw_annots=False)
        # pdfium rounds the bitmap's size up: 691.2 pt × (1600 / 432) is 2560.0000001, 2561 px.
        size = (width_px, round(page.get_height() * scale))
        image = bitmap.to_pil().convert("RGB").crop((0, 0, *size))
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()


def _in_child(html: str, width_px: int) -> bytes:
    command = [sys.executable, "-m", "build_tools.writers.cover.raster", str(width_px)]
    done = subprocess.run(command, input=html.encode(), capture_output=True, check=False)
    if done.returncode != 0:
        raise BookError(f"the generated cover could not be rendered: {done.stderr.decode(errors='replace')}")
    return done.stdout


if __name__ == "__main__":
    from build_tools.libraries import install

    install()  # before WeasyPrint's import, as the console script does: no gcc (libraries.py)
    sys.stdout.buffer.write(render(sys.stdin.buffer.read().decode(), int(sys.argv[1])))
