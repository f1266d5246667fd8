"""Reports sent to a server with the runtime protocol: batched, authenticated, sent again
with the same id when the server missed them, bounded while it is away, and from a real
application under `moat-iast run`."""

import json
import os
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from moat_iast import _config, _upload
from demo import Demo, free_port

APPS = Path(__file__).parent / "apps"

REPORT = {
    "type": "SQL_INJECTION",
    "location": {"path": "app.py", "line": 12},
    "request": {"method": "GET", "path": "/users"},
    "evidence": {"value": "SELECT * FROM users WHERE id = 1 OR 1=1", "parts": [{"value": "SELECT * FROM users WHERE id = "},
                 {"value": "1 OR 1=1", "source": {"origin": "parameter", "name": "id"}}]},
    "source": {"origin": "parameter", "name": "id"},
    "hash": "0123456789abcdef",
}


class Recorder:
    """A stand-in server: records each request and answers with the next status."""

    def __init__(self, statuses=()):
        self.requests = []
        self.statuses = list(statuses)
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append((self.path, dict(self.headers), json.loads(body)))
                status = recorder.statuses.pop(0) if recorder.statuses else 202
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error": "nope"}' if status >= 400 else b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def batches(self, key):
        return [body for path, _, body in self.requests if path == "/api/v1/runtime" and key in body]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def settings(monkeypatch):
    """Settings read again from the environment the test sets."""

    def apply(**env):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        _config.reset()
        _upload.reset()
        return _config.get()

    yield apply
    monkeypatch.undo()
    _config.reset()
    _upload.reset()


def test_a_batch_carries_the_protocol_fields_and_the_key(settings):
    server = Recorder()
    try:
        settings(MOAT_IAST_SERVER_URL=server.url + "/", MOAT_IAST_API_KEY="k-123", MOAT_IAST_SERVICE="shop", MOAT_IAST_ENV="staging")
        upload = _upload.uploader()
        upload.vulnerabilities([REPORT])
        [(path, headers, body)] = server.requests
        assert path == "/api/v1/runtime" and headers["Authorization"] == "Bearer k-123"
        assert headers["Content-Type"] == "application/json"
        assert body["version"] == 1 and body["service"] == "shop" and body["env"] == "staging"
        assert body["vulnerabilities"] == [REPORT] and len(body["batch_id"]) >= 16
        assert body["agent"]["name"] == "moat-iast" and body["agent"]["language"] == "python"
        assert upload.sent == 1 and upload.retry_in() is None
    finally:
        server.close()


def test_a_batch_the_server_missed_is_sent_again_with_the_same_id(settings):
    server = Recorder(statuses=[503])
    try:
        settings(MOAT_IAST_SERVER_URL=server.url, MOAT_IAST_SERVICE="shop")
        upload = _upload.uploader()
        upload.vulnerabilities([REPORT])
        wait = upload.retry_in()
        assert wait is not None and 0 < wait <= 1.0
        # Not due yet: a new report waits behind the first instead of overtaking it.
        upload.vulnerabilities([dict(REPORT, hash="second")])
        assert len(server.requests) == 1
        time.sleep(wait)
        upload.vulnerabilities([])
        first, again, second = (body for _, _, body in server.requests)
        assert again["batch_id"] == first["batch_id"] and again["vulnerabilities"] == [REPORT]
        assert second["vulnerabilities"][0]["hash"] == "second" and second["batch_id"] != first["batch_id"]
        assert upload.sent == 2 and upload.retry_in() is None
    finally:
        server.close()


def test_a_refused_key_drops_the_batch_and_says_so_once(settings, capsys):
    server = Recorder(statuses=[401, 401])
    try:
        settings(MOAT_IAST_SERVER_URL=server.url, MOAT_IAST_API_KEY="wrong")
        upload = _upload.uploader()
        upload.vulnerabilities([REPORT])
        upload.vulnerabilities([REPORT])
        assert len(server.requests) == 2 and upload.dropped == 2 and upload.retry_in() is None
        err = capsys.readouterr().err
        assert err.count("refused a batch with 401") == 1 and "MOAT_IAST_API_KEY" in err
    finally:
        server.close()


