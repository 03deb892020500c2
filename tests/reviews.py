"""Running the command on a copy of the sample data beside a published review, and a snapshot of that
review, to show that a refused build left it byte for byte as it was."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

TRACEBACK = "Traceback (most recent call last)"


def command(*args: str, data: Path, output: Path) -> list[str]:
    """The command line as an analyst gives it, from the folder that holds the data (relative paths)."""
    where = {"--data": data.name, "--output": os.path.relpath(output, data.parent)}
    return [sys.executable, "-m", "katsaus", *args, *(x for pair in where.items() for x in pair)]


def katsaus(*args: str, data: Path, output: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command and wait for it; stdout and stderr are kept as text."""
    return subprocess.run(
        command(*args, data=data, output=output),
        cwd=data.parent,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=900,
    )


def snapshot(output: Path, period: str = "2022-06") -> dict[str, str]:
    """Every published file of a period's review with its digest, and where the link points."""
    folder = output / period
    files = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }
    return {"->": os.readlink(folder) if folder.is_symlink() else "(folder)", **files}


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refused(result: subprocess.CompletedProcess, status: int, words: list[str]) -> None:
    """The command ended with `status`, its message has every one of `words`, and no traceback."""
    assert result.returncode == status, (result.returncode, result.stderr[-3000:])
    assert TRACEBACK not in result.stderr and TRACEBACK not in result.stdout, result.stderr[-3000:]
    for word in words:
        assert word in result.stderr, f"{word!r} not in: {result.stderr[-3000:]}"


def kernels_left(temp: Path) -> list[str]:
    """The processes whose command line names a folder in `temp` (a kernel's connection file), and the
    kernels' socket folders left there."""
    processes = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(temp) in line:
            processes.append(line)
    return processes + [folder.name for folder in temp.glob("katsaus-kernel-*")]


def descendants(pid: int) -> set[int]:
    """The processes started by `pid`, and theirs."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def all_ended(pids: set[int], seconds: float) -> bool:
    """Whether every process of `pids` has ended, waiting up to `seconds` for them."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(pid) for pid in pids)
