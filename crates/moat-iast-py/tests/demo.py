"""Runs a demo app under `moat-iast run`, sends each labelled case's request over real
HTTP and matches the reports against the catalogue."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect case's response is the redirect itself; following it would send the
    # test to the attacker's host.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class Demo:
    """A demo app served by a real interpreter with the agent on."""

    def __init__(self, app_dir: Path, args: list[str], output: Path, env: dict | None = None,
                 wrapper: bool = True) -> None:
        self.app_dir = app_dir
        self.port = free_port()
        self.args = [a.replace("{port}", str(self.port)) for a in args]
        self.output = output
        self.env = env or {}
        # Without the `moat-iast run` wrapper, the environment alone must start the agent.
        self.wrapper = wrapper
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Demo":
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        env["MOAT_IAST_OUTPUT"] = str(self.output)
        env.update(self.env)
        # The server's output goes to a file: a pipe nobody reads would fill and stall it.
        self.log_path = self.output.with_suffix(".log")
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [*([str(BIN / "moat-iast"), "run"] if self.wrapper else []), sys.executable, *self.args],
            cwd=self.app_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.cases = json.loads(urllib.request.urlopen(self.base + "/__cases", timeout=2).read())
                return self
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.proc.kill()
                    self._log.close()
                    raise RuntimeError(self.log_path.read_text() or "app did not start")
                time.sleep(0.1)

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()
        self.log = self.log_path.read_text()

    def send(self, case: dict) -> tuple[int, bytes]:
        """Sends a case's request; returns the status and body, errors included."""
        url = self.base + case["path"]
        if case["params"]:
            url += "?" + urllib.parse.urlencode(case["params"], doseq=True)
        body = None
        headers = dict(case["headers"])
        if case["form"] is not None:
            body = urllib.parse.urlencode(case["form"], doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif case["json"] is not None:
            body = json.dumps(case["json"]).encode()
            headers["Content-Type"] = "application/json"
        elif case.get("files"):
            boundary = "moat-iast-demo-boundary"
            chunks = []
            for field, (filename, text) in case["files"].items():
                chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                              f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n{text}\r\n')
            body = ("".join(chunks) + f"--{boundary}--\r\n").encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif case["data"] is not None:
            body = case["data"].encode() if isinstance(case["data"], str) else case["data"]
        if case["cookies"]:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in case["cookies"].items())
        request = urllib.request.Request(url, data=body, headers=headers, method=case["method"])
        try:
            with _opener.open(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def reports(self) -> list[dict]:
        if not self.output.exists():
            return []
        return [json.loads(line) for line in self.output.read_text().splitlines() if line]

    def wait_for(self, predicate, timeout: float = 10.0) -> list[dict]:
        """Reports are written by a background thread: waits until `predicate` holds."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.reports()
            if predicate(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def check_catalogue(demo: Demo) -> None:
    """Sends every case, then asserts each vulnerable one is reported exactly where its
    `# report` line is, and that no report is left unexplained (no false positive)."""
    assert demo.cases, "the demo lists no cases"
    statuses = {}
    for case in demo.cases:
        statuses[case["name"]] = demo.send(case)[0]
    vulnerable = [c for c in demo.cases if c["vulnerable"]]
    expected = {(c["type"], c["path"]) for c in vulnerable}

    def seen(found: list[dict]) -> set:
        return {(r["type"], r.get("request", {}).get("path")) for r in found}

    # The writer keeps order: once every expected report is there, so is any stray one.
    found = demo.wait_for(lambda found: expected <= seen(found))
    problems = []
    by_key = {}
    for report in found:
        by_key.setdefault((report["type"], report.get("request", {}).get("path")), []).append(report)
    for case in vulnerable:
        got = by_key.get((case["type"], case["path"]), [])
        if not got:
            problems.append(f"missed {case['type']} at {case['path']} ({case['name']}, status {statuses[case['name']]})")
            continue
        where = {(r["location"]["path"], r["location"]["line"]) for r in got}
        if (case["file"], case["line"]) not in where:
            problems.append(f"{case['name']}: reported at {sorted(where)}, expected {case['file']}:{case['line']}")
    for (kind, path), reports in sorted(by_key.items(), key=str):
        if (kind, path) not in expected:
            locations = [(r["location"]["path"], r["location"]["line"]) for r in reports]
            problems.append(f"false positive: {kind} at {path} from {locations}")
    assert not problems, "\n".join(problems)