def test_the_backlog_is_bounded_while_the_server_is_away(settings, capsys):
    settings(MOAT_IAST_SERVER_URL=f"http://127.0.0.1:{free_port()}", MOAT_IAST_QUEUE_SIZE="5")
    upload = _upload.uploader()
    for batch in range(4):
        upload.vulnerabilities([dict(REPORT, hash=f"{batch}-{i}") for i in range(3)])
    # 12 reports, room for 5: whole batches go, oldest first.
    assert upload.dropped == 9 and upload.retry_in() is not None
    assert capsys.readouterr().err.count("cannot reach") == 1


def test_an_application_reports_to_the_server(tmp_path):
    server = Recorder()
    try:
        env = {"MOAT_IAST_SERVER_URL": server.url, "MOAT_IAST_API_KEY": "k", "MOAT_IAST_SERVICE": "demo",
               "MOAT_IAST_LIBRARIES_DELAY": "0"}
        with Demo(APPS / "flask_demo", ["-m", "flask", "--app", "app", "run", "--port", "{port}"], tmp_path / "reports.jsonl",
                  env=env) as demo:
            case = next(c for c in demo.cases if c["vulnerable"] and c["type"] == "SQL_INJECTION")
            demo.send(case)
            deadline = time.monotonic() + 10
            while not (server.batches("vulnerabilities") and server.batches("libraries")) and time.monotonic() < deadline:
                time.sleep(0.05)
            in_file = demo.reports()
        sent = [v for body in server.batches("vulnerabilities") for v in body["vulnerabilities"]]
        # The same reports as the file, for the service the settings name.
        assert sent and sent == in_file and sent[0]["type"] == "SQL_INJECTION"
        assert all(body["service"] == "demo" for _, _, body in server.requests)
        libraries = {lib["name"].lower() for lib in server.batches("libraries")[0]["libraries"]}
        assert "flask" in libraries
    finally:
        server.close()


def _moat() -> Path:
    """The `moat` binary scripts/test-agent builds (MOAT_BIN)."""
    return Path(os.environ.get("MOAT_BIN", Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/moat-target")) / "debug/moat"))


def _call(url, body=None, headers=None, cookie=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null"), response.headers


@pytest.mark.skipif(not _moat().exists(), reason="moat is not built (scripts/test-agent builds it)")
def test_the_server_files_an_applications_reports_under_its_service(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOAT_")}
    env["MOAT_ADMIN_PASSWORD"] = "correct horse battery staple"
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen([str(_moat()), "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", str(tmp_path / "data")],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _call(base + "/api/openapi.json")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((tmp_path / "server.log").read_text())
                time.sleep(0.1)
        _, headers = _call(base + "/api/v1/login", {"username": "admin", "password": env["MOAT_ADMIN_PASSWORD"]})
        cookie = headers["Set-Cookie"].split(";")[0]
        upload_key = _call(base + "/api/v1/api-keys", {"name": "agent", "scope": "upload"}, cookie=cookie)[0]["key"]
        agent = {"MOAT_IAST_SERVER_URL": base, "MOAT_IAST_API_KEY": upload_key, "MOAT_IAST_SERVICE": "demo-shop",
                 "MOAT_IAST_ENV": "staging", "MOAT_IAST_LIBRARIES_DELAY": "0"}
        with Demo(APPS / "flask_demo", ["-m", "flask", "--app", "app", "run", "--port", "{port}"], tmp_path / "reports.jsonl",
                  env=agent) as demo:
            case = next(c for c in demo.cases if c["vulnerable"] and c["type"] == "SQL_INJECTION")
            demo.send(case)
            deadline = time.monotonic() + 15
            while True:
                listed = _call(base + "/api/v1/vulnerabilities?kind=iast", cookie=cookie)[0]
                if listed["items"] or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            reported = demo.reports()
        [item] = listed["items"]
        assert item["kind"] == "iast" and item["severity"] in ("critical", "high") and item["status"] == "open"
        assert (item["path"], item["line"]) == (case["file"], case["line"]) == (reported[0]["location"]["path"], reported[0]["location"]["line"])
        services = _call(base + "/api/v1/repositories", cookie=cookie)[0]
        assert "demo-shop" in json.dumps(services)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
