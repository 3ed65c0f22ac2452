"""Assistive technology for the body map: every hotspot and region is an accessible child.

The map is a QGraphicsView, whose items Qt does not expose: screen readers saw one element
with an empty child. ``BodyMapAccessible`` replaces the map's interface (through an accessible
factory) with one whose children are the map's own widgets (zoom buttons) followed by one
``HotspotAccessible`` per marker of the shown view and one ``RegionAccessible`` per region.
Each child has a name, a role, a state, a screen rectangle and a press action.

Accessible texts are computed when assistive technology asks, never while painting.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, QRect, QRectF, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleStateChangeEvent,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextListFormat,
    QWindow,
)
from PySide6.QtWidgets import QAbstractItemView, QAccessibleWidget, QLabel, QTextBrowser, QWidget

if TYPE_CHECKING:
    from acupressure_desktop.ui.bodymap import BodyMapView, HotspotItem

PRESS = QAccessibleActionInterface.pressAction()
_installed = False
TIER_WORDS = {  # a marker's tier in words (Point.tier values); self-care needs none
    "gentle": "gentle point: press lightly",
    "reference": "reference point: learn where it is, never pressed",
}


def spoken_states(marker: HotspotItem) -> list[str]:
    """The marker's state in words, as the description a screen reader reads after the name."""
    s = marker.state
    words = []
    if s.selected:
        words.append("selected, details shown")
    if s.current:
        words.append("current routine step")
    if s.flagged:
        words.append("caution: flagged by your safety profile")
    tier = TIER_WORDS.get(marker.tier)
    if tier:
        words.append(tier)
    if s.matched:
        words.append("matches the search")
    elif s.dimmed:
        words.append("does not match the search")
    if not marker.isVisible():
        words.append("hidden while its measuring guide plays")
    return words


class _ObjectlessAccessible(QAccessibleInterface, QAccessibleActionInterface):
    """An accessible with no QObject of its own (a map hotspot, a paragraph of a text): no
    children under a point, no relations, no editable text, no key bindings for its actions."""

    def __init__(self) -> None:
        QAccessibleInterface.__init__(self)
        QAccessibleActionInterface.__init__(self)

    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def relations(self, match: Any = None) -> list[Any]:
        return []

    def setText(self, t: QAccessible.Text, text: str) -> None:
        pass

    def keyBindingsForAction(self, name: str) -> list[str]:
        return []

    def _actions_cast(self, t: QAccessible.InterfaceType, has_actions: bool) -> Any:
        # A void pointer back to C++: the address of this object's action-interface part, else null
        # (a Python None would reach C++ as the address of None, which the bridge then calls into).
        if t == QAccessible.InterfaceType.ActionInterface and has_actions:
            return shiboken6.VoidPtr(shiboken6.getCppPointer(self)[1])
        return shiboken6.VoidPtr(0)


class _ChildAccessible(_ObjectlessAccessible):
    """Common ground of a hotspot and a region: an object-less child of the map's interface."""

    def __init__(self, view: BodyMapView) -> None:
        super().__init__()
        self._view = view

    # -- tree ------------------------------------------------------------------------------
    def isValid(self) -> bool:
        return shiboken6.isValid(self._view)

    def window(self) -> QWindow | None:  # type: ignore[override]
        if not self.isValid():
            return None
        handle = self._view.window().windowHandle()
        return handle

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        if not self.isValid():
            return None
        return QAccessible.queryAccessibleInterface(self._view)

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def interface_cast(self, t: QAccessible.InterfaceType) -> Any:
        return self._actions_cast(t, True)

    # -- geometry ----------------------------------------------------------------------------
    def _screen_rect(self, scene_rect: QRectF) -> QRect:
        view = self._view
        polygon = view.mapFromScene(scene_rect)
        local = polygon.boundingRect()
        top_left = view.viewport().mapToGlobal(local.topLeft())
        return QRect(top_left, local.size())

    # -- action ------------------------------------------------------------------------------
    def actionNames(self) -> list[str]:
        return [PRESS, QAccessibleActionInterface.setFocusAction()]

    def localizedActionDescription(self, name: str) -> str:
        return self._press_description() if name == PRESS else "Move the map's focus here"

    def keyBindingsForAction(self, name: str) -> list[str]:
        return ["Return"] if name == PRESS else []

    def _press_description(self) -> str:
        return ""


