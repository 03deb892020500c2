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
from katsaus.cache import digest, tree_digest

RECORD = "build.json"


def fingerprint(period: str, data_dir: Path, params_dir: Path) -> str:
    """Digest of everything a review is built from: data, plan, notebooks, package code, lock file."""
    sources = [Path(data_dir), Path(params_dir), paths.NOTEBOOKS, paths.PACKAGE]
    sources += [p for p in (paths.ROOT / "uv.lock", paths.EXPECTATIONS) if p.exists()]
    return digest(period, tree_digest(*sources))


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
    """One build of a period at a time; a second one waits for the first."""
    output.mkdir(parents=True, exist_ok=True)
    with open(output / f".{period}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build of {period} is running; waiting for it", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def staged(output: Path, period: str):
    """A fresh build folder, removed again unless it gets published; leftovers of killed builds go."""
    builds, current = output / ".builds", (output / period).resolve()
    for leftover in builds.glob(f"{period}-*"):
        if leftover.resolve() != current:
            shutil.rmtree(leftover, ignore_errors=True)
    folder = builds / f"{period}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    try:
        yield folder
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def publish(staging: Path, target: Path) -> Path:
    """Point `target` at the finished build with one atomic rename, then drop the build it replaced."""
    link = target.with_name(f".{target.name}.new")
    link.unlink(missing_ok=True)
    link.symlink_to(staging.relative_to(target.parent))
    old = target.resolve() if target.is_symlink() else None
    os.replace(link, target)
    if old and old != staging.resolve():
        shutil.rmtree(old, ignore_errors=True)
    return target
