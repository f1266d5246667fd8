"""Reports sent to `moat serve` with the runtime protocol, version 1 (docs/server.md):
`POST /api/v1/runtime` with a batch of vulnerabilities, or the libraries loaded now.

Only the agent's background threads call this, never a request. A batch keeps its id
until the server has it, so a batch sent again after a lost answer changes nothing
there. While the server is away, batches wait in a bounded backlog (the oldest dropped
first) and are retried with a growing delay; a refusal that sending again cannot fix (a
wrong key, a malformed batch) drops the batch and says why once on stderr."""

from __future__ import annotations

import collections
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Deque, List, Optional, Tuple

from moat_iast import _config

PROTOCOL_VERSION = 1
_TIMEOUT = 10.0
_MAX_DELAY = 60.0


def service_name(config: _config.Config) -> str:
    """The configured service, else the application's directory name: the server
    files runtime findings under a service."""
    if config.service:
        return config.service
    root = config.app_roots[0] if config.app_roots else os.getcwd()
    return os.path.basename(root.rstrip(os.sep)) or "python-service"


def _agent() -> dict:
    from moat_iast import _native

    return {
        "name": "moat-iast",
        "version": _native.__version__,
        "language": "python",
        "runtime": f"{sys.implementation.name} {sys.version.split()[0]}",
    }


class Uploader:
    """One server's batches: sent in order, retried, bounded."""

    def __init__(self, url: str, api_key: Optional[str], limit: int) -> None:
        self._endpoint = url.rstrip("/") + "/api/v1/runtime"
        self._api_key = api_key
        # Reports waiting (each batch with its id), at most `limit` reports in all.
        self._backlog: Deque[Tuple[str, List[Any]]] = collections.deque()
        self._waiting = 0
        self._limit = max(limit, 1)
        self._delay = 0.0
        self._next_try = 0.0
        self._lock = threading.Lock()
        self.dropped = 0
        self.sent = 0
        self._warned: set = set()

    def retry_in(self) -> Optional[float]:
        """Seconds until waiting batches should be tried again; None when none waits."""
        with self._lock:
            if not self._backlog:
                return None
            return max(self._next_try - time.monotonic(), 0.0)

    def vulnerabilities(self, reports: List[Any]) -> None:
        """Queues a batch of reports (parsed `MOAT_IAST_OUTPUT` objects) and sends
        what waits, unless the server asked to wait."""
        with self._lock:
            if reports:
                self._backlog.append((uuid.uuid4().hex, list(reports)))
                self._waiting += len(reports)
            while self._waiting > self._limit and self._backlog:
                _, dropped = self._backlog.popleft()
                self._waiting -= len(dropped)
                self.dropped += len(dropped)
        self._drain()

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._backlog or time.monotonic() < self._next_try:
                    return
                batch_id, reports = self._backlog[0]
            outcome = self._post({"batch_id": batch_id, "vulnerabilities": reports})
            with self._lock:
                if outcome == "retry":
                    self._delay = min(max(self._delay * 2, 1.0), _MAX_DELAY)
                    self._next_try = time.monotonic() + self._delay
                    return
                self._delay = 0.0
                if self._backlog and self._backlog[0][0] == batch_id:
                    self._backlog.popleft()
                    self._waiting -= len(reports)
                    if outcome == "sent":
                        self.sent += len(reports)
                    else:
                        self.dropped += len(reports)

    def libraries(self, libraries: List[dict]) -> bool:
        """Sends the set of loaded libraries now; whether the server has it."""
        return self._post({"batch_id": uuid.uuid4().hex, "libraries": libraries}) == "sent"

    def _post(self, fields: dict) -> str:
        """"sent", "retry" (the server is away or busy) or "refused"."""
        config = _config.get()
        batch = {"version": PROTOCOL_VERSION, "service": service_name(config), "env": config.env, "agent": _agent(), **fields}
        headers = {"Content-Type": "application/json", "User-Agent": "moat-iast"}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        body = json.dumps(batch, separators=(",", ":")).encode()
        request = urllib.request.Request(self._endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                response.read()
            return "sent"
        except urllib.error.HTTPError as error:
            if error.code in (408, 425, 429) or error.code >= 500:
                self._warn("busy", f"{self._endpoint} answered {error.code}; retrying")
                return "retry"
            detail = error.read(500).decode("utf-8", "replace").strip()
            hint = " (check MOAT_IAST_API_KEY: an upload or admin key)" if error.code in (401, 403) else ""
            self._warn(f"refused {error.code}", f"{self._endpoint} refused a batch with {error.code}{hint}: {detail}")
            return "refused"
        except (OSError, ValueError) as error:
            self._warn("away", f"cannot reach {self._endpoint}: {error}; retrying")
            return "retry"

    def _warn(self, kind: str, message: str) -> None:
        if kind not in self._warned:
            self._warned.add(kind)
            print(f"moat-iast: {message} (reported once)", file=sys.stderr)


_uploader: Optional[Uploader] = None
_uploader_lock = threading.Lock()


def uploader() -> Optional[Uploader]:
    """The configured server's uploader, or None when no server is set."""
    global _uploader
    config = _config.get()
    if not config.server_url:
        return None
    with _uploader_lock:
        if _uploader is None:
            _uploader = Uploader(config.server_url, config.api_key, config.queue_size)
        return _uploader


def reset() -> None:
    """Forgets the uploader so the next one reads the settings again (tests)."""
    global _uploader
    with _uploader_lock:
        _uploader = None