class HotspotAccessible(_ChildAccessible):
    def __init__(self, view: BodyMapView, marker: HotspotItem) -> None:
        super().__init__(view)
        self.marker = marker

    def isValid(self) -> bool:
        return super().isValid() and shiboken6.isValid(self.marker)

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        if t == QAccessible.Text.Name:
            return self._view.spoken_name(self.marker)
        if t == QAccessible.Text.Description:
            return "; ".join(spoken_states(self.marker))
        if t == QAccessible.Text.Help:
            return "Press Return to show its details; arrow keys move to the next point."
        return ""

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Button

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        if not self.isValid():
            state.invalid = True
            return state
        s = self.marker.state
        state.focusable = True
        state.selectable = True
        state.selected = s.selected
        state.focused = s.focused
        state.active = s.current  # the current routine step
        state.hotTracked = s.hovered
        state.invisible = not self.marker.isVisible()
        state.offscreen = not self._on_screen()
        return state

    def _on_screen(self) -> bool:
        view = self._view
        rect = view.mapFromScene(self.marker.sceneBoundingRect()).boundingRect()
        return bool(view.viewport().rect().intersects(rect))

    def rect(self) -> QRect:
        if not self.isValid():
            return QRect()
        return self._screen_rect(self.marker.sceneBoundingRect())

    def doAction(self, name: str) -> None:
        if not self.isValid():
            return
        if name == PRESS:
            self._view.press_marker(self.marker)
        elif name == QAccessibleActionInterface.setFocusAction():
            self._view.setFocus()
            self._view.focus_marker(self._view.markers.index(self.marker))

    def _press_description(self) -> str:
        return "Show this point's details"


class RegionAccessible(_ChildAccessible):
    def __init__(self, view: BodyMapView, view_id: str, region_id: str) -> None:
        super().__init__(view)
        self.view_id = view_id
        self.region_id = region_id

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        if t == QAccessible.Text.Name:
            return f"Region: {self._view.region_title(self.view_id, self.region_id)}"
        if t == QAccessible.Text.Description:
            return "Lists the points in this region"
        return ""

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Button

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        if not self.isValid():
            state.invalid = True
            return state
        # As a hotspot: reached by R / Shift+R on the map, so focusable, and focused when it is.
        state.focusable = True
        state.focused = self._view.focused_region == self.region_id and self._view.hasFocus()
        return state

    def rect(self) -> QRect:
        if not self.isValid():
            return QRect()
        return self._screen_rect(self._view.region_rect(self.view_id, self.region_id))

    def doAction(self, name: str) -> None:
        if not self.isValid():
            return
        if name == PRESS:
            self._view.regionActivated.emit(self.view_id, self.region_id)
        elif name == QAccessibleActionInterface.setFocusAction():
            self._view.setFocus()
            self._view.focus_region_id(self.region_id)

    def _press_description(self) -> str:
        return "List this region's points"


