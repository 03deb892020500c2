"""Publishing a build: one build of a period at a time, staged aside, switched in with one atomic rename.

`output/<period>` is a symbolic link to the finished build under `output/.builds/`; a failed or killed build
never touches it. The module is light on purpose: checking that a review is up to date imports nothing
heavy.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from katsaus import paths
from katsaus.errors import ParameterError
from katsaus.inputs.sources import check_data_folder
from katsaus.paths import Layout
from katsaus.publish.cache import digest, tree_digest

RECORD = "build.json"


def fingerprint(period: str, data_dir: Path, params_dir: Path) -> str:
    """Digest of everything a review is built from (`sources`)."""
    check_data_folder(data_dir)
    return digest(period, tree_digest(*sources(data_dir, params_dir)))


def sources(data_dir: Path, params_dir: Path) -> list[Path]:
    """What a review is built from: data, plan, notebooks, package code, lock file, checks."""
    found = [Path(data_dir), Path(params_dir), paths.NOTEBOOKS, paths.PACKAGE]
    return found + [p for p in (paths.LOCK, paths.EXPECTATIONS) if p.exists()]


def up_to_date(target: Path, stamp: str) -> bool:
    """True when the published review at `target` was built from exactly these inputs."""
    record = target / RECORD
    if not (record.is_file() and (target / "review.pdf").is_file()):
        return False
    return json.loads(record.read_text(encoding="utf-8")).get("fingerprint") == stamp


def record(staging: Path, stamp: str, sections: dict[str, str]) -> None:
    """Note in the build what it was built from."""
    data = {"fingerprint": stamp, "sections": sections}
    (staging / RECORD).write_text(json.dumps(data, indent=1), encoding="utf-8")


@contextmanager
def lock(output: Path, period: str):
    """One build of a period at a time; a second one waits for the first. The lock file goes with the
    build that held it, whatever way it ended."""
    writable_folder(output)
    path = output / f".{period}.lock"
    while True:
        handle = _open_lock(path)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build of {period} is running; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        if _same_file(handle, path):  # not removed by the build that held it meanwhile
            break
        os.close(handle)
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(handle)


def writable_folder(folder: Path) -> None:
    """Make the output folder, or refuse it with a message: a file, a link to nothing."""
    if folder.is_symlink() and not folder.is_dir():
        raise ParameterError(f"the output folder {folder} is a link to nothing")
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"the output folder {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ParameterError(f"the output folder {folder} cannot be made: {error.strerror}") from None


def _open_lock(path: Path) -> int:
    """The lock file, opened without following a link (a link there is refused)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as error:
        if path.is_symlink():
            raise ParameterError(f"{path} is a symbolic link; remove it (a lock is never followed)") from None
        raise ParameterError(f"{path}: cannot make the lock file: {error.strerror}") from None


def _same_file(handle: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle), os.lstat(path))
    except FileNotFoundError:
        return False


@contextmanager
def staged(output: Path, period: str):
    """A fresh build folder, removed again unless it gets published; leftovers of killed builds go."""
    builds, current = Layout(output).builds, Layout(output).review(period).resolve()
    own_folder(builds)
    for leftover in builds.glob(f"{period}-*"):
        if leftover.resolve() != current:
            _remove(leftover)
    folder = builds / f"{period}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def publishable(target: Path) -> None:
    """Refuse, before building, a published path that is not a link to a build (a folder or a file
    there is the user's, never replaced), and the leftover link of a publish that was cut short."""
    if target.exists() and not target.is_symlink():
        kind = "folder" if target.is_dir() else "file"
        raise ParameterError(f"{target} is a {kind}, not a published review; move it away to publish there")
    link = _new_link(target)
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        raise ParameterError(f"{link} is in the way of publishing; remove it")


def publish(staging: Path, target: Path) -> Path:
    """Point `target` at the finished build with one atomic rename, then drop the build it replaced."""
    link = _new_link(target)
    link.unlink(missing_ok=True)
    link.symlink_to(staging.relative_to(target.parent))
    old = target.resolve() if target.is_symlink() else None
    try:
        os.replace(link, target)
    except OSError:
        link.unlink(missing_ok=True)
        raise
    if old and old != staging.resolve() and old.parent == staging.resolve().parent:
        shutil.rmtree(old, ignore_errors=True)
    return target


def _new_link(target: Path) -> Path:
    return target.with_name(f".{target.name}.new")


def own_folder(folder: Path) -> None:
    """Make a folder of the output's own; a link there (to anywhere) is refused."""
    if folder.is_symlink():
        raise ParameterError(f"{folder} is a symbolic link; builds are staged only in a folder of the output")
    folder.mkdir(exist_ok=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)
