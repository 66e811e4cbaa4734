"""What each page of a PDF paints in colour or with transparency, found where it is drawn.

A page's content stream is read with the resources it uses, and so is every Form XObject it
draws (``Do``), with the form's own resources, to any depth: WeasyPrint gives every page one
shared resource dictionary, so the resources of a page say nothing of what that page shows
(an image of page 65 is in page 1's resources). What is found is named by the page that draws
it: an image, an inline image, a shading or a pattern in an RGB-like colour space (DeviceRGB,
CalRGB, Lab, ICCBased with three components, Indexed on one of them), an RGB colour operator;
transparency: a soft mask on an image, a graphics state with a soft mask, an opacity under 1
or a blend mode other than Normal, a transparency group on a form or a page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pikepdf

RGB = "colour"
TRANSPARENCY = "transparency"
_DEVICE_RGB = frozenset({"/DeviceRGB", "/RGB", "/CalRGB", "/Lab"})
_NORMAL_BLEND = frozenset({"/Normal", "/Compatible"})
_PICTURE = ("an image ", "an inline image ")
MAX_DEPTH = 32  # forms drawn inside forms: deeper than any real file, short of a loop


@dataclass(frozen=True)
class Painted:
    """One thing a page paints that a black-and-white, flattened interior may not hold."""

    page: int  # from 1
    kind: str  # RGB or TRANSPARENCY
    what: str

    @property
    def picture(self) -> bool:
        """An image (of the book's pictures), not a colour or a state of the drawing."""
        return self.what.startswith(_PICTURE)


def painted(pdf: pikepdf.Pdf) -> list[Painted]:
    """Everything in colour or transparent, page by page, in the order it is drawn."""
    found: list[Painted] = []
    forms: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for number, page in enumerate(pdf.pages, 1):
        if _transparency_group(page.obj):
            found.append(Painted(number, TRANSPARENCY, "the page is a transparency group"))
        resources = page.get_resources()
        items = _stream(pikepdf.parse_content_stream(page), resources, forms, 0)
        found.extend(Painted(number, kind, what) for kind, what in dict.fromkeys(items))
    return found


def _stream(
    instructions: Sequence[object],
    resources: pikepdf.Object | None,
    forms: dict[tuple[int, int], list[tuple[str, str]]],
    depth: int,
) -> list[tuple[str, str]]:
    """What one content stream paints, through the forms it draws (``forms``: the findings of
    each form already read, by object)."""
    found: list[tuple[str, str]] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            found.extend(_inline(instruction.iimage, resources))
            continue
        assert isinstance(instruction, pikepdf.ContentStreamInstruction)
        operator, operands = str(instruction.operator), instruction.operands
        if operator in ("rg", "RG"):
            found.append((RGB, f"RGB colour ({operator} operator)"))
        elif operator in ("cs", "CS") and _is_rgb(operands[0], resources):
            found.append((RGB, f"colour space {_name(operands[0], resources)}"))
        elif operator == "gs":
            found.extend(_graphics_state(_resource(resources, "/ExtGState", operands[0])))
        elif operator == "sh":
            found.extend(_shading(_resource(resources, "/Shading", operands[0]), resources))
        elif operator in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            found.extend(_pattern(_resource(resources, "/Pattern", operands[-1]), forms, depth))
        elif operator == "Do":
            found.extend(_xobject(_resource(resources, "/XObject", operands[0]), resources, forms, depth))
    return found


def _xobject(
    xobject: pikepdf.Object | None,
    resources: pikepdf.Object | None,
    forms: dict[tuple[int, int], list[tuple[str, str]]],
    depth: int,
) -> list[tuple[str, str]]:
    if xobject is None:
        return []
    if xobject.get("/Subtype") == "/Image":
        return _image(xobject, resources)
    if xobject.get("/Subtype") != "/Form" or depth >= MAX_DEPTH:
        return []
    key = xobject.objgen
    if key not in forms or key == (0, 0):
        forms[key] = []  # a form that draws itself finds nothing more the second time
        own = xobject.get("/Resources") or resources
        found = [(TRANSPARENCY, "a transparency group (form)")] if _transparency_group(xobject) else []
        forms[key] = found + _stream(pikepdf.parse_content_stream(xobject), own, forms, depth + 1)
    return forms[key]


def _image(image: pikepdf.Object, resources: pikepdf.Object | None) -> list[tuple[str, str]]:
    size = f"{int(image.get('/Width', 0))}×{int(image.get('/Height', 0))} px"
    found = []
    space = image.get("/ColorSpace")
    if space is not None and not image.get("/ImageMask", False) and _is_rgb(space, resources):
        found.append((RGB, f"an image of {size} in {_name(space, resources)}"))
    if image.get("/SMask") is not None or int(image.get("/SMaskInData", 0)):
        found.append((TRANSPARENCY, f"an image of {size} with a soft mask (transparency)"))
    return found


def _inline(image: pikepdf.PdfInlineImage, resources: pikepdf.Object | None) -> list[tuple[str, str]]:
    space = image.obj.get("/ColorSpace", image.obj.get("/CS"))
    if space is not None and _is_rgb(space, resources):
        return [(RGB, f"an inline image of {image.width}×{image.height} px in {_name(space, resources)}")]
    return []


def _graphics_state(state: pikepdf.Object | None) -> Iterator[tuple[str, str]]:
    if state is None:
        return
    mask = state.get("/SMask")
    if mask is not None and str(mask) != "/None":
        yield TRANSPARENCY, "a soft mask (graphics state)"
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            yield TRANSPARENCY, f"opacity {float(state[key]):g} (graphics state {key[1:]})"
    blend = state.get("/BM")
    names = list(blend) if isinstance(blend, pikepdf.Array) else [blend] if blend is not None else []
    if names and not any(str(n) in _NORMAL_BLEND for n in names):
        yield TRANSPARENCY, f"blend mode {names[0]}"


def _shading(shading: pikepdf.Object | None, resources: pikepdf.Object | None) -> list[tuple[str, str]]:
    space = shading.get("/ColorSpace") if shading is not None else None
    if space is not None and _is_rgb(space, resources):
        return [(RGB, f"a shading in {_name(space, resources)}")]
    return []


def _pattern(
    pattern: pikepdf.Object | None, forms: dict[tuple[int, int], list[tuple[str, str]]], depth: int
) -> list[tuple[str, str]]:
    if pattern is None:
        return []
    own = pattern.get("/Resources")
    if int(pattern.get("/PatternType", 0)) == 2:
        return _shading(pattern.get("/Shading"), own)
    if depth >= MAX_DEPTH or not isinstance(pattern, pikepdf.Stream):
        return []
    return _stream(pikepdf.parse_content_stream(pattern), own, forms, depth + 1)


def _resource(resources: pikepdf.Object | None, kind: str, name: object) -> pikepdf.Object | None:
    table = resources.get(kind) if resources is not None else None
    if table is None or not isinstance(name, pikepdf.Name):
        return None
    found: pikepdf.Object | None = table.get(name)
    return found


def _space(space: object, resources: pikepdf.Object | None) -> object:
    """A colour space's definition: a named one looked up in the resources."""
    if isinstance(space, pikepdf.Name) and str(space) not in _DEVICE_RGB | {"/DeviceGray", "/DeviceCMYK"}:
        return _resource(resources, "/ColorSpace", space) or space
    return space


def _is_rgb(space: object, resources: pikepdf.Object | None, depth: int = 0) -> bool:
    space = _space(space, resources)
    if isinstance(space, pikepdf.Name):
        return str(space) in _DEVICE_RGB
    if not isinstance(space, pikepdf.Array) or not len(space) or depth > 4:
        return False
    family = str(space[0])
    if family in _DEVICE_RGB:
        return True
    if family == "/ICCBased":
        return int(space[1].get("/N", 0)) == 3
    if family in ("/Indexed", "/I"):
        return _is_rgb(space[1], resources, depth + 1)
    return False


def _name(space: object, resources: pikepdf.Object | None) -> str:
    space = _space(space, resources)
    if isinstance(space, pikepdf.Array) and len(space):
        inner = f" on {_name(space[1], resources)}" if str(space[0]) in ("/Indexed", "/I") else ""
        return str(space[0])[1:] + inner
    return str(space)[1:]


def _transparency_group(obj: pikepdf.Object) -> bool:
    group = obj.get("/Group")
    return group is not None and group.get("/S") == "/Transparency"


@dataclass(frozen=True)
class Placed:
    """An image as a page prints it: its pixels, and its resolution on the page (the lower of
    the two directions, in pixels per inch)."""

    page: int  # from 1
    width: int
    height: int
    ppi: float


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


def placed(pdf: pikepdf.Pdf) -> list[Placed]:
    """Every image every page draws, through its forms, with the size it is drawn at (the
    current transformation matrix maps the image's unit square on the page)."""
    found: list[Placed] = []
    for number, page in enumerate(pdf.pages, 1):
        found.extend(_placed(pikepdf.parse_content_stream(page), page.get_resources(), _IDENTITY, number, 0))
    return found


def _placed(
    instructions: Sequence[object], resources: pikepdf.Object | None, ctm: Matrix, page: int, depth: int
) -> Iterator[Placed]:
    saved: list[Matrix] = []
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            yield _at(instruction.iimage.width, instruction.iimage.height, ctm, page)
            continue
        assert isinstance(instruction, pikepdf.ContentStreamInstruction)
        operator, operands = str(instruction.operator), instruction.operands
        if operator == "q":
            saved.append(ctm)
        elif operator == "Q" and saved:
            ctm = saved.pop()
        elif operator == "cm":
            ctm = _times(_matrix(operands), ctm)
        elif operator == "Do":
            xobject = _resource(resources, "/XObject", operands[0])
            if xobject is not None and xobject.get("/Subtype") == "/Image":
                yield _at(int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0)), ctm, page)
            elif xobject is not None and xobject.get("/Subtype") == "/Form" and depth < MAX_DEPTH:
                inner = _times(_matrix(xobject.get("/Matrix", _IDENTITY)), ctm)
                own = xobject.get("/Resources") or resources
                yield from _placed(pikepdf.parse_content_stream(xobject), own, inner, page, depth + 1)


def _at(width: int, height: int, ctm: Matrix, page: int) -> Placed:
    a, b, c, d = ctm[:4]
    inches = (max(abs(complex(a, b)), 1e-9) / 72, max(abs(complex(c, d)), 1e-9) / 72)
    return Placed(page, width, height, min(width / inches[0], height / inches[1]))


def _matrix(values: object) -> Matrix:
    numbers = [float(v) for v in values]  # type: ignore[attr-defined]
    return (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])


def _times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n``: the matrix product m × n of PDF's row-vector convention."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )
