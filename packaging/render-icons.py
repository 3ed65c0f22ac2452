#!/usr/bin/env python3
"""Render the app icon SVG to every PNG size, plus the Windows .ico and macOS .icns.

    python3 packaging/render-icons.py           # rewrite the icon files
    python3 packaging/render-icons.py --check   # exit 1 if any file differs from a fresh render

Source: assets/icons/acupressure-desktop.svg. Outputs:
  assets/icons/hicolor/NxN/apps/<APP_ID>.png   (freedesktop icon theme layout, 16..512)
  packaging/windows/acupressure-desktop.ico    (PNG-compressed entries 16..256)
  packaging/macos/acupressure-desktop.icns     (PNG entries 16..1024)
Rendering uses QtSvg, like the app; any Qt warning while rendering is an error.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.acupressure_desktop.AcupressureDesktop"
SVG = ROOT / "assets" / "icons" / "acupressure-desktop.svg"
HICOLOR = ROOT / "assets" / "icons" / "hicolor"
ICO = ROOT / "packaging" / "windows" / "acupressure-desktop.ico"
ICNS = ROOT / "packaging" / "macos" / "acupressure-desktop.icns"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's PNG-capable icns element types and their pixel sizes (the @2x ones repeat sizes).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def png_path(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    # Straight (non-premultiplied) alpha is what PNG stores; convert explicitly so saving is lossless.
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG streams (understood by Windows Vista and later)."""
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        # Width and height are one byte each; 0 means 256.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def expected_files() -> dict[Path, bytes]:
    """Every output file and the bytes a fresh render gives it."""
    warnings: list[str] = []

    def on_message(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg:
            warnings.append(message)

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    previous = qInstallMessageHandler(on_message)
    try:
        renderer = QSvgRenderer(str(SVG))
        if not renderer.isValid():
            raise SystemExit(f"{SVG}: QtSvg cannot read it")
        sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
        pngs = {size: png_bytes(render(renderer, size)) for size in sizes}
    finally:
        qInstallMessageHandler(previous)
    del app
    if warnings:
        raise SystemExit(f"{SVG}: Qt warned while rendering: " + "; ".join(warnings))
    files = {png_path(size): pngs[size] for size in PNG_SIZES}
    files[ICO] = ico_bytes(pngs)
    files[ICNS] = icns_bytes(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report files that differ from a fresh render")
    args = parser.parse_args(argv)
    stale = []
    for path, data in expected_files().items():
        if path.is_file() and path.read_bytes() == data:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + ".tmp")
            temporary.write_bytes(data)
            os.replace(temporary, path)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
