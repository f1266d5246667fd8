"""Where reports go: a bounded queue drained by a background thread, so a request never
waits for disk or network. With `MOAT_IAST_OUTPUT` set, one JSON object per line is
appended to that file; with `MOAT_IAST_SERVER_URL`, batches go to `moat serve`
(`_upload`)."""

from __future__ import annotations

import atexit
import json
import os
import queue
import sys
import threading
import time
from types import FrameType
from typing import Optional

from moat_iast import _config, _upload

_AGENT_DIR = os.path.dirname(os.path.realpath(__file__)) + os.sep


def app_frame(skip: int = 2) -> tuple[str, int]:
    """The innermost frame of application code: the caller of the sink."""
    frame: Optional[FrameType] = sys._getframe(skip)
    while frame is not None:
        raw = frame.f_code.co_filename
        # `<template>`, `<string>`: code compiled from text (Jinja, exec), not a file.
        if not raw.startswith("<"):
            filename = os.path.realpath(raw)
            if not filename.startswith(_AGENT_DIR) and _config.is_application(filename):
                return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def relative(path: str, roots: list[str]) -> str:
    """`path` relative to the application root that holds it."""
    for root in roots:
        if path.startswith(root + os.sep):
            return os.path.relpath(path, root)
    return path


class _Writer:
    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=_config.get().queue_size)
        self._seen: set = set()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None
        self._pid = os.getpid()
        self.dropped = 0
        self._warned = False

    def submit(self, line: str, hash_: str) -> bool:
        config = _config.get()
        if config.deduplicate:
            with self._lock:
                if hash_ in self._seen:
                    return False
                self._seen.add(hash_)
        self._ensure_thread()
        try:
            self._queue.put_nowait(line)
            return True
        except queue.Full:
            self.dropped += 1
            return False

    def _ensure_thread(self) -> None:
        # A forked worker (gunicorn) inherits the queue but not the thread.
        if self._thread is None or self._pid != os.getpid():
            with self._lock:
                if self._thread is None or self._pid != os.getpid():
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name="moat-iast-reporter", daemon=True)
                    self._thread.start()

    def _run(self) -> None:
        while True:
            upload = _upload.uploader()
            try:
                # Woken by a report, or when batches the server did not take are due.
                lines = [self._queue.get(timeout=upload.retry_in() if upload is not None else None)]
            except queue.Empty:
                lines = []
            while True:
                try:
                    lines.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._write(lines)
                if upload is not None:
                    upload.vulnerabilities([json.loads(line) for line in lines])
            except Exception as error:  # the thread must outlive any one batch
                if not self._warned:
                    self._warned = True
                    print(f"moat-iast: reports lost: {error}", file=sys.stderr)
            finally:
                for _ in lines:
                    self._queue.task_done()

    def _write(self, lines: list) -> None:
        path = _config.get().output
        if not path or not lines:
            return
        try:
            with open(path, "a", encoding="utf-8") as out:
                out.write("".join(line + "\n" for line in lines))
        except OSError as error:
            if not self._warned:
                self._warned = True
                print(f"moat-iast: cannot write {path}: {error}", file=sys.stderr)

    def flush(self, timeout: float = 5.0) -> None:
        """Waits until queued reports are written (at exit, and in tests). Polls rather
        than starting a thread: at interpreter shutdown no thread may start."""
        if self._thread is None or not self._thread.is_alive():
            return
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)


_writer = _Writer()
atexit.register(_writer.flush)


def emit(line: str) -> bool:
    """Queues one report line; False when it was a duplicate or the queue was full.
    Never raises into the application."""
    try:
        hash_ = json.loads(line).get("hash", line)
        return _writer.submit(line, hash_)
    except Exception:
        return False


def flush(timeout: float = 5.0) -> None:
    """Waits for queued reports to be written."""
    _writer.flush(timeout)
