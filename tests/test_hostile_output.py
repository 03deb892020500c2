"""Faults of the output and of the machine: an output path taken by a file or a folder, a read-only or
full disk, links planted where the build writes, a stop by SIGTERM or SIGINT, a cache that was tampered
with. Each gives a message and no traceback, leaves the published review and the cache consistent, and
leaves nothing that stops the next build."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from katsaus.cli import main
from katsaus.publish import atomic
from reviews import TRACEBACK, all_ended, command, descendants, edit, katsaus, refused, snapshot

pytestmark = pytest.mark.e2e

PERIOD = "2022-06"


def touch_data(data: Path) -> None:
    """Change the data folder in a way no section reads, so that a build runs and takes every section
    from the cache."""
    with open(data / "README.md", "a", encoding="utf-8") as readme:
        readme.write("\nMuutettu.\n")


def report(data: Path, output: Path, **env) -> subprocess.CompletedProcess:
    return katsaus("report", "--period", PERIOD, data=data, output=output, env=env)


def test_an_output_path_that_is_a_file(published, tmp_path):
    data, _, _ = published
    output = tmp_path / "taken"
    output.write_text("not a folder\n", encoding="utf-8")
    refused(report(data, output), 2, ["taken", "is a file, not a folder"])
    assert output.read_text(encoding="utf-8") == "not a folder\n"


def test_a_published_path_that_is_a_folder_is_left_alone(published):
    data, output, _ = published
    (output / PERIOD).unlink()
    (output / PERIOD).mkdir()
    (output / PERIOD / "oma.txt").write_text("käyttäjän oma\n", encoding="utf-8")
    touch_data(data)
    refused(report(data, output), 2, [f"{PERIOD} is a folder, not a published review", "move it away"])
    assert [p.name for p in (output / PERIOD).iterdir()] == ["oma.txt"]
    assert not (output / f".{PERIOD}.new").exists() and not (output / f".{PERIOD}.new").is_symlink()


def test_a_dangling_link_left_by_a_cut_publish_is_cleared(published):
    data, output, before = published
    (output / f".{PERIOD}.new").symlink_to(".builds/gone")
    touch_data(data)
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (output / f".{PERIOD}.new").is_symlink()
    after = snapshot(output)
    assert after["review.pdf"] == before["review.pdf"] and after["->"] != before["->"]


def test_a_folder_in_the_way_of_publishing_is_named(published):
    data, output, before = published
    (output / f".{PERIOD}.new").mkdir()
    touch_data(data)
    refused(report(data, output), 2, [f".{PERIOD}.new is in the way of publishing"])
    assert snapshot(output) == before


def test_a_lock_file_that_is_a_link_is_not_followed(published, tmp_path):
    data, output, before = published
    victim = tmp_path / "victim.txt"
    victim.write_text("tärkeä\n", encoding="utf-8")
    (output / f".{PERIOD}.lock").symlink_to(victim)
    touch_data(data)
    refused(report(data, output), 2, [f".{PERIOD}.lock is a symbolic link"])
    assert victim.read_text(encoding="utf-8") == "tärkeä\n"
    assert snapshot(output) == before


@pytest.mark.parametrize("name", [".builds", ".cache"])
def test_a_working_folder_that_is_a_link_is_refused(published, tmp_path, name):
    data, output, before = published
    elsewhere = tmp_path / "elsewhere"
    (output / name).rename(elsewhere)
    (output / name).symlink_to(elsewhere, target_is_directory=True)
    if name == ".builds":
        (output / PERIOD).unlink()
        (output / PERIOD).symlink_to(elsewhere / Path(before["->"]).name)
        before = snapshot(output)
    touch_data(data)
    refused(report(data, output), 2, [name, "is a symbolic link"])
    assert snapshot(output) == before


def test_a_published_link_to_elsewhere_is_replaced_but_its_folder_kept(published, tmp_path):
    """A link the user pointed at a folder of theirs is replaced by the new review; their folder stays."""
    data, output, _ = published
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "oma.txt").write_text("oma\n", encoding="utf-8")
    (output / PERIOD).unlink()
    (output / PERIOD).symlink_to(theirs, target_is_directory=True)
    touch_data(data)
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (theirs / "oma.txt").read_text(encoding="utf-8") == "oma\n"
    assert (output / PERIOD / "review.pdf").is_file()


def test_a_refused_period_leaves_no_lock_file(published):
    data, output, before = published
    refused(
        katsaus("report", "--period", "2023-06", data=data, output=output), 2, ["no ledger data for 2023"]
    )
    assert not list(output.glob(".*.lock"))
    assert snapshot(output) == before


@contextlib.contextmanager
def mounted(folder: Path, options: str):
    """A tmpfs mounted on `folder` (the test runs as root, as the build machine's container does)."""
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
    )
    if result.returncode:
        pytest.skip(f"a file system cannot be mounted here: {result.stderr.decode()[:200]}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextlib.contextmanager
def published_on_tmpfs(source: Path, output: Path):
    """The published review and its cache copied onto a file system of their own at `output` (another
    file system takes no hard links); gives the review's snapshot."""
    output.mkdir()
    with mounted(output, "size=64m"):
        build = (source / PERIOD).resolve()
        shutil.copytree(build, output / ".builds" / build.name, symlinks=True)
        shutil.copytree(source / ".cache", output / ".cache", symlinks=True)
        (output / PERIOD).symlink_to(Path(".builds") / build.name)
        yield snapshot(output)


def _fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as handle:  # unbuffered: nothing is left to write on closing
        for size in (65536, 1):
            with contextlib.suppress(OSError):
                while handle.write(b"\0" * size):
                    pass
    return filler


def test_a_full_disk_stops_the_build_and_the_next_one_works(published, tmp_path):
    data, source, _ = published
    output = tmp_path / "full"
    with published_on_tmpfs(source, output) as before:
        filler = _fill(output)
        touch_data(data)
        refused(report(data, output), 2, ["No space left on device", "the published review is unchanged"])
        assert snapshot(output) == before
        assert [p.name for p in (output / ".builds").iterdir()] == [Path(before["->"]).name]
        filler.unlink()
        result = report(data, output)
        assert result.returncode == 0, result.stderr[-3000:]
        assert snapshot(output)["review.pdf"] == before["review.pdf"]


def test_a_read_only_output_folder(published, tmp_path):
    data, source, _ = published
    output = tmp_path / "readonly"
    with published_on_tmpfs(source, output) as before:
        subprocess.run(["mount", "-o", "remount,ro", str(output)], check=True)
        touch_data(data)
        refused(report(data, output), 2, ["readonly", "Read-only file system"])
        assert snapshot(output) == before


def test_no_space_when_publishing_leaves_the_review(published, monkeypatch, capsys):
    """The disk fills up at the very end, as the build is recorded: the review and cache stay whole."""
    data, output, before = published
    touch_data(data)

    def full(*_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(output / "build.json"))

    monkeypatch.setattr(atomic, "record", full)
    monkeypatch.chdir(data.parent)
    status = main(command("report", "--period", PERIOD, data=data, output=output)[3:])
    message = capsys.readouterr().err
    assert status == 2 and "No space left on device" in message and TRACEBACK not in message
    assert snapshot(output) == before
    assert [p.name for p in (output / ".builds").iterdir()] == [Path(before["->"]).name]
    assert not list(output.glob(".*.lock")) and not (output / f".{PERIOD}.new").is_symlink()


@pytest.mark.parametrize(
    ("name", "number", "status"), [("SIGTERM", signal.SIGTERM, 143), ("SIGINT", signal.SIGINT, 130)]
)
def test_a_signal_stops_the_build_with_a_message(published, name, number, status):
    """The build says it was stopped, its workers and kernels end within seconds, the review is as it was
    and the next build runs."""
    data, output, before = published
    edit(
        data / "texts" / PERIOD / "keskusvirasto.md",
        "---\n## Talousarvion",
        "---\nMuutettu.\n\n## Talousarvion",
    )
    line = [sys.executable, "-m", "katsaus", "report", "--data", str(data), "--output", str(output)]
    build = subprocess.Popen(
        line, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline, old = time.monotonic() + 120, Path(before["->"]).name
    while time.monotonic() < deadline and not [
        log for log in (output / ".builds").glob("*/logs/*.log") if log.parent.parent.name != old
    ]:
        time.sleep(0.2)
    time.sleep(1)
    assert build.poll() is None, "the build ended before it could be stopped"
    started = descendants(build.pid)
    assert started, "the build has workers"
    os.kill(build.pid, number)
    _, err = build.communicate(timeout=60)
    assert build.returncode == status, err[-3000:]
    assert f"stopped by {name}" in err and TRACEBACK not in err, err[-3000:]
    assert all_ended(started, 15), "workers and kernels end with the build"
    assert snapshot(output) == before
    assert not list(output.glob(".*.lock"))
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Muutettu." in (output / PERIOD / "review.html").read_text(encoding="utf-8")


def _entry_of(output: Path, name: str) -> Path:
    """The cache entry that holds the published review's file `name` (e.g. fragments/keskusvirasto.pdf)."""
    published = output / PERIOD / name
    [entry] = [
        p for p in (output / ".cache").iterdir() if (p / name).is_file() and (p / name).samefile(published)
    ]
    return entry


def _replace(path: Path, data: bytes) -> None:
    """Put other bytes at `path` without writing into the file there (it is hard-linked elsewhere)."""
    path.unlink()
    path.write_bytes(data)


@pytest.mark.parametrize(
    ("name", "spoil"),
    [
        ("fragments/keskusvirasto.fragment.html", lambda b: b.replace(b"Keskusviraston", b"PETOS")),
        ("sections/keskusvirasto.pdf", lambda b: b[: len(b) // 2]),
        ("fragments/keskusvirasto.pdf", lambda b: b""),
    ],
    ids=["a changed fragment", "a truncated PDF", "an emptied PDF"],
)
def test_a_spoilt_cache_entry_is_rebuilt_not_published(published, name, spoil):
    data, output, _ = published
    path = _entry_of(output, name) / name
    good = path.read_bytes()
    _replace(path, spoil(good))
    touch_data(data)
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "1 of 8 sections run" in result.stdout + result.stderr
    published_file = (output / PERIOD / name).read_bytes()
    assert published_file != spoil(good)
    if name.endswith(".pdf"):
        pages = len(PdfReader(io.BytesIO(good)).pages)
        assert len(PdfReader(io.BytesIO(published_file)).pages) == pages
    html = (output / PERIOD / "review.html").read_text(encoding="utf-8")
    assert "PETOS" not in html and "Keskusviraston" in html
    touch_data(data)
    again = report(data, output)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 of 8 sections run" in again.stdout + again.stderr


def test_garbage_and_planted_pickles_in_the_cache_are_never_loaded(published, tmp_path):
    """The kept frames and suite outcomes are JSON checked against their digest: garbage is made again,
    and a pickle planted beside them is never opened."""
    data, output, before = published
    canary = tmp_path / "canary"
    planted = b"cos\nsystem\n(S'touch " + str(canary).encode() + b"'\ntR."
    for folder in ("frames", "checks"):
        for kept in (output / ".cache" / folder).glob("*.json"):
            _replace(kept, b"0" * 32 + b"\n" + b"[1, 2")
            (kept.with_suffix(".pickle")).write_bytes(planted)
    for entry in (output / ".cache").iterdir():
        if (entry / "manifest.json").is_file():
            (entry / "planted.pickle").write_bytes(planted)
    (output / ".cache" / "review.pickle").write_bytes(planted)
    shutil.rmtree(_entry_of(output, "review.pdf"))  # so that the stitch runs, through the kept frames
    touch_data(data)
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not canary.exists()
    assert snapshot(output)["review.html"] == before["review.html"]
    assert TRACEBACK not in result.stderr


def test_the_cache_holds_no_pickles(published):
    data, output, _ = published
    kept = [p for p in (output / ".cache").rglob("*") if p.is_file()]
    assert kept and all(p.suffix in {".json", ".html", ".pdf", ".ipynb"} for p in kept), kept
    assert not [p for p in kept if p.read_bytes()[:1] == b"\x80"], "no file starts as a pickle does"


def test_section_pdfs_served_from_the_cache_keep_their_page_numbers(published):
    data, output, _ = published
    touch_data(data)
    result = report(data, output)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 of 8 sections run" in result.stdout + result.stderr
    section = PdfReader(output / PERIOD / "sections" / "keskusvirasto.pdf").pages[0].extract_text()
    bare = PdfReader(output / PERIOD / "fragments" / "keskusvirasto.pdf").pages[0].extract_text()
    assert "Sivu 1 /" in section and "Sivu 1 /" not in bare
