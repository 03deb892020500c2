import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from katsaus import paths  # noqa: E402
from katsaus.build.steps import build_report  # noqa: E402
from katsaus.period import Period
from reviews import snapshot  # noqa: E402


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """An output folder holding the sample reviews of 2022-06, 2022-03 and 2022-12, built once."""
    output = tmp_path_factory.mktemp("built")
    data = Path(os.path.relpath(paths.DATA))  # as `make` passes it, so the checks name files alike
    for period in ("2022-06", "2022-03", "2022-12"):
        build_report(Period.parse(period), data, output)
    return output


@pytest.fixture
def output(built, tmp_path) -> Path:
    """A fresh output folder that shares the session's section cache (hard links), so a build of
    unchanged sections costs no notebook run."""
    folder = tmp_path / "output"
    shutil.copytree(built / ".cache", folder / ".cache", copy_function=os.link)
    return folder


@pytest.fixture
def published(built, tmp_path) -> tuple[Path, Path, dict]:
    """A data copy and an output folder holding the session's published review of 2022-06 (hard links),
    with that review's snapshot."""
    data, output = tmp_path / "data", tmp_path / "output"
    shutil.copytree(paths.DATA, data)
    build = (built / "2022-06").resolve()
    shutil.copytree(build, output / ".builds" / build.name, copy_function=os.link)
    shutil.copytree(built / ".cache", output / ".cache", copy_function=os.link)
    (output / "2022-06").symlink_to(Path(".builds") / build.name)
    return data, output, snapshot(output)


@pytest.fixture
def server():
    """A local web server that notes every request it gets (and answers none): its address, and the
    paths asked for."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *_):
            pass

    web = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{web.server_address[1]}", hits
    web.shutdown()
    web.server_close()


TIERS = ("unit", "notebook", "e2e")


def pytest_collection_modifyitems(items) -> None:
    """Every test is of exactly one tier (pyproject.toml's markers): a test of none or of two is an error."""
    for item in items:
        tiers = [tier for tier in TIERS if item.get_closest_marker(tier)]
        if len(tiers) != 1:
            raise pytest.UsageError(
                f"{item.nodeid}: marked {tiers or 'with no tier'}; mark it one of {TIERS}"
            )
