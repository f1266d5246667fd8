"""A real Flask app under `moat-iast run`, real HTTP requests, and what it reports."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

APP = Path(__file__).parent / "apps" / "flask_sql"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def served(tmp_path):
    output = tmp_path / "iast.jsonl"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["MOAT_IAST_OUTPUT"] = str(output)
    proc = subprocess.Popen(
        # Served by `flask run`, which imports the app as users run it; the import is
        # what lets the agent rewrite the module.
        [str(BIN / "moat-iast"), "run", sys.executable, "-m", "flask", "--app", "app", "run", "--port", str(port)],
        cwd=APP, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(base + "/safe-parameter?id=1", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(proc.stderr.read() if proc.stderr else "app did not start")
            time.sleep(0.1)

    def get(path: str, **params: str) -> dict:
        url = f"{base}{path}?{urllib.parse.urlencode(params)}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())

    def reports() -> list:
        if not output.exists():
            return []
        return [json.loads(line) for line in output.read_text().splitlines()]

    yield get, reports
    proc.terminate()
    proc.wait(timeout=10)


def line_of(text: str) -> int:
    source = (APP / "app.py").read_text().splitlines()
    return next(i for i, line in enumerate(source, 1) if text in line)


def test_sql_injection_is_reported_with_file_line_and_request(served):
    get, reports = served
    assert get("/vulnerable", id="1 OR 1=1")["rows"] == [["alice"], ["bob"]]
    found = reports()
    assert len(found) == 1, found
    report = found[0]
    assert report["type"] == "SQL_INJECTION"
    assert report["location"] == {"path": "app.py", "line": line_of('"SELECT name FROM users WHERE id = " + user_id')}
    assert report["request"] == {"method": "GET", "path": "/vulnerable"}
    assert report["source"] == {"kind": "parameter", "name": "id"}
    assert report["evidence"]["parts"][1]["value"] == "1 OR 1=1"
    assert len(report["hash"]) == 16


def test_fstring_breakout_through_a_cursor_is_reported(served):
    get, reports = served
    get("/vulnerable-fstring", name="x' OR '1'='1")
    found = reports()
    assert [r["location"]["line"] for r in found] == [line_of('cursor.execute(f"SELECT id')]


def test_safe_endpoints_and_harmless_values_are_silent(served):
    get, reports = served
    assert get("/safe-parameter", id="1 OR 1=1")["rows"] == []
    assert get("/safe-quoted", name="x' OR '1'='1")["rows"] == []
    assert get("/vulnerable", id="2")["rows"] == [["bob"]]
    assert reports() == []


def test_command_injection_through_a_shell(served):
    get, reports = served
    get("/ping", host="example.com; id")
    found = reports()
    assert [(r["type"], r["location"]["line"]) for r in found] == [
        ("COMMAND_INJECTION", line_of('subprocess.call("echo ping " + host'))
    ]
    assert found[0]["source"] == {"kind": "parameter", "name": "host"}


def test_plain_or_quoted_shell_arguments_are_silent(served):
    get, reports = served
    get("/ping", host="example.com")
    get("/ping-quoted", host="example.com; id")
    assert reports() == []
