"""A validated catalog kept between runs, keyed on the identity of the files it was made from.

Loading the full atlas validates some 3,000 items, parses 25 SVGs and measures every guide and
channel run: several hundred milliseconds. When nothing changed since the last run, the app
reads the catalog it validated then. The key is every input's path, size and ``mtime_ns`` (the
data files, the body maps and pictures, and the code that validates them) plus the app and
Python versions, so any edit, upgrade or other data folder misses and validates afresh.

The cache file is trusted only when it proves it is ours: it starts with a magic line and an
HMAC-SHA256 of its body under a random key kept beside it (mode 0600); only then is the body
unpickled, by an unpickler that builds nothing but the app's own classes and plain containers.
A corrupt, truncated, foreign or stale file is ignored (and replaced after the next full load),
never trusted and never a crash. Qt-free; the write happens on a worker thread (see ``app``).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import hmac
import io
import os
import pickle
import secrets
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from acupressure_desktop import __version__
from acupressure_desktop.catalog.loader import Catalog, load_catalog
from acupressure_desktop.catalog.resources import ResourceDirs
from acupressure_desktop.domain.models import Guide

MAGIC = b"acupressure-desktop catalog cache 1\n"
MAX_CACHE_BYTES = 50_000_000
KEY_FILE = "catalog.key"
CACHE_FILE = "catalog.cache"
_CODE = Path(__file__).resolve().parent.parent  # the package: its validating modules are part of the key
_CODE_FILES = ("catalog", "domain")
_ALLOWED_BUILTINS = frozenset(
    {"set", "frozenset", "dict", "list", "tuple", "str", "int", "float", "bool", "bytes", "complex", "getattr"}
)
_ALLOWED_MODULES = ("acupressure_desktop.", "pydantic", "datetime", "enum", "collections", "copyreg", "pathlib")


class _Unpickler(pickle.Unpickler):
    """Builds only the app's own classes, pydantic's model machinery and plain data."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module.startswith(_ALLOWED_MODULES) or module in {m.rstrip(".") for m in _ALLOWED_MODULES}:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a catalog cache")


class LazyGuides(Mapping[tuple[str, str], Guide]):
    """The guides of a cached catalog, unpickled on first use: a third of the cache's load time,
    and nothing at start-up needs them before a point is opened."""

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._guides: dict[tuple[str, str], Guide] = {}

    def _load(self) -> dict[tuple[str, str], Guide]:
        if self._blob is not None:
            blob, self._blob = self._blob, None
            self._guides = _unpickle(blob)  # verified with the rest of the file
        return self._guides

    def __getitem__(self, key: tuple[str, str]) -> Guide:
        return self._load()[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self._load()),))


def _unpickle(blob: bytes) -> Any:
    """Unpickle with the cyclic collector paused: thousands of new objects would start it many times."""
    was = gc.isenabled()
    gc.disable()
    try:
        return _Unpickler(io.BytesIO(blob)).load()
    finally:
        if was:
            gc.enable()


def _identity(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path}:{info.st_size}:{info.st_mtime_ns}"


def cache_key(dirs: ResourceDirs) -> str:
    """What the catalog was made from: the inputs' identities and the versions that read them."""
    files = sorted(dirs.data.rglob("*.json"))
    files += sorted(dirs.bodymaps.glob("*.svg")) + sorted((dirs.assets / "pictures").glob("*"))
    files += sorted(p for sub in _CODE_FILES for p in (_CODE / sub).glob("*.py"))
    parts = [__version__, sys.version, str(dirs.data.resolve()), str(dirs.assets.resolve())]
    parts += [_identity(p) for p in files]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _secret(folder: Path, *, create: bool) -> bytes | None:
    path = folder / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    if not create:
        return None
    key = secrets.token_bytes(32)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _write_bytes(path, key)
    return key


def _write_bytes(path: Path, blob: bytes) -> None:
    """Replace ``path`` atomically with a private (0600) file holding ``blob``."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(blob)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_cached(folder: Path, key: str) -> Catalog | None:
    """The cached catalog for ``key``, or None (missing, corrupt, foreign or stale: all the same)."""
    secret = _secret(folder, create=False)
    if secret is None:
        return None
    try:
        with open(folder / CACHE_FILE, "rb") as stream:
            raw = stream.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_CACHE_BYTES or not raw.startswith(MAGIC):
        return None
    rest = raw[len(MAGIC) :]
    digest, stored_key, body = rest[:32], rest[32:96], rest[96:]
    if len(digest) < 32 or stored_key != key.encode():
        return None
    if not hmac.compare_digest(digest, hmac.new(secret, stored_key + body, hashlib.sha256).digest()):
        return None
    size = int.from_bytes(body[:8], "big")
    try:
        catalog = _unpickle(body[8 : 8 + size])
    except Exception:
        return None
    if not isinstance(catalog, Catalog) or 8 + size >= len(body):
        return None
    catalog.guides = LazyGuides(body[8 + size :])
    return catalog


def write_cached(folder: Path, key: str, catalog: Catalog) -> None:
    """Save ``catalog`` for ``key`` (atomically); OSError when the folder cannot be written."""
    secret = _secret(folder, create=True)
    assert secret is not None
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    guides = pickle.dumps(dict(catalog.guides), protocol=pickle.HIGHEST_PROTOCOL)
    rest = pickle.dumps(dataclasses.replace(catalog, guides={}), protocol=pickle.HIGHEST_PROTOCOL)
    body = len(rest).to_bytes(8, "big") + rest + guides
    digest = hmac.new(secret, key.encode() + body, hashlib.sha256).digest()
    blob = MAGIC + digest + key.encode() + body
    _write_bytes(folder / CACHE_FILE, blob)


def load_catalog_cached(dirs: ResourceDirs, folder: Path) -> tuple[Catalog, str | None]:
    """The catalog from the cache when its inputs are unchanged, else loaded and validated in full.

    Returns the catalog and, when it was validated now, the key to save it under with
    :func:`write_cached` (worked out before the load, so an edit during it is never hidden);
    None when it came from the cache. Raises CatalogError as ``load_catalog`` does.
    """
    key = cache_key(dirs)
    cached = read_cached(folder, key)
    if cached is not None:
        return cached, None
    return load_catalog(dirs), key
