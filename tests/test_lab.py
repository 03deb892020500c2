"""`make lab` starts JupyterLab (as root too), and every notebook runs top to bottom on the project's
kernel through the server's own API: a session per notebook (REST), its cells sent over the kernel's
websocket as an analyst's browser sends them."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest
import websocket

from analyst import NOTEBOOKS, SHOWS
from katsaus import paths

pytestmark = pytest.mark.notebook


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A JupyterLab started by `make lab` on localhost, with a token, and its REST API."""

    def __init__(self, tmp: Path):
        self.port, self.token = free_port(), secrets.token_hex(16)
        config = tmp / "config"
        config.mkdir()
        server = {"ip": "127.0.0.1", "port": self.port, "port_retries": 0, "open_browser": False}
        settings = {"ServerApp": server | {"token": self.token}}
        (config / "jupyter_server_config.json").write_text(json.dumps(settings), encoding="utf-8")
        env = os.environ | {
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
            "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
            "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        }
        self.log = (tmp / "lab.log").open("w")
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "lab"],
            cwd=paths.ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def request(self, path: str, body: dict | None = None, method: str | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url(path), data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)

    def wait(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, Path(self.log.name).read_text()
            try:
                self.request("/api/status")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        raise AssertionError(f"JupyterLab did not start: {Path(self.log.name).read_text()}")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.wait()
        yield server
    finally:
        server.stop()


def test_make_lab_allows_root_only_as_root():
    dry = subprocess.run(["make", "-n", "lab"], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    (command,) = [line for line in dry.stdout.splitlines() if "jupyter lab" in line]
    assert ("--allow-root" in command) == (os.geteuid() == 0)


def test_jupyterlab_serves_the_lab_and_the_project_kernel(lab):
    status, page = lab.request("/lab")
    assert status == 200 and "JupyterLab" in page
    _, kernels = lab.request("/api/kernelspecs")
    assert "katsaus" in kernels["kernelspecs"]


def execute(channel: websocket.WebSocket, code: str) -> list[dict]:
    """Send one cell's code to the kernel; return its outputs once the kernel is idle again."""
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": "test"}
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}}
    message = {"header": header | {"version": "5.3"}, "parent_header": {}, "metadata": {}, "channel": "shell"}
    channel.send(json.dumps(message | {"content": content | {"allow_stdin": False, "stop_on_error": True}}))
    outputs, reply, idle = [], None, False
    while reply is None or not idle:
        answer = json.loads(channel.recv())
        if answer.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = answer["msg_type"]
        if kind in ("display_data", "execute_result", "stream", "error"):
            outputs.append({"output_type": kind, **answer["content"]})
        elif kind == "execute_reply":
            reply = answer["content"]
        elif kind == "status":
            idle = answer["content"]["execution_state"] == "idle"
    assert reply["status"] == "ok", reply
    return outputs


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_notebook_runs_on_the_project_kernel_through_the_server(lab, name):
    notebook = nbformat.read(paths.NOTEBOOKS / name, as_version=4)
    _, session = lab.request(
        "/api/sessions", {"path": name, "type": "notebook", "kernel": {"name": "katsaus"}}
    )
    kernel = session["kernel"]
    assert kernel["name"] == "katsaus"
    channel = websocket.create_connection(
        lab.url(f"/api/kernels/{kernel['id']}/channels", "ws"),
        header=[f"Authorization: token {lab.token}"],
        timeout=300,
    )
    try:
        outputs = [
            out
            for cell in notebook.cells
            if cell.cell_type == "code"
            for out in execute(channel, cell.source)
        ]
    finally:
        channel.close()
        lab.request(f"/api/sessions/{session['id']}", method="DELETE")
    assert not [out for out in outputs if out["output_type"] == "error"]
    assert not [out for out in outputs if out.get("name") == "stderr" and "Traceback" in out.get("text", "")]
    html = "".join(out["data"].get("text/html", "") for out in outputs if "data" in out)
    assert SHOWS.get(name, "<") in html, html[:500]
