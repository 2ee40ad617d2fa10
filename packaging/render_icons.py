"""Render the app icon (resources/icons/reviewer.svg) into the sizes desktops ask for.

Linux menus want PNGs at the hicolor sizes beside the SVG; Windows wants an .ico and macOS an
.icns. Qt's own SVG renderer (already a dependency) draws them, Pillow packs .ico and .icns,
so building the bundle needs no image tool on the machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "reviewer.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render_pngs(out: Path, svg: Path = SVG, sizes: tuple[int, ...] = SIZES) -> dict[int, Path]:
    """``out/<n>x<n>/reviewer.png`` for each size (the hicolor layout)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG")
    written = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = out / f"{size}x{size}" / "reviewer.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path)):
            raise OSError(f"{path}: could not write the PNG")
        written[size] = path
    return written


def write_icons(out: Path) -> dict[str, Path]:
    """PNG sizes, the SVG, reviewer.ico and reviewer.icns under ``out``."""
    from PIL import Image

    pngs = render_pngs(out)
    biggest = Image.open(pngs[max(pngs)])
    ico = out / "reviewer.ico"
    biggest.save(ico, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    icns = out / "reviewer.icns"
    biggest.save(icns)
    svg = out / "scalable" / "reviewer.svg"
    svg.parent.mkdir(parents=True, exist_ok=True)
    svg.write_bytes(SVG.read_bytes())
    return {"ico": ico, "icns": icns, "svg": svg, **{f"{s}": p for s, p in pngs.items()}}


if __name__ == "__main__":
    for name, path in write_icons(
        Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")
    ).items():
        print(name, path)
