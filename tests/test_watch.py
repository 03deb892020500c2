"""`katsaus watch` builds the review, then again as its inputs change: a changed narrative rebuilds its one
section on the workers kept running, bad data is refused with the review left as it was and the watch
going on, and Ctrl-C stops it with its workers and kernels."""

from __future__ import annotations

import gc
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref

import pytest

from katsaus.build import watch
from reviews import TRACEBACK, command, edit, snapshot

WAIT = 180  # seconds for a build to end


class Watching:
    """`katsaus watch` running on the published review's data: its output lines as they come."""

    def __init__(self, data, output):
        self.process = subprocess.Popen(
            command("watch", "--period", "2022-06", data=data, output=output),
            cwd=data.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        self.lines = queue.Queue()
        self.readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self.readers:
            reader.start()

    def _read(self, stream) -> None:
        with stream:
            for line in stream:
                self.lines.put(line)

    def stop(self) -> None:
        """Ctrl-C, as in the terminal the command runs in; wait for it to end."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        for reader in self.readers:
            reader.join(timeout=60)

    def until(self, *words: str) -> str:
        """What the command says until it has said each of `words` and that it watches again (in either
        order: its errors and the rest come through two pipes)."""
        said, deadline = [], time.monotonic() + WAIT
        while not all(any(w in line for line in said) for w in (*words, "watching ")):
            try:
                said.append(self.lines.get(timeout=max(0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"not said in {WAIT} s: {words}; it said: {''.join(said)}") from None
        return "".join(said)


@pytest.mark.e2e
def test_watch_rebuilds_a_changed_narrative_refuses_bad_data_and_stops_on_ctrl_c(published):
    data, output, before = published
    watching = Watching(data, output)
    try:
        watching.until("up to date, nothing to build")

        narrative = data / "texts" / "2022-06" / "keskusvirasto.md"
        edit(narrative, "välitöntä", "mitään välitöntä")
        said = watching.until("review: ")
        assert "1 of 8 sections run" in said, said
        review = (output / "2022-06").resolve()
        assert "mitään välitöntä" in (review / "review.html").read_text(encoding="utf-8")
        assert sorted(p.stem for p in (review / "logs").iterdir()) == ["keskusvirasto"]
        rebuilt = snapshot(output)
        assert rebuilt != before

        ledger = data / "ledger" / "2022.csv"
        good = ledger.read_text(encoding="utf-8")
        ledger.write_text(good.replace("cost_centre;account", "kp;account", 1), encoding="utf-8")
        said = watching.until("katsaus: error:")
        assert "2022.csv" in said and TRACEBACK not in said, said
        assert snapshot(output) == rebuilt

        ledger.write_text(good, encoding="utf-8")
        watching.until("up to date, nothing to build")
        assert snapshot(output) == rebuilt
    finally:
        watching.stop()
    said = "".join(watching.lines.queue)
    assert watching.process.returncode == 128 + signal.SIGINT, said
    assert "stopped by SIGINT" in said and TRACEBACK not in said, said
    assert _session_ended(watching.process.pid), "a worker or kernel of the watch outlived it"


def _session_ended(session: int, seconds: float = 20) -> bool:
    """Whether every process of the session is gone within `seconds`."""
    deadline = time.monotonic() + seconds
    while subprocess.run(["pgrep", "-s", str(session)], capture_output=True).returncode == 0:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


class Restarted(Exception):
    pass


@pytest.mark.unit
def test_a_change_to_the_package_starts_the_command_again(monkeypatch, tmp_path):
    """The watch's processes have imported the package: once it changes on disk, no build runs on them;
    the workers are stopped and the command starts again."""
    events = []

    class Engine:
        def __init__(self, jobs):
            events.append("started")

        def stop(self):
            events.append("stopped")

    def execv(path, args):
        raise Restarted(path, args)

    codes = iter(["before", "before", "after"])  # at the start, then after each change
    monkeypatch.setattr(watch, "_code", lambda: next(codes))
    monkeypatch.setattr(watch, "Resident", Engine)
    monkeypatch.setattr(watch, "_changes", lambda *_: iter([set(), {("modified", "review.py")}]))
    monkeypatch.setattr(watch, "_build", lambda *args: events.append("built"))
    monkeypatch.setattr(os, "execv", execv)
    with pytest.raises(Restarted) as restarted:
        watch.watch("2022-06", tmp_path, tmp_path, tmp_path, [None])

    assert events == ["started", "built", "stopped"]
    assert restarted.value.args == (sys.executable, [sys.executable, "-m", "katsaus", *sys.argv[1:]])


@pytest.mark.unit
def test_between_builds_the_garbage_is_collected_and_the_rest_kept_out_of_the_collector_s_way():
    class Cycle:
        pass

    garbage, kept = Cycle(), Cycle()
    garbage.itself = garbage
    gone = weakref.ref(garbage)
    gc.freeze()  # as an earlier round left it
    del garbage
    try:
        watch._collect()
        assert gone() is None  # collected, though kept out of the collector's way by the round before
        assert not any(tracked is kept for tracked in gc.get_objects())  # out of its way now
    finally:
        gc.unfreeze()
