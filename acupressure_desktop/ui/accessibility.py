"""Assistive technology for the body map: every hotspot and region is an accessible child.

The map is a QGraphicsView, whose items Qt does not expose: screen readers saw one element
with an empty child. ``BodyMapAccessible`` replaces the map's interface (through an accessible
factory) with one whose children are the map's own widgets (zoom buttons) followed by one
``HotspotAccessible`` per marker of the shown view and one ``RegionAccessible`` per region.
Each child has a name, a role, a state, a screen rectangle and a press action.

Accessible texts are computed when assistive technology asks, never while painting.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, QRectF, Qt, QUrl
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
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QTextBrowser, QWidget

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
        state.invalid = not self.isValid()
        return state

    def rect(self) -> QRect:
        if not self.isValid():
            return QRect()
        return self._screen_rect(self._view.region_rect(self.view_id, self.region_id))

    def actionNames(self) -> list[str]:
        return [PRESS]

    def doAction(self, name: str) -> None:
        if self.isValid() and name == PRESS:
            self._view.regionActivated.emit(self.view_id, self.region_id)

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
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        for child in self._children():
            if child.rect().contains(QPoint(x, y)) and not child.state().invisible:
                return child
        return None

    def text(self, t: QAccessible.Text) -> str:
        if t == QAccessible.Text.Description:
            return self._map.accessibleDescription() or (
                "Arrow keys move between points, Return shows a point's details, plus and minus zoom."
            )
        return str(super().text(t))


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:
    from acupressure_desktop.ui.bodymap import BodyMapView

    if isinstance(obj, BodyMapView):
        return BodyMapAccessible(obj)
    if isinstance(obj, (QLabel, QTextBrowser)) and obj.property(STRUCTURED):
        return StructuredTextAccessible(obj)
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

    def __init__(self, widget: QWidget) -> None:
        role = QAccessible.Role.Document if isinstance(widget, QTextBrowser) else QAccessible.Role.StaticText
        super().__init__(widget, role, "")
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
        return str(super().text(t))

    def follow(self, href: str) -> None:
        if isinstance(self._widget, QTextBrowser):
            self._widget.anchorClicked.emit(QUrl(href))


def expose_structure(widget: QLabel | QTextBrowser) -> None:
    """Give assistive technology the widget's headings, paragraphs, lists and links as children."""
    install()
    widget.setProperty(STRUCTURED, True)
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is not None and not isinstance(iface, StructuredTextAccessible):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(iface))


# -- the running routine ------------------------------------------------------------------------------


class SessionAnnouncer:
    """Says what changes in a running routine, once each: a step, a side switch, halfway, pause, the end.

    ``update`` is given every display refresh (10 a second); it speaks only on a change, so the
    screen reader is never flooded. ``spoken`` keeps what was said (tests; assistive technology
    receives each message as a ``QAccessibleAnnouncementEvent``).
    """

    def __init__(self, source: QObject) -> None:
        self._source = source
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
            self._say("Routine finished. Well done.", assertive=True)
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
