"""A batch of organisations × periods on a local Dask cluster: each review as `make report` builds it, a
bad organisation failing alone, and a worker killed in the middle losing nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from distributed import Client, LocalCluster, get_task_stream
from pypdf import PdfReader

from katsaus.build.batch import Preload, run_batch
from katsaus.build.steps import build_report
from katsaus.cli import main
from katsaus.errors import ParameterError
from katsaus.period import Period
from katsaus.plan import load_batch

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from make_batch_sample import write_batch  # noqa: E402
from reviews import kernels_left  # noqa: E402

pytestmark = pytest.mark.e2e

PERIODS = ["2022-03", "2022-06"]
PLAN = """organisation: {name}
sections:
  - {{name: yhteenveto, title: Talouden yhteenveto, notebook: summary.ipynb, reads: summary}}
  - {{name: toimiala, notebook: department.ipynb, department: "50100000"}}
  - {{name: tarkastukset, title: "Liite: tietojen tarkastukset", notebook: appendix.ipynb, reads: checks}}
"""


@pytest.fixture(scope="module")
def client():
    """A local cluster of two worker processes, each preloaded as `katsaus batch` preloads them."""
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        client.register_plugin(Preload(), name="katsaus-preload")
        yield client


def small_batch(folder: Path, count: int, periods: list[str]) -> Path:
    """`count` one-department organisations with a three-section plan, and their batch file."""
    batch = write_batch(folder, count, [1], periods)
    for number in range(1, count + 1):
        name = f"kunta-{number:03d}"
        (folder / name / "params" / "review.yaml").write_text(PLAN.format(name=name.upper()), "utf-8")
    return batch


def duplicate_a_ledger_row(data: Path) -> None:
    path = data / "ledger" / "2022.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")


def test_a_bad_organisation_fails_alone_and_the_others_are_built_as_make_report_builds_them(
    client, tmp_path, capsys
):
    batch = small_batch(tmp_path, 3, PERIODS)
    duplicate_a_ledger_row(tmp_path / "kunta-002" / "data")

    status = main(["batch", str(batch), "--scheduler", client.scheduler.address])
    table = capsys.readouterr().out
    assert status == 1
    rows = {tuple(line.split()[:3]) for line in table.splitlines()}
    for name in ("kunta-001", "kunta-003"):
        assert {(name, period, "built") for period in PERIODS} <= rows
    assert {("kunta-002", period, "failed") for period in PERIODS} <= rows
    assert "kunta-002 2022-06 failed: " in table and "input errors stop the build" in table
    assert "one ledger row per" in table
    assert not (tmp_path / "output" / "kunta-002" / "2022-06").exists()

    for name in ("kunta-001", "kunta-003"):
        for period in PERIODS:
            data, params = tmp_path / name / "data", tmp_path / name / "params"
            made = build_report(Period.parse(period), data, tmp_path / "made" / name, params)
            assert_same_review(tmp_path / "output" / name / period, made)

    status = main(["batch", str(batch), "--scheduler", client.scheduler.address])
    again = capsys.readouterr().out
    assert status == 1
    assert sum(" up to date " in line for line in again.splitlines()) == 4


def assert_same_review(batched: Path, made: Path) -> None:
    """The same inputs (fingerprint and every section's cache key), the same HTML, the same PDF text."""
    assert json.loads((batched / "build.json").read_text()) == json.loads((made / "build.json").read_text())
    assert (batched / "review.html").read_bytes() == (made / "review.html").read_bytes()
    for name in ("yhteenveto", "toimiala", "tarkastukset"):
        page = Path("sections") / f"{name}.html"
        assert (batched / page).read_bytes() == (made / page).read_bytes()
    texts = [
        [page.extract_text() for page in PdfReader(folder / "review.pdf").pages] for folder in (batched, made)
    ]
    assert texts[0] == texts[1] and len(texts[0]) > 3


def test_the_sections_of_a_review_go_to_one_worker_first(client, tmp_path):
    """Each review's tasks go first to the next worker in turn, where its sections share one kernel; a
    worker that runs out of work may take some over."""
    jobs = load_batch(small_batch(tmp_path, 4, ["2022-06"]))
    with get_task_stream(client) as stream:
        results = run_batch(jobs, client)
    assert [result.status for result in results] == ["built"] * 4
    workers = list(client.nthreads())
    sections = [task for task in stream.data if task["key"].startswith("run_section-")]
    elsewhere = [t for t in sections if t["worker"] != workers[int(t["key"].split("-")[1]) % len(workers)]]
    assert len(sections) == 4 * 3
    assert len(elsewhere) <= len(sections) // 4, elsewhere


PROFILERS = """
import dask.config
from katsaus.build.batch import connect

if __name__ == "__main__":
    with connect() as client:
        print(*client.run(lambda: dask.config.get("distributed.worker.profile.enabled")).values())
    print(dask.config.get("distributed.worker.profile.enabled"))
"""


def test_the_local_cluster_s_workers_run_without_dask_s_profiler(tmp_path):
    """In a process of its own, as `katsaus batch` starts its cluster (and its dashboard, on a free port)."""
    script = tmp_path / "profilers.py"
    script.write_text(PROFILERS, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    workers, this_process = result.stdout.splitlines()
    assert workers.split() == ["False"] * os.cpu_count()
    assert this_process == "True", "the process's own configuration is kept"


SLOW_IMPORTS = {"great_expectations", "nbconvert", "weasyprint"}


def _warm_up_seen() -> tuple[bool, list[str]]:
    """On a worker: whether its converters' warm-up has been started (and, then, once it is done), and
    which of SLOW_IMPORTS it holds or is loading, imported by nothing here."""
    from katsaus.build import runner

    started = runner.converters.cache_info().currsize == 1
    if started:
        runner.converters().join()
    return started, sorted(SLOW_IMPORTS & set(sys.modules))


def test_a_worker_started_with_the_package_s_preload_is_warm_before_its_first_task():
    """`dask worker ADDRESS --preload katsaus.build.batch` (docs/batch.md): as it starts, the worker loads
    what a review's steps import and its converters convert a blank notebook; a worker without it does
    not."""
    seen = {}
    for preload in ([], ["katsaus.build.batch"]):
        cluster = LocalCluster(n_workers=1, dashboard_address=":0", preload=preload)  # any free port
        with cluster, Client(cluster) as client:
            (seen[bool(preload)],) = client.run(_warm_up_seen).values()
    assert seen[False] == (False, [])
    assert seen[True] == (True, sorted(SLOW_IMPORTS))


def test_a_batch_leaves_no_kernel(tmp_path):
    """The batch's workers shut their kernels down as the cluster closes."""
    batch, temp = small_batch(tmp_path, 2, ["2022-06"]), tmp_path / "tmp"
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "katsaus", "batch", str(batch)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(temp)},
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert len(list(tmp_path.glob("output/*/2022-06/review.pdf"))) == 2
    assert kernels_left(temp) == []


def test_a_worker_killed_in_the_middle_loses_no_review(client, tmp_path):
    jobs = load_batch(small_batch(tmp_path, 2, ["2022-06"]))
    killed = []

    def kill_a_worker_running_a_section(dask_scheduler=None):
        """On the scheduler: the address of a worker that is running a section, once one is."""
        for worker in dask_scheduler.workers.values():
            if any(task.key.startswith("run_section") for task in worker.processing):
                return worker.address
        return None

    def killer():
        deadline = time.monotonic() + 300
        while not killed and time.monotonic() < deadline:
            address = client.run_on_scheduler(kill_a_worker_running_a_section)
            if address:
                pid = client.run(os.getpid, workers=[address])[address]
                os.kill(pid, signal.SIGKILL)
                killed.append(address)
            time.sleep(0.2)

    thread = threading.Thread(target=killer)
    thread.start()
    results = run_batch(jobs, client)
    thread.join()

    assert killed, "no worker was killed"
    assert [r.status for r in results] == ["built", "built"], [r.message for r in results]
    for job in jobs:
        review = job.output / str(job.period)
        outline = [item.title for item in PdfReader(review / "review.pdf").outline]
        assert len(outline) == 4 and outline[-1] == "Liite: taulukot avoimena datana"  # and the open data
        for name in ("yhteenveto", "toimiala", "tarkastukset"):
            assert (review / "sections" / f"{name}.pdf").stat().st_size > 0
        assert not [p for p in (job.output / ".builds").iterdir() if p.resolve() != review.resolve()]


def test_a_batch_file_without_periods_is_named(tmp_path):
    batch = tmp_path / "batch.yaml"
    batch.write_text("organisations:\n  - {name: a, data: d, params: p, output: o}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"batch.yaml: organisation 1 \(a\): no list of periods"):
        load_batch(batch)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "periods: [2022-06]\norganisations:\n  - {name: a, data: [d], params: p, output: o}\n",
            "each a text",
        ),
        (
            "periods: [2022-06]\norganisations:\n  - {name: a, data: '', params: p, output: o}\n",
            "each a text",
        ),
        ("periods: [2022-13]\norganisations:\n  - {name: a, data: d, params: p, output: o}\n", "(a): "),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "expands to more than 100000 values",
        ),
        ("organisations: [\n", "not valid YAML"),
        ("- a\n", "expected a list 'organisations'"),
    ],
)
def test_a_batch_file_of_the_wrong_shape_is_refused_by_name(tmp_path, text, words):
    batch = tmp_path / "batch.yaml"
    batch.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=re.escape(words)) as refused:
        load_batch(batch)
    assert str(refused.value).startswith(f"{batch}: ")


def test_paths_of_a_batch_file_are_relative_to_it_and_an_organisation_may_have_its_own_periods(tmp_path):
    batch = tmp_path / "b" / "batch.yaml"
    batch.parent.mkdir()
    batch.write_text(
        "periods: [2022-03, 2022-06]\norganisations:\n"
        "  - {name: a, data: a/data, params: a/params, output: out/a}\n"
        "  - {name: b, data: b/data, params: b/params, output: out/b, periods: [2022-12]}\n",
        encoding="utf-8",
    )
    jobs = load_batch(batch)
    assert [(j.organisation, str(j.period)) for j in jobs] == [
        ("a", "2022-03"),
        ("a", "2022-06"),
        ("b", "2022-12"),
    ]
    assert jobs[2].data == tmp_path / "b" / "b" / "data" and jobs[2].output == tmp_path / "b" / "out" / "b"
