"""``make lab``: the same command starts as root, refuses API calls without the token, and
with it runs code in the project's ``arabmedia`` kernel (loopback only)."""

import importlib.util
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import websocket

ROOT = Path(__file__).parents[2]
TOKEN = "arabmedia-test-token"
STARTUP_TIMEOUT = 90
KERNEL_TIMEOUT = 90


def _lab_tool():
    spec = importlib.util.spec_from_file_location("lab_tool", ROOT / "tools" / "lab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, method: str = "GET", body: dict | None = None, token: str | None = None):
    """(status, parsed JSON body or None) of one HTTP call; HTTP errors are returned."""
    headers = {"Authorization": f"token {token}"} if token else {}
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            return response.status, json.loads(payload) if payload else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_make_lab_runs_the_shared_command():
    recipe = re.search(r"^lab:.*\n\t@(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert recipe and recipe.group(1).strip() == "$(PY) tools/lab.py"
    command = _lab_tool().lab_command()
    assert "--allow-root" in command and "--ip=127.0.0.1" in command


@pytest.fixture
def lab_server(tmp_path):
    """Base URL of the ``make lab`` server on a free loopback port with a known token."""
    port = _free_port()
    command = _lab_tool().lab_command(
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={TOKEN}"
    )
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
    }
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "lab.log").read_text(errors="replace")
            try:
                if _request(f"{base}/api")[0] == 200:  # the version endpoint needs no token
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            assert time.monotonic() < deadline, "JupyterLab did not start in time"
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def _execute(base: str, kernel_id: str, code: str) -> str:
    """The text/plain result of running ``code`` in the kernel, over its websocket."""
    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
    channel = websocket.create_connection(
        url, header=[f"Authorization: token {TOKEN}"], timeout=KERNEL_TIMEOUT
    )
    msg_id = uuid.uuid4().hex
    request = {
        "header": {
            "msg_id": msg_id,
            "msg_type": "execute_request",
            "session": uuid.uuid4().hex,
            "username": "test",
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": {"code": code, "silent": False, "store_history": False},
        "channel": "shell",
        "buffers": [],
    }
    try:
        channel.send(json.dumps(request))
        deadline = time.monotonic() + KERNEL_TIMEOUT
        while time.monotonic() < deadline:
            message = json.loads(channel.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "error":
                raise AssertionError(f"the kernel raised: {message['content']}")
            if message["msg_type"] == "execute_result":
                return message["content"]["data"]["text/plain"]
        raise AssertionError("no execute_result in time")
    finally:
        channel.close()


def test_lab_starts_requires_the_token_and_runs_the_project_kernel(lab_server):
    status, body = _request(f"{lab_server}/api/kernels")
    assert (status, body["message"]) == (403, "Forbidden")
    assert _request(f"{lab_server}/api/kernels", "POST", {"name": "arabmedia"})[0] == 403
    assert _request(f"{lab_server}/api/kernels", token="wrong-token")[0] == 403

    status, kernel = _request(
        f"{lab_server}/api/kernels", "POST", {"name": "arabmedia"}, token=TOKEN
    )
    assert status == 201 and kernel["name"] == "arabmedia"
    try:
        assert _execute(lab_server, kernel["id"], "1+1") == "2"
    finally:
        status, _ = _request(f"{lab_server}/api/kernels/{kernel['id']}", "DELETE", token=TOKEN)
        assert status == 204
