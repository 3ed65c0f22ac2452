"""What a B-cun is: the fingers that measure it, drawn, and the proportional B-cun of each body region.

The region table is built from the views' scales in the catalog, so it shows exactly the
measures the guides use. The drawing uses the palette, so it follows the theme.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QSizePolicy, QTextBrowser, QVBoxLayout, QWidget

from acupressure_desktop.catalog.loader import Catalog

# (fingers drawn side by side, B-cun, label); widths of the person's own fingers.
FINGER_MEASURES: tuple[tuple[int, float, str], ...] = (
    (1, 1.0, "Thumb width = 1 B-cun"),
    (2, 1.5, "Index + middle finger = 1.5 B-cun"),
    (3, 2.0, "Three fingers = 2 B-cun"),
    (4, 3.0, "Four fingers = 3 B-cun"),
)
GROUP_TITLES = {"body": "Whole body", "head": "Head and neck", "arm": "Arm and hand", "torso": "Trunk", "leg": "Leg"}

INTRO = (
    "<p>A <b>B-cun</b> (proportional bone cun) is a unit of <i>your own</i> body: a stretch between two "
    "landmarks is divided into equal parts, so a guide fits a tall or a small person alike. The forearm "
    "from the elbow crease to the wrist crease is 12 B-cun on everyone, for example.</p>"
    "<p>Your fingers give a quick check of the same unit (finger cun): measure across the joints "
    "nearest the hand, fingers held together, as drawn above. Where fingers and landmarks disagree, "
    "trust the landmarks.</p>"
)


class FingerDrawing(QWidget):
    """The four finger measures, drawn: fingers side by side with the span they measure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(460, 190))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Drawing of the finger measures")
        self.setAccessibleDescription("; ".join(label for _, _, label in FINGER_MEASURES))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        skin, edge = QColor("#F2DCCB"), QColor("#8A6A5C")
        accent = palette.highlight().color()
        text = palette.windowText().color()
        column = self.width() / len(FINGER_MEASURES)
        finger_w = min(22.0, column / 5.2)
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 0.5))
        painter.setFont(font)
        for i, (count, _cun, label) in enumerate(FINGER_MEASURES):
            left = i * column + (column - count * finger_w * (1.0 if count > 1 else 1.25)) / 2
            top = 18.0
            width = finger_w * (1.25 if count == 1 else 1.0)  # the thumb is broader
            for k in range(count):
                length = 92.0 - abs(k - (count - 1) / 2) * 10 if count > 1 else 70.0
                rect = QRectF(left + k * width, top + (92.0 - length), width - 1.5, length)
                path = QPainterPath()
                path.addRoundedRect(rect, width / 2, width / 2)
                painter.fillPath(path, skin)
                painter.setPen(QPen(edge, 1.6))
                painter.drawPath(path)
                crease_y = top + 62.0
                painter.setPen(QPen(edge.lighter(130), 1.2))
                painter.drawLine(QPointF(rect.left() + 3, crease_y), QPointF(rect.right() - 3, crease_y))
            span_left, span_right = left, left + count * width - 1.5
            y = top + 62.0
            painter.setPen(QPen(accent, 2.5))
            painter.drawLine(QPointF(span_left, y), QPointF(span_right, y))
            for x in (span_left, span_right):
                painter.drawLine(QPointF(x, y - 7), QPointF(x, y + 7))
            painter.setPen(text)
            box = QRectF(i * column + 4, top + 100, column - 8, 60)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter) | int(Qt.TextFlag.TextWordWrap), label)
        painter.end()


def region_table_html(catalog: Catalog) -> str:
    """The proportional B-cun of each body region, from the scales the views draw."""
    rows: dict[str, list[tuple[str, str, float]]] = {}
    seen: set[tuple[str, str, float]] = set()
    for view in catalog.views.values():
        titles = {lm.id: lm.title for lm in view.landmarks}
        for scale in view.scales:
            key = (titles.get(scale.from_, scale.from_), titles.get(scale.to, scale.to), scale.cun)
            if key in seen:
                continue
            seen.add(key)
            rows.setdefault(view.group, []).append(key)
    parts = []
    for group, title in GROUP_TITLES.items():
        if group not in rows:
            continue
        cells = "".join(
            f"<tr><td>{escape(a)}</td><td>→</td><td>{escape(b)}</td><td align='right'><b>{cun:g} B-cun</b></td></tr>"
            for a, b, cun in rows[group]
        )
        parts.append(f"<h3>{escape(title)}</h3><table cellpadding='3'>{cells}</table>")
    return "".join(parts)


class FingerCunDialog(QDialog):
    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Measuring with your fingers: B-cun")
        self.setObjectName("finger-cun")
        self.drawing = FingerDrawing(self)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName("What a B-cun is, and the B-cun of each body region")
        self.text.setHtml(INTRO + "<h2>B-cun of each region</h2>" + region_table_html(catalog))
        self.text.setMinimumHeight(260)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.drawing)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(620, 640)