class BodyMapAccessible(QAccessibleWidget):
    """The map: its widget children (zoom buttons), then the shown view's hotspots and regions."""

    def __init__(self, view: BodyMapView) -> None:
        super().__init__(view, QAccessible.Role.Graphic, "")
        self._map = view

    def _widgets(self) -> list[QAccessibleInterface]:
        return [
            iface
            for w in self._map.findChildren(QWidget)
            if w.parentWidget() is self._map
            and not w.isHidden()
            and w is not self._map.viewport()
            and (iface := QAccessible.queryAccessibleInterface(w)) is not None
            and w.accessibleName()
        ]

    def _items(self) -> list[QAccessibleInterface]:
        if not hasattr(self._map, "_scenes"):  # asked while the map's constructor runs
            return []
        return [*self._map.accessible_hotspots(), *self._map.accessible_regions()]

    def _children(self) -> list[QAccessibleInterface]:
        return [*self._widgets(), *self._items()]

    def childCount(self) -> int:
        return len(self._children())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        children = self._children()
        return children[index] if 0 <= index < len(children) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        for index, candidate in enumerate(self._children()):
            if candidate is child or (candidate.object() is not None and candidate.object() is child.object()):
                return index
        return -1

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        if not hasattr(self._map, "_scenes"):
            return None
        marker = self._map.focused_marker
        if marker is not None and self._map.hasFocus():
            return self._map.accessible_for(marker)
        region = self._map.focused_region
        if region is not None and self._map.hasFocus():
            return next((r for r in self._map.accessible_regions() if r.region_id == region), None)
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        for child in self._children():
            if child.rect().contains(QPoint(x, y)) and not child.state().invisible:
                return child
        return None

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Description:
            return self._map.accessibleDescription() or (
                "Arrow keys move between points, R and Shift+R between regions, Return shows a point's details"
                " or lists a region's points, plus and minus zoom."
            )
        return str(super().text(t))


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    from acupressure_desktop.ui.bodymap import BodyMapView

    if isinstance(obj, BodyMapView):
        return BodyMapAccessible(obj)
    if isinstance(obj, QLabel) and obj.property(STRUCTURED):
        return StructuredTextAccessible(obj)
    browser = obj.parent()
    if isinstance(obj, QWidget) and isinstance(browser, QTextBrowser) and obj.property(STRUCTURED):
        return StructuredTextAccessible(browser, obj)  # the browser's viewport
    if isinstance(obj, QLabel) and obj.property(NOTICE):
        return NoticeAccessible(obj)
    if isinstance(obj, QWidget) and obj.property(QUIET):
        return _SilentAccessible(obj)
    if isinstance(obj, QLabel) and obj.property(READ_ON_DEMAND):
        return TimeLeftAccessible(obj)
    return None


def install() -> None:
    """Register the map's accessible factory (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def adopt(view: BodyMapView) -> None:
    """Make sure Qt uses ``BodyMapAccessible`` for a map just built.

    While assistive technology listens, Qt makes a widget's interface during its C++ constructor,
    before Python knows the object's class, so the factory cannot recognise it: drop that one and
    let Qt ask again.
    """
    iface = QAccessible.queryAccessibleInterface(view)
    if iface is not None and not isinstance(iface, BodyMapAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


def notify_focus(view: QWidget, child: QAccessibleInterface) -> None:
    """Tell assistive technology that focus moved to ``child`` inside ``view``."""
    if not QAccessible.isActive():
        return
    event = QAccessibleEvent(child, QAccessible.Event.Focus)
    QAccessible.updateAccessibility(event)


def notify_reorder(view: QWidget) -> None:
    """The map's children changed (another view): screen readers re-read them."""
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(view, QAccessible.Event.ObjectReorder))


def notify_state(child: QAccessibleInterface, **changed: bool) -> None:
    if not QAccessible.isActive():
        return
    states = QAccessible.State()
    for name, value in changed.items():
        setattr(states, name, value)
    event = QAccessibleStateChangeEvent(child, states)
    QAccessible.updateAccessibility(event)


def announce(source: QObject, message: str, assertive: bool = False) -> None:
    """A screen-reader announcement (Qt ≥ 6.8); nothing when no assistive technology listens."""
    if not QAccessible.isActive() or not message:
        return
    event = QAccessibleAnnouncementEvent(source, message)
    if assertive:
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
    QAccessible.updateAccessibility(event)


# -- structured rich text ---------------------------------------------------------------------------

STRUCTURED = "accessibleStructure"  # dynamic property: expose the rich text's headings, lists and links


@dataclass
class Part:
    """One piece of a rich text as assistive technology sees it: heading, paragraph, list, item, link."""

    role: QAccessible.Role
    text: str
    href: str = ""
    level: int = 0
    children: list[Part] = dc_field(default_factory=list)


