"""One running window per user folder: a second launch hands its request to the first.

The first instance listens on a local socket in this user's private runtime folder (mode
0700, see ``paths.runtime_dir``), never a predictable name in the shared ``/tmp``. A later
launch connects, sends one JSON line (``{"routine": ID or null}``) and waits for the answer
``{"ok": true}``; both sides check that the peer is the same user. A lock file next to the
socket decides who is first, so launches at the same moment give one instance: the others
wait for it to listen and then hand it their request. A first instance that does not answer
(stopped, hung) makes :func:`send_to_running` raise :class:`InstanceNotAnswering` after a
timeout, with a message that says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from acupressure_desktop import APP_TITLE
from acupressure_desktop.paths import runtime_dir

CONNECT_TIMEOUT_MS = 500
ANSWER_TIMEOUT_MS = 3000  # a running instance answers within milliseconds; a stopped one never
STARTING_TIMEOUT_MS = 10_000  # how long a launch waits for a first instance that holds the lock to listen
MAX_MESSAGE_BYTES = 4096
_ANSWER = b'{"ok": true}\n'

_locks: dict[str, QLockFile] = {}  # held by this process, per server name, until it exits


class InstanceNotAnswering(Exception):
    """Another instance holds the lock (or the socket) but does not take the request; the message says so."""


def server_name(data_dir: Path, runtime: Path | None = None) -> str:
    """The socket for ``data_dir``: a full path in the private runtime folder (a pipe name on Windows)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    if os.name != "posix":
        return f"acupressure-desktop-{digest}-{_user_tag()}"
    folder = runtime if runtime is not None else runtime_dir(data_dir)
    return str(folder / f"instance-{digest}.sock")


def _user_tag() -> str:
    return hashlib.sha256(os.path.expanduser("~").encode()).hexdigest()[:8]


def _peer_is_us(descriptor: int) -> bool:
    """Whether the process at the other end of a connected local socket runs as this user."""
    if not hasattr(socket, "SO_PEERCRED") or descriptor < 0:
        return True  # no credentials to ask for here: the private folder keeps others out
    try:
        dup = socket.fromfd(descriptor, socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:
        return False
    try:
        _pid, uid, _gid = struct.unpack("3i", dup.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    except OSError:
        return False
    finally:
        dup.close()
    return int(uid) == os.getuid()


def _deliver(name: str, routine: str | None) -> str:
    """'delivered', 'absent' (nobody listens) or 'silent' (connected, no answer)."""
    peer = QLocalSocket()
    peer.connectToServer(name)
    if not peer.waitForConnected(CONNECT_TIMEOUT_MS):
        return "absent"
    try:
        if not _peer_is_us(int(peer.socketDescriptor())):
            return "absent"  # not ours: never hand it the request
        peer.write((json.dumps({"routine": routine}) + "\n").encode())
        peer.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        deadline = time.monotonic() + ANSWER_TIMEOUT_MS / 1000
        while not peer.canReadLine():
            left = int((deadline - time.monotonic()) * 1000)
            if left <= 0 or not peer.waitForReadyRead(left):
                if peer.canReadLine():
                    break
                return "silent"
        answer = bytes(peer.readLine(MAX_MESSAGE_BYTES).data())
        return "delivered" if answer == _ANSWER else "silent"
    finally:
        peer.abort()


def _lock_for(name: str) -> QLockFile:
    lock = QLockFile(name + ".lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age (a long-running app)
    return lock


def _holder(lock: QLockFile) -> str:
    info = lock.getLockInfo()  # (pid, host, app) in PySide6; (ok, pid, host, app) in some versions
    pid = next((v for v in info if isinstance(v, int) and not isinstance(v, bool)), 0)
    return f" (process {pid})" if pid else ""


def send_to_running(name: str, routine: str | None, *, starting_timeout_ms: int = STARTING_TIMEOUT_MS) -> bool:
    """True when a running instance took the request; False when this launch is the first
    (it then holds the lock: create the :class:`InstanceServer` next).

    Raises InstanceNotAnswering when another instance exists but does not take the request.
    """
    deadline = time.monotonic() + starting_timeout_ms / 1000
    lock = _lock_for(name)
    while True:
        state = _deliver(name, routine)
        if state == "delivered":
            return True
        if state == "silent":
            raise InstanceNotAnswering(
                f"{APP_TITLE} is already running{_holder(lock)} but does not answer; the request was not "
                "delivered. If that window is stuck, close it (or end the process) and start again."
            )
        if name in _locks:
            return False  # this process is the first already
        if lock.tryLock(0):
            _locks[name] = lock
            return False
        if time.monotonic() >= deadline:
            raise InstanceNotAnswering(
                f"Another {APP_TITLE}{_holder(lock)} is starting or stuck and does not answer "
                f"(its lock is {name}.lock); nothing was opened. Try again in a moment."
            )
        time.sleep(0.05)


def release(name: str) -> None:
    """Give up the lock taken by :func:`send_to_running` (tests; the app keeps it until it exits)."""
    lock = _locks.pop(name, None)
    if lock is not None:
        lock.unlock()


class InstanceServer(QObject):
    """Listens for later launches; emits ``requested`` with the routine id (or None)."""

    requested = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if name not in _locks:  # not taken by send_to_running (a test, a tool): take it now if free
            lock = _lock_for(name)
            if lock.tryLock(0):
                _locks[name] = lock
        # Holding the lock, a socket left there is a crashed instance's: remove it. Without the
        # lock (another instance runs), listening fails rather than stealing its socket.
        if name in _locks:
            QLocalServer.removeServer(name)
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)

    @Slot()
    def _on_connection(self) -> None:
        peer = self._server.nextPendingConnection()
        if peer is None:
            return
        if not _peer_is_us(int(peer.socketDescriptor())):
            peer.abort()
            peer.deleteLater()
            return
        # The message is one short line sent right after connecting: read it here, briefly blocking.
        while not peer.canReadLine() and peer.bytesAvailable() <= MAX_MESSAGE_BYTES:
            if not peer.waitForReadyRead(CONNECT_TIMEOUT_MS):
                break
        line = bytes(peer.readLine(MAX_MESSAGE_BYTES).data()) if peer.canReadLine() else b""
        if line:
            peer.write(_ANSWER)
            peer.flush()
        peer.abort()
        peer.deleteLater()
        if not line:
            return
        try:
            message = json.loads(line)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return
        routine = message.get("routine") if isinstance(message, dict) else None
        self.requested.emit(routine if isinstance(routine, str) else None)
