"""First launch: what the app is and is not, how to press safely, and the safety profile."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QShowEvent, QTextDocumentFragment
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from acupressure_desktop import APP_TITLE
from acupressure_desktop.domain.safety import FLAGGED_MEANS, SafetyProfile
from acupressure_desktop.ui.accessibility import expose_structure
from acupressure_desktop.ui.settings_dialog import SafetyProfileEditor

# Bump when the notice changes in substance: people then see it once more.
NOTICE_VERSION = 1

NOTICE = (
    "<p><b>What this app is.</b> A guide to self-acupressure and self-massage for everyday "
    "stress, tension and rest: where traditional points are, how to press them gently, and what "
    "the research does and does not show.</p>"
    "<p><b>What it is not.</b> It is not medical advice, diagnosis or treatment, and it does not "
    "replace a health professional. See one for pain that is severe, sudden, persistent or "
    "unexplained, for any new or worrying symptom, and during pregnancy.</p>"
    "<p><b>How to press safely.</b> Press firmly but never painfully: a dull, pleasant ache is "
    "fine, sharp pain is not. Stop at once if it hurts and use the <i>Stop, this hurts</i> button. "
    "Never press on broken, bruised or inflamed skin, varicose veins, new scars, the eyeball or the "
    "front of the neck. Some soreness the next day can follow pressure that was too firm.</p>"
)


class WelcomeDialog(QDialog):
    """Accept (Enter) stores the profile; Escape closes without accepting."""

    def __init__(self, profile: SafetyProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Welcome to {APP_TITLE}")
        self.setModal(True)
        self.setMinimumWidth(520)
        heading = QLabel(f"Welcome to {APP_TITLE}")
        heading.setObjectName("title")
        notice = QLabel(NOTICE)
        notice.setWordWrap(True)
        notice.setTextFormat(Qt.TextFormat.RichText)
        notice.setAccessibleName("What the app is and how to press safely")
        expose_structure(notice)  # issue 19: its three paragraphs are children, not hidden behind the name
        # The first focus, readable as it is: a screen reader without structure support reads the
        # description (the notice's words), and Tab goes on to the profile and the buttons.
        notice.setAccessibleDescription(QTextDocumentFragment.fromHtml(NOTICE).toPlainText())
        notice.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._notice = notice

        self.safety = SafetyProfileEditor(
            profile, "Your safety profile (tick what applies; you can change it later in Settings)"
        )
        means = QLabel(FLAGGED_MEANS)
        means.setWordWrap(True)
        means.setObjectName("muted")
        privacy = QLabel("Your answers stay on this computer. Nothing is sent anywhere.")
        privacy.setObjectName("muted")

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(heading)
        body_layout.addWidget(notice)
        body_layout.addWidget(self.safety)
        body_layout.addWidget(means)
        body_layout.addWidget(privacy)
        body_layout.addStretch(1)
        self._body = body
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no unnamed stop: the wheel and the notice scroll it
        scroll.setAccessibleName("Welcome notice")

        buttons = QDialogButtonBox()
        accept = buttons.addButton("I understand, continue", QDialogButtonBox.ButtonRole.AcceptRole)
        accept.setProperty("primary", True)
        accept.setDefault(True)
        accept.setAccessibleName("Accept the notice and continue")
        quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        quit_button.setAccessibleName("Quit without accepting")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        """As tall as its text (no empty band), no taller than the screen, centred on the window."""
        super().showEvent(event)
        place_on_parent(self, 640, self._body.sizeHint().height() + 90)
        self._notice.setFocus(Qt.FocusReason.OtherFocusReason)

    def profile(self) -> SafetyProfile:
        return self.safety.profile()


def place_on_parent(dialog: QDialog, width: int, height: int) -> None:
    """Size ``dialog`` to ``width`` x ``height`` within the available screen, centred on its parent
    window (or the screen), never above the screen's top."""
    screen = dialog.screen().availableGeometry()
    width, height = min(width, screen.width() - 40), min(height, screen.height() - 60)
    parent = dialog.parentWidget()
    anchor = parent.window().frameGeometry() if parent is not None else screen
    box = QRect(0, 0, width, height)
    box.moveCenter(anchor.center())
    box.moveLeft(max(screen.left(), min(box.left(), screen.right() - width)))
    box.moveTop(max(screen.top() + 30, min(box.top(), screen.bottom() - height)))
    dialog.setGeometry(box)
