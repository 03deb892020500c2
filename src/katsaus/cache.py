"""Content-addressed caching: a built part is reused only while everything it was made from is unchanged.

Keys are digests of contents, never of file times, so a touched file costs nothing and an edited one is
always rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SKIP = {"__pycache__", ".ipynb_checkpoints"}


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
    """Folders of built files under one root, one folder per key."""

    def __init__(self, root: Path):
        self.root = root

    def fetch(self, key: str, targets: list[Path]) -> bool:
        """Place the cached files of `key` at `targets` (matched by file name); False if not cached."""
        entry = self.root / key
        if not all((entry / target.name).is_file() for target in targets):
            return False
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            _link(entry / target.name, target)
        return True

    def store(self, key: str, sources: list[Path]) -> None:
        """Keep copies of `sources` under `key`; the entry appears whole or not at all."""
        entry = self.root / key
        if entry.is_dir():
            return
        partial = self.root / f".{key}.{os.getpid()}"
        partial.mkdir(parents=True, exist_ok=True)
        for source in sources:
            _link(source, partial / source.name)
        try:
            os.rename(partial, entry)
        except OSError:  # another build stored the same key first
            shutil.rmtree(partial, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    """Hard-link when possible (same file system), else copy."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def recall(folder: Path, key: str):
    """The value kept in `folder` under `key`, or None."""
    path = folder / f"{key}.pickle"
    return pickle.loads(path.read_bytes()) if path.is_file() else None


def keep(folder: Path, key: str, value) -> None:
    """Keep a value in `folder` under `key`."""
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{key}.pickle", pickle.dumps(value))


def remembered(folder: Path | None, key: str, make: Callable[[], T]) -> T:
    """The value kept in `folder` under `key`, else make()'s, then kept; without a folder, make()'s."""
    if folder is None:
        return make()
    value = recall(folder, key)
    if value is None:
        value = make()
        keep(folder, key, value)
    return value


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file in the same directory, so path is never half-written."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
