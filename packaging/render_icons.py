"""Render the app icon, resources/icons/storyteller.svg, to the files the installers use:
PNGs for the Linux icon theme (hicolor), storyteller.ico (Windows) and storyteller.icns (macOS).

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Needs only PySide6 (QtSvg). ICO and ICNS hold PNG images, which both formats allow, so no image library
is needed. The results are committed; run this again after changing the SVG.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS chunk types holding PNG data, by pixel size
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
              (b"ic10", 1024))


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico(images: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        edge = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def icns(images: dict[bytes, bytes]) -> bytes:
    chunks = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images.items())
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage text/painting wants an application)
    renderer = QSvgRenderer(str(ICONS / "storyteller.svg"))
    if not renderer.isValid():
        print("render_icons: storyteller.svg is not a valid SVG", file=sys.stderr)
        return 1
    pngs = {size: render(renderer, size) for size in sorted({*PNG_SIZES, *ICO_SIZES, 1024})}
    for size in PNG_SIZES:
        (ICONS / f"storyteller-{size}.png").write_bytes(pngs[size])
    (ICONS / "storyteller.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (ICONS / "storyteller.icns").write_bytes(icns({kind: pngs[size] for kind, size in ICNS_TYPES}))
    print(f"render_icons: wrote {len(PNG_SIZES)} PNGs, storyteller.ico and storyteller.icns to {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