def parts_of(doc: QTextDocument) -> list[Part]:
    """Headings (h1–h6), paragraphs, numbered and bulleted lists with their items, and links."""
    found: list[Part] = []
    current_list: tuple[object, Part] | None = None
    row: tuple[object, int] | None = None  # (table, row) the last paragraph came from
    block = doc.begin()
    while block.isValid():
        text = " ".join(block.text().replace("\u2028", "\n").split())
        table = QTextCursor(block).currentTable()
        cell = table.cellAt(block.position()) if table is not None else None
        here = (table, cell.row()) if table is not None and cell is not None and cell.isValid() else None
        if text and here is not None and here == row and cell is not None and cell.column() > 0 and found:
            found[-1].text += f": {text}"  # a table row reads as one line: "Pressure: firm"
            found[-1].children += _links(block)
        elif text:
            row = here
            links = _links(block)
            level = block.blockFormat().headingLevel()
            text_list = block.textList()
            if text_list is not None:
                if current_list is None or current_list[0] is not text_list:
                    numbered = text_list.format().style() in (
                        QTextListFormat.Style.ListDecimal,
                        QTextListFormat.Style.ListLowerAlpha,
                        QTextListFormat.Style.ListUpperAlpha,
                        QTextListFormat.Style.ListLowerRoman,
                        QTextListFormat.Style.ListUpperRoman,
                    )
                    items = text_list.count()
                    kind = "numbered list" if numbered else "list"
                    current_list = (text_list, Part(QAccessible.Role.List, f"{kind}, {items} items"))
                    found.append(current_list[1])
                marker = text_list.itemText(block).strip() if numbered else ""
                item = Part(QAccessible.Role.ListItem, f"{marker} {text}".strip(), children=links)
                current_list[1].children.append(item)
            else:
                current_list = None
                if level:
                    found.append(Part(QAccessible.Role.Heading, text, level=level, children=links))
                else:
                    found.append(Part(QAccessible.Role.Paragraph, text, children=links))
        block = block.next()
    return found


def _links(block: QTextBlock) -> list[Part]:
    links: list[Part] = []
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        fmt = fragment.charFormat()
        if fmt.isAnchor() and fmt.anchorHref():
            href = fmt.anchorHref()
            if links and links[-1].href == href:
                links[-1].text += fragment.text()
            else:
                links.append(Part(QAccessible.Role.Link, fragment.text(), href=href))
        it += 1
    return links


class PartAccessible(_ObjectlessAccessible):
    """An object-less child of a structured text; links can be pressed."""

    def __init__(self, owner: StructuredTextAccessible, parent: QAccessibleInterface, part: Part) -> None:
        super().__init__()
        self._owner = owner
        self._parent = parent
        self.part = part
        self.kids = [PartAccessible(owner, self, p) for p in part.children]

    def isValid(self) -> bool:
        return self._owner.isValid()

    def window(self) -> QWindow | None:  # type: ignore[override]
        return self._owner.window() if self.isValid() else None

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return self._parent

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return self.kids[index] if 0 <= index < len(self.kids) else None

    def childCount(self) -> int:
        return len(self.kids)

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return next((i for i, k in enumerate(self.kids) if k is child), -1)

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return self.part.text
        if t == QAccessible.Text.Description and self.part.level:
            return f"heading level {self.part.level}"
        return ""

    def role(self) -> QAccessible.Role:
        return self.part.role

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.readOnly = True
        if self.part.role == QAccessible.Role.Link:
            state.focusable = True
            state.linked = True
        return state

    def rect(self) -> QRect:
        return self._owner.rect() if self.isValid() else QRect()

    def interface_cast(self, t: QAccessible.InterfaceType) -> Any:
        return self._actions_cast(t, bool(self.part.href))

    def actionNames(self) -> list[str]:
        return [PRESS] if self.part.href else []

    def localizedActionDescription(self, name: str) -> str:
        return "Follow the link"

    def doAction(self, name: str) -> None:
        if name == PRESS and self.part.href:
            self._owner.follow(self.part.href)


