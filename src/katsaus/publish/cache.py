"""Content-addressed caching: a built part is reused only while everything it was made from is unchanged.

Keys are digests of contents, never of file times, so a touched file costs nothing and an edited one is
always rebuilt. Every entry carries the digest of what it holds and is checked against it when read: an
entry that was changed, cut short or planted is discarded and built again, never served. The cache holds
files and JSON only, nothing that runs code when it is loaded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SKIP = {"__pycache__", ".ipynb_checkpoints"}
MANIFEST = "manifest.json"


def digest(*parts: str | bytes) -> str:
    """One hex digest of several parts (each length-prefixed, so parts cannot run into each other)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def tree_digest(*roots: Path) -> str:
    """Digest of every file under the roots: relative paths and contents."""
    parts = []
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if not SKIP.intersection(path.parts):
                parts += [str(path.relative_to(root.parent)), _file_digest(path)]
    return digest(*parts)


def _file_digest(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "blake2b").digest()


class Cache:
    """Folders of built files under one root, one folder per key, each with a manifest of its files'
    digests. Files are named by their path below the build folder they belong in."""

    def __init__(self, root: Path):
        self.root = root

    def holds(self, key: str) -> bool:
        """Whether there is an entry of `key` (fetch says whether it is sound)."""
        return (self.root / key).exists()

    def fetch(self, key: str, base: Path, targets: list[Path]) -> bool:
        """Place the files of `key` at `targets` (below `base`); False unless cached whole and sound."""
        entry, names = self.root / key, _names(base, targets)
        if not _verified(entry, names):
            return False
        for name, target in zip(names, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(entry / name, target)
        return True

    def store(self, key: str, base: Path, sources: list[Path]) -> None:
        """Keep copies of `sources` (below `base`) under `key`; the entry appears whole or not at all."""
        entry = self.root / key
        if entry.is_dir() and not entry.is_symlink():
            return
        partial = self.root / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}"
        try:
            manifest = {}
            for name, source in zip(_names(base, sources), sources, strict=True):
                (partial / name).parent.mkdir(parents=True, exist_ok=True)
                _link(source, partial / name)
                manifest[name] = _file_digest(partial / name).hex()
            (partial / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            os.rename(partial, entry)
        except OSError:  # another build stored the same key first, or the disk is full: no entry then
            shutil.rmtree(partial, ignore_errors=True)


def _names(base: Path, paths: list[Path]) -> list[str]:
    return [path.relative_to(base).as_posix() for path in paths]


def _verified(entry: Path, names: list[str]) -> bool:
    """Whether the entry holds the named files, each matching its digest; an unsound entry is removed."""
    if not entry.exists() and not entry.is_symlink():
        return False
    try:
        manifest = json.loads(_read_plain(entry / MANIFEST))
        if all(_read_digest(entry, name) == bytes.fromhex(manifest[name]) for name in names):
            return True
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    _discard(entry)
    return False


def _read_digest(entry: Path, name: str) -> bytes:
    """The digest of a regular file of the entry (not a link, not reached through one)."""
    path = entry / name
    if entry.is_symlink() or path.resolve().parent != (entry.resolve() / name).parent:
        raise OSError(f"{path} is reached through a link")
    return hashlib.blake2b(_read_plain(path)).digest()


def _discard(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _read_plain(path: Path) -> bytes:
    """A regular file's bytes; a symbolic link or anything else is refused (OSError)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read()


def _link(source: Path, target: Path) -> None:
    """Hard-link when possible (same file system), else copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def recall(folder: Path, key: str):
    """The value kept in `folder` under `key`, or None (also when the kept file is not sound: it goes)."""
    path = folder / f"{key}.json"
    try:
        kept, data = _read_plain(path).split(b"\n", 1)
        if kept.decode("ascii") == digest(data):
            return json.loads(data, object_hook=_revive)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        pass
    _discard(path)
    return None


def keep(folder: Path, key: str, value):
    """Keep a value (JSON data, with bytes) in `folder` under `key`; return it as it will be recalled."""
    data = json.dumps(value, default=_inert, separators=(",", ":")).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{key}.json", digest(data).encode("ascii") + b"\n" + data)
    except OSError:
        pass  # a value not kept is made again next time
    return json.loads(data, object_hook=_revive)


def remembered(folder: Path | None, key: str, make: Callable[[], object], revive: Callable[..., T]) -> T:
    """revive() of the data kept in `folder` under `key`, else of make()'s, which is then kept; without a
    folder, of make()'s. Data is kept as JSON (with bytes); kept data that revive() cannot take is made
    again."""
    if folder is not None and (kept := recall(folder, key)) is not None:
        try:
            return revive(kept)
        except (TypeError, ValueError, KeyError):
            pass
    value = make()
    if folder is not None:
        keep(folder, key, value)
    return revive(value)


def _inert(value):
    """JSON for what JSON lacks: bytes, numpy's scalars as numbers, anything else as its text (tuples
    become lists)."""
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if hasattr(value, "item") and getattr(value, "size", 1) == 1:  # numpy scalars
        return value.item()
    return str(value)


def _revive(data: dict):
    return base64.b64decode(data["$bytes"], validate=True) if set(data) == {"$bytes"} else data


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same directory, so path is never half-written."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
