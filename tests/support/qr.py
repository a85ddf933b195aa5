"""QR codes read back as a phone would: zxing-cpp on the PNG, and on the SVG drawn to pixels.

The SVG is drawn from its own path (no SVG library needed), so a code that looks fine
to segno but reads wrong cannot pass.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import segno
import zxingcpp
from PIL import Image, ImageDraw

SVG = "{http://www.w3.org/2000/svg}"
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?")


def decode_image(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp finds in an image."""
    found = zxingcpp.read_barcodes(image)
    assert all(code.format == zxingcpp.BarcodeFormat.QRCode for code in found), found
    return [code.text for code in found]


def svg_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The size in modules and the dark modules of a segno SVG, read from its drawing.

    segno draws each row's dark modules as horizontal strokes through the row's middle:
    ``M x y`` or ``m dx dy`` moves, ``h n`` strokes n modules to the right.
    """
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output, written by segno
    # A file declares the SVG namespace; an <svg> inline in HTML takes it from the page.
    namespace = SVG if root.tag.startswith("{") else ""
    assert root.tag == f"{namespace}svg", root.tag
    strokes = [p for p in root.iter(f"{namespace}path") if p.get("stroke")]
    assert len(strokes) == 1, "one path draws the dark modules"
    # The scale sits on the path, or on a group around it and the light background.
    transforms = [e.get("transform", "") for e in root.iter() if e.get("transform")]
    assert len(transforms) <= 1, transforms
    scale = 1.0
    if transforms:
        matched = re.fullmatch(r"scale\(([\d.]+)\)", transforms[0])
        assert matched, transforms[0]
        scale = float(matched.group(1))
    if root.get("viewBox"):
        size = int(root.get("viewBox", "").split()[2])
    else:
        assert root.get("width") == root.get("height")
        size = round(float(root.get("width", "0")) / scale)
    tokens = _PATH_TOKEN.findall(strokes[0].get("d", ""))
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    while tokens:
        command = tokens.pop(0)
        if command in "Mm":
            dx, dy = float(tokens.pop(0)), float(tokens.pop(0))
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
        elif command == "h":
            run = int(tokens.pop(0))
            dark.update((int(x) + i, int(y)) for i in range(run))
            x += run
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return size, dark


def decode_svg(svg: str) -> list[str]:
    """Draw an SVG QR code from its path, 8 px per module, and decode that."""
    size, dark = svg_modules(svg)
    image = Image.new("L", (size * 8, size * 8), 255)
    draw = ImageDraw.Draw(image)
    for x, y in dark:
        draw.rectangle((x * 8, y * 8, x * 8 + 7, y * 8 + 7), fill=0)
    return decode_image(image)


def check_png(path: Path, link: str) -> None:
    """The PNG decodes to ``link``, with a white quiet zone of 4 modules at 10 px each."""
    with Image.open(path) as opened:
        image = opened.convert("L")
    assert decode_image(image) == [link]
    width, height = image.size
    assert width == height
    quiet = 4 * 10
    for edge in (
        image.crop((0, 0, width, quiet)),
        image.crop((0, 0, quiet, height)),
        image.crop((0, height - quiet, width, height)),
        image.crop((width - quiet, 0, width, height)),
    ):
        assert edge.getextrema() == (255, 255), "the quiet zone is white"
    assert image.getpixel((quiet, quiet)) == 0, "the finder pattern starts right after it"


def check_svg_file(path: Path, link: str) -> None:
    """qr.svg is one <svg> drawing ``link``'s code (segno's matrix), quiet zone included."""
    text = path.read_text(encoding="utf-8")
    assert re.match(r'(<\?xml version="1.0" encoding="utf-8"\?>\n)?<svg ', text), text[:80]
    assert decode_svg(text) == [link]
    size, dark = svg_modules(text)
    expected = segno.make(link, error="m")
    assert size == expected.symbol_size(border=4)[0]
    matrix = {
        (x, y)
        for y, row in enumerate(expected.matrix_iter(border=4))
        for x, bit in enumerate(row)
        if bit
    }
    assert dark == matrix