class StructuredTextAccessible(QAccessibleWidget):
    """A rich-text label or browser whose headings, paragraphs, lists and links are children."""

    def __init__(self, widget: QWidget, host: QWidget | None = None) -> None:
        """``widget``: the label or browser whose text is read; ``host``: the widget this interface is
        for when it is not ``widget`` itself (a browser's viewport)."""
        role = QAccessible.Role.Document if isinstance(widget, QTextBrowser) else QAccessible.Role.StaticText
        super().__init__(host or widget, role, "")
        self._widget = widget
        self._key: object = None
        self._kids: list[PartAccessible] = []

    def _document(self) -> QTextDocument:
        widget = self._widget
        if isinstance(widget, QTextBrowser):
            return widget.document()
        doc = QTextDocument(widget)
        doc.setHtml(widget.text() if isinstance(widget, QLabel) else "")
        return doc

    def _children(self) -> list[PartAccessible]:
        widget = self._widget
        key = (
            widget.toHtml() if isinstance(widget, QTextBrowser) else widget.text() if isinstance(widget, QLabel) else ""
        )
        if key != self._key:
            self._key = key
            document = self._document()
            self._kids = [PartAccessible(self, self, part) for part in parts_of(document)]
            if document.parent() is widget and not isinstance(widget, QTextBrowser):
                document.deleteLater()
        return self._kids

    def childCount(self) -> int:
        return len(self._children())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        kids = self._children()
        return kids[index] if 0 <= index < len(kids) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return next((i for i, k in enumerate(self._children()) if k is child), -1)

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Description:
            return self._widget.accessibleDescription()
        if t == QAccessible.Text.Name and self.object() is not self._widget:
            return self._widget.accessibleName()
        return str(super().text(t))

    def follow(self, href: str) -> None:
        if isinstance(self._widget, QTextBrowser):
            self._widget.anchorClicked.emit(QUrl(href))


def where_in_structure(block: QTextBlock) -> str:
    """What the caret's block is, in words: "heading level 3", "list item 2 of 4", "link: Stress relief"."""
    words = []
    level = block.blockFormat().headingLevel()
    if level:
        words.append(f"heading level {level}")
    text_list = block.textList()
    if text_list is not None:
        words.append(f"list item {text_list.itemNumber(block) + 1} of {text_list.count()}")
    links = [link.text for link in _links(block)]
    if links:
        words.append(("link: " if len(links) == 1 else f"{len(links)} links: ") + ", ".join(links))
    return "; ".join(words)


class _CaretWatch(QObject):
    """The browser's description says what the caret's line is (a heading, a list item, a link) and
    changes as the caret moves, which Orca reads after the line."""

    def __init__(self, browser: QTextBrowser) -> None:
        super().__init__(browser)
        self._browser = browser
        self._base = browser.accessibleDescription()
        browser.cursorPositionChanged.connect(self._moved)

    def _moved(self) -> None:
        where = where_in_structure(self._browser.textCursor().block())
        wanted = where or self._base
        if self._browser.accessibleDescription() != wanted:
            self._browser.setAccessibleDescription(wanted)


