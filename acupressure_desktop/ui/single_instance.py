"""One running window per user folder: a second launch hands its request to the first.

The first instance listens on a local socket named after the data folder; a later
launch connects, sends one JSON line ({"routine": ID or null}) and exits.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 500
MAX_MESSAGE_BYTES = 4096


def server_name(data_dir: Path) -> str:
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"acupressure-desktop-{digest}"


def send_to_running(name: str, routine: str | None) -> bool:
    """True when a running instance took the request."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write((json.dumps({"routine": routine}) + "\n").encode())
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class InstanceServer(QObject):
    """Listens for later launches; emits ``requested`` with the routine id (or None)."""

    requested = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)  # a stale socket file left by a crash
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)

    @Slot()
    def _on_connection(self) -> None:
        socket = self._server.nextPendingConnection()
        if socket is None:
            return
        # The message is one short line sent right after connecting: read it here, briefly blocking.
        while not socket.canReadLine() and socket.bytesAvailable() <= MAX_MESSAGE_BYTES:
            if not socket.waitForReadyRead(CONNECT_TIMEOUT_MS):
                break
        line = bytes(socket.readLine(MAX_MESSAGE_BYTES).data()) if socket.canReadLine() else b""
        socket.abort()
        socket.deleteLater()
        if not line:
            return
        try:
            message = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return
        routine = message.get("routine") if isinstance(message, dict) else None
        self.requested.emit(routine if isinstance(routine, str) else None)
