"""The History page and the check-in dialogs."""

from acupressure_desktop.ui.history.checkin import CheckIn, CheckInDialog, EditSessionDialog, RatingSelector
from acupressure_desktop.ui.history.view import HistoryView

__all__ = ["CheckIn", "CheckInDialog", "EditSessionDialog", "HistoryView", "RatingSelector"]
