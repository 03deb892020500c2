"""The data folder as the build's only source: regular files inside it, and links only to its own files.
Nothing outside the folder is read through a link, and nothing that is not a file (a pipe, a device)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from katsaus.errors import InputError, ParameterError

RULE = "the data folder holds files, and links only to its own files"


def check_data_folder(data_dir: Path) -> None:
    """Refuse a data folder that is missing or holds a dangling link, a link out of it or a special file."""
    root = Path(data_dir)
    if not root.is_dir():
        kind = "is not a folder" if root.exists() else "does not exist"
        raise ParameterError(f"the data folder {root} {kind}")
    inside = root.resolve()
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            _check(Path(folder) / name, inside)


def _check(path: Path, inside: Path) -> None:
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            raise InputError(
                path, "is a link to nothing (a dangling link)", rule=RULE, value=os.readlink(path)
            )
        if not target.is_relative_to(inside):
            raise InputError(path, "is a link out of the data folder", rule=RULE, value=os.readlink(path))
    mode = path.stat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise InputError(path, "is neither a file nor a folder (a pipe or a device?)", rule=RULE)
