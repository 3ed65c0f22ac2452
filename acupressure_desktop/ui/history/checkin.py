"""Check-in dialogs: rate the routine's target before and after (0–10), add a note, or skip.

Skipping is one click (or Escape); Enter saves. The rating is a row of eleven
buttons: Tab enters the row at the chosen rating, the arrow keys and digits choose,
clicking the chosen rating again clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop.storage.history import Session

NOTE_MAX = 2000


class RatingSelector(QWidget):
    """0–10 as segmented buttons; ``value`` is None until one is chosen."""

    valueChanged = Signal(object)  # int | None

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value: int | None = None
        self._label = label
        self.buttons: list[QToolButton] = []
        row = QHBoxLayout()
        row.setSpacing(4)
        row.setContentsMargins(0, 0, 0, 0)
        for number in range(11):
            button = QToolButton()
            button.setText(str(number))
            button.setCheckable(True)
            button.setMinimumSize(34, 34)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(f"{label}: {number} of 10")
            button.clicked.connect(lambda _checked=False, n=number: self._clicked(n))
            button.installEventFilter(self)
            row.addWidget(button)
            self.buttons.append(button)
        scale = QHBoxLayout()
        scale.setContentsMargins(0, 0, 0, 0)
        low, high = QLabel("0 · none"), QLabel("10 · the most")
        for hint in (low, high):
            hint.setObjectName("muted")
        scale.addWidget(low)
        scale.addStretch(1)
        scale.addWidget(high)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addLayout(scale)
        self.setAccessibleName(label)
        # Visible segments in any theme: palette() roles, no colours of our own.
        self.setStyleSheet(
            "QToolButton { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }"
            "QToolButton:hover { border-color: palette(highlight); }"
            "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
            " border-color: palette(highlight); font-weight: bold; }"
            "QToolButton:focus { border: 2px solid palette(highlight); }"
        )
        self._update_focus_chain()

    @property
    def value(self) -> int | None:
        return self._value

    def set_value(self, value: int | None) -> None:
        if value is not None and not 0 <= value <= 10:
            raise ValueError(f"rating {value} is outside 0–10")
        changed = value != self._value
        self._value = value
        for number, button in enumerate(self.buttons):
            button.setChecked(number == value)
        self._update_focus_chain()
        if changed:
            self.valueChanged.emit(value)

    def _clicked(self, number: int) -> None:
        self.set_value(None if number == self._value else number)

    def _update_focus_chain(self) -> None:
        # One tab stop for the whole row (on the chosen button), as for radio buttons.
        stop = 0 if self._value is None else self._value
        for number, button in enumerate(self.buttons):
            policy = Qt.FocusPolicy.StrongFocus if number == stop else Qt.FocusPolicy.ClickFocus
            button.setFocusPolicy(policy)
        self.setFocusProxy(self.buttons[stop])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self.buttons:
            assert isinstance(event, QKeyEvent)
            current = self.buttons.index(watched)
            target = self._target(event, current)
            if target is not None:
                self.set_value(target)
                self.buttons[target].setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _target(event: QKeyEvent, current: int) -> int | None:
        key = event.key()
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            return max(0, current - 1)
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            return min(10, current + 1)
        if key == Qt.Key.Key_Home:
            return 0
        if key == Qt.Key.Key_End:
            return 10
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            return int(key - Qt.Key.Key_0)
        return None


@dataclass(frozen=True)
class CheckIn:
    rating: int | None
    note: str


class CheckInDialog(QDialog):
    """Asks for one rating (before or after a session) and, after it, a note. Skippable."""

    def __init__(
        self,
        moment: Literal["before", "after"],
        rating_label: str,
        routine_title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start" if moment == "before" else "After your session")
        self.setModal(True)
        heading = QLabel("Before you start" if moment == "before" else "How do you feel now?")
        heading.setObjectName("title")
        heading.setAccessibleName(heading.text())
        context = QLabel(f"{routine_title} · optional, for your history")
        context.setObjectName("muted")
        question = QLabel(f"<b>{rating_label}</b> right now, from 0 to 10:")
        self.rating = RatingSelector(rating_label)
        question.setBuddy(self.rating.buttons[0])

        self.note = QLineEdit()
        self.note.setPlaceholderText("A note for yourself (optional)")
        self.note.setAccessibleName("Note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setVisible(moment == "after")

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton("Skip", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setProperty("primary", True)
        self.save_button.setAccessibleName("Save the check-in")
        self.skip_button.setAccessibleName("Skip the check-in")
        self.skip_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(context)
        layout.addSpacing(4)
        layout.addWidget(question)
        layout.addWidget(self.rating)
        layout.addWidget(self.note)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.rating.setFocus()

    def result_checkin(self) -> CheckIn | None:
        """What was entered, or None if the person skipped."""
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        return CheckIn(self.rating.value, self.note.text().strip())


class EditSessionDialog(QDialog):
    """Edit the ratings and the note of a past session."""

    def __init__(self, session: Session, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit session")
        self.setModal(True)
        label = session.rating_label or "Rating"
        heading = QLabel(title)
        heading.setObjectName("subtitle")
        self.before = RatingSelector(f"{label} before")
        self.before.set_value(session.before_rating)
        self.after = RatingSelector(f"{label} after")
        self.after.set_value(session.after_rating)
        self.note = QLineEdit(session.note)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note for yourself")
        self.note.setMaxLength(NOTE_MAX)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        for caption, selector in ((f"{label} before", self.before), (f"{label} after", self.after)):
            header = QHBoxLayout()
            text = QLabel(caption)
            text.setBuddy(selector.buttons[0])
            clear = QPushButton("Clear")
            clear.setAccessibleName(f"Clear {caption.lower()}")
            clear.setAutoDefault(False)
            clear.clicked.connect(lambda _checked=False, s=selector: s.set_value(None))
            header.addWidget(text)
            header.addStretch(1)
            header.addWidget(clear)
            layout.addLayout(header)
            layout.addWidget(selector)
        layout.addWidget(QLabel("Note"))
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setDefault(True)
        save.setProperty("primary", True)
        save.setAccessibleName("Save changes")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel editing")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def values(self) -> tuple[int | None, int | None, str]:
        return self.before.value, self.after.value, self.note.text().strip()