def expose_structure(widget: QLabel | QTextBrowser) -> None:
    """Give assistive technology the widget's headings, paragraphs, lists and links as children.

    A browser keeps Qt's own interface, whose text interface (caret, lines, attributes) a screen
    reader reads line by line as the arrow keys move the caret; PySide6 cannot implement a full one
    (no attributes, no selection ranges), and Orca 43 said nothing with a partial one. The structure
    hangs under it, on the browser's viewport (role document, named as the browser)."""
    install()
    target: QWidget = widget
    if isinstance(widget, QTextBrowser):
        widget.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        _CaretWatch(widget)
        target = widget.viewport()
    target.setProperty(STRUCTURED, True)
    iface = QAccessible.queryAccessibleInterface(target)
    if iface is not None and not isinstance(iface, StructuredTextAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


# -- the running routine ------------------------------------------------------------------------------


class SessionAnnouncer:
    """Says what changes in a running routine, once each: a step, a side switch, halfway, pause, the end.

    ``update`` is given every display refresh (10 a second); it speaks only on a change, so the
    screen reader is never flooded. ``spoken`` keeps what was said (tests; assistive technology
    receives each message as a ``QAccessibleAnnouncementEvent``).
    """

    def __init__(self, source: QWidget, hears_announcements: Callable[[], bool] | None = None) -> None:
        self._source = source
        self.hears_announcements = hears_announcements or screen_reader_hears_announcements
        self._last: tuple[object, ...] | None = None
        self._halfway = False
        self.spoken: list[str] = []

    def update(self, snap: Any, title: str, side_words: str = "", ending: str = "") -> None:
        """``ending``: what to say instead of "Routine stopped." (the advice after a painful stop)."""
        from acupressure_desktop.session.runner import RunnerState

        key = (snap.step_index, snap.phase, snap.switching_sides, snap.state)
        if key != self._last:
            before, self._last = self._last, key
            self._changed(snap, before, title, side_words, ending)
        running = snap.state is RunnerState.RUNNING
        if (
            running
            and not self._halfway
            and snap.total_duration > 0
            and snap.total_remaining <= snap.total_duration / 2
        ):
            self._halfway = True
            self._say("Halfway through the routine.")

    def _changed(self, snap: Any, before: tuple[object, ...] | None, title: str, side_words: str, ending: str) -> None:
        from acupressure_desktop.session.runner import Phase, RunnerState

        state = snap.state
        was = before[3] if before is not None else None
        if state is RunnerState.READY:
            self._halfway = False
        elif state is RunnerState.FINISHED:
            pressed = f"{snap.steps_done} of {snap.step_count} steps pressed to the end."
            self._say(f"Routine finished. {'Well done.' if snap.every_step_pressed else pressed}", assertive=True)
        elif state is RunnerState.STOPPED:
            self._say(ending or "Routine stopped.", assertive=True)
        elif was is RunnerState.RUNNING and state is RunnerState.PAUSED:
            self._say("Paused.")
        elif (
            was is RunnerState.PAUSED
            and state is RunnerState.RUNNING
            and before is not None
            and before[:3]
            == (
                snap.step_index,
                snap.phase,
                snap.switching_sides,
            )
        ):
            self._say("Resumed.")
        elif snap.switching_sides and (before is None or not before[2]):
            self._say("Switch sides: now the right side.", assertive=True)
        elif before is None or before[0] != snap.step_index or was is RunnerState.READY:
            where = f", {side_words.lower()}" if side_words else ""
            ready = " Get ready: find the point." if snap.phase is Phase.PREPARE else ""
            self._say(f"Step {snap.step_index + 1} of {snap.step_count}: {title}{where}.{ready}", assertive=True)
        elif before[1] is Phase.PREPARE and snap.phase is Phase.PRESS:
            self._say(f"Press now: {title}.")

    def _say(self, message: str, assertive: bool = False) -> None:
        self.spoken.append(message)
        announce(self._source, message, assertive)
        # Orca 43 ignores announcement events but speaks a notification that appears; a screen
        # reader that listens for announcements gets only those (never the same words twice).
        if not self.hears_announcements():
            show_notice(self._source, message)


class TimeLeftAccessible(QAccessibleWidget):
    """The countdown label, read on demand: "Time left in this step: 0:18" (no event per tick)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.StaticText, "")
        self._label = label

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return f"{self._label.accessibleName()}: {self._label.text()}"
        if t == QAccessible.Text.Value:
            return self._label.text()
        return str(super().text(t))


READ_ON_DEMAND = "accessibleReadOnDemand"


def expose_time_left(label: QLabel) -> None:
    """Let assistive technology read a countdown label's time whenever it asks."""
    install()
    label.setProperty(READ_ON_DEMAND, True)
    iface = QAccessible.queryAccessibleInterface(label)
    if iface is not None and not isinstance(iface, TimeLeftAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


# -- focus --------------------------------------------------------------------------------------------


def focus_first(container: QWidget | None) -> QWidget | None:
    """Focus the first control of ``container`` that Tab would reach (a page, after it is switched to)."""
    if container is None or not container.isVisible():
        return None
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container:
        if (
            container.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return widget
        widget = widget.nextInFocusChain()
    return None


# -- what Orca 43 speaks: a notification that appears ---------------------------------------------

NOTICE = "accessibleLiveNotice"  # dynamic property: a label exposed as a notification
_NOTICE_NAME = "a11y-live-notice"


class NoticeAccessible(QAccessibleWidget):
    """A notification whose name is the message: Orca speaks a notification when it becomes showing."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Notification, "")
        self._label = label

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Name:
            return self._label.text()
        return ""


NOTICE_DELAY_MS = 300  # after the burst of events a step change makes, which Orca prunes as a flood


class LiveNotice(QObject):
    """A window's notification: messages said within NOTICE_DELAY_MS are shown together, once."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName(_NOTICE_NAME)
        install()
        self.label = QLabel(host)
        self.label.setProperty(NOTICE, True)
        self.label.setFixedSize(0, 0)  # for assistive technology only: never painted, never clicked
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.label.hide()
        self.pending: list[str] = []
        self.shown: list[str] = []  # what was shown, in order (tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTICE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def say(self, message: str) -> None:
        self.pending.append(message)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self.pending:
            return
        text = " ".join(self.pending)
        self.pending.clear()
        self.label.hide()  # hidden, then shown again: "showing" is what Orca presents
        self.label.setText(text)
        self.label.show()
        self.shown.append(text)


def notice_of(source: QWidget) -> LiveNotice:
    """The notification of ``source``'s window, made on first use."""
    host = source.window()
    notice = host.findChild(LiveNotice, _NOTICE_NAME)
    return notice if notice is not None else LiveNotice(host)


def show_notice(source: QWidget, message: str) -> None:
    """Show ``message`` as a notification in ``source``'s window, shortly (see LiveNotice)."""
    notice_of(source).say(message)


_heard: tuple[float, bool] | None = None  # (when asked, the answer): the registry is asked at most every 30 s


def screen_reader_hears_announcements() -> bool:
    """Whether a screen reader listens for announcement events (AT-SPI's Object:Announcement).

    Orca 43 registers no listener for them; newer screen readers do. No assistive technology, or no
    AT-SPI registry to ask (other systems): True, so nothing else is shown.
    """
    global _heard
    if not QAccessible.isActive():
        return True
    now = time.monotonic()
    if _heard is not None and now - _heard[0] < 30:
        return _heard[1]
    answer = True
    try:
        answer = "Object:Announcement" in _registered_events()
    except Exception:  # no D-Bus, no registry, not Linux: keep to the announcement event
        answer = True
    _heard = (now, answer)
    return answer


def _registered_events() -> str:
    from acupressure_desktop.platform.gdbus import GioCaller  # ctypes and GLib: only when a reader asks

    address = os.environ.get("AT_SPI_BUS_ADDRESS")
    if not address:
        session = GioCaller(timeout_ms=300)
        try:
            printed = session.call_printed("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress", "()")
        finally:
            session.close()
        found = re.search(r"'([^']+)'", printed)
        if found is None:
            return ""
        address = found.group(1)
    registry = GioCaller(address, timeout_ms=300)
    try:
        return registry.call_printed(
            "org.a11y.atspi.Registry",
            "/org/a11y/atspi/registry",
            "org.a11y.atspi.Registry",
            "GetRegisteredEvents",
            "()",
        )
    finally:
        registry.close()


# -- changes the user did not make: not read out ------------------------------------------------------

QUIET = "accessibleQuiet"


class _SilentAccessible(QAccessibleWidget):
    """Stands in for a widget while it changes quietly: Qt drops the events of an invalid interface."""

    def isValid(self) -> bool:
        return False


def _drop_interface(widget: QWidget) -> None:
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is not None:
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


@contextmanager
def quietly(*widgets: QWidget) -> Iterator[None]:
    """Change ``widgets`` (tab bars that follow a routine's step) without telling assistive technology:
    Orca 43 read every programmatic tab change out and moved its focus there. A widget with the
    keyboard focus is left out (what changes there, the user did)."""
    hushed = [w for w in widgets if not w.hasFocus()] if QAccessible.isActive() else []
    install()
    for widget in hushed:
        widget.setProperty(QUIET, True)
        _drop_interface(widget)
    try:
        yield
    finally:
        for widget in hushed:
            _drop_interface(widget)  # the silent one; Qt's own interface comes back when asked
            widget.setProperty(QUIET, False)


# -- lists: a current item when they get focus ---------------------------------------------------------


class _CurrentOnFocus(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            ensure_current_item(watched)
        return False


def ensure_current_item(view: QAbstractItemView) -> None:
    """Make the first row current and selected when there is none: a screen reader says the list's
    selected item as the list gets focus (Orca 43 said only "List with 27 items")."""
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None or model.rowCount() == 0:
        return
    current = view.currentIndex()
    if current.isValid() and selection.isSelected(current):
        return
    index = current if current.isValid() else model.index(0, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    selection.setCurrentIndex(index, flags)


def current_item_on_focus(view: QAbstractItemView) -> None:
    """Whenever ``view`` gets focus it has a current, selected item."""
    view.installEventFilter(_CurrentOnFocus(view))
