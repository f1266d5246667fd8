"""Where reports go: one JSON object per line appended to `MOAT_IAST_OUTPUT`."""

from __future__ import annotations

import os
import sys
import threading
from types import FrameType
from typing import Optional

_lock = threading.Lock()
_warned = False


def app_frame(roots: list[str], skip: int = 2) -> tuple[str, int]:
    """The innermost frame of application code: the caller of the sink."""
    frame: Optional[FrameType] = sys._getframe(skip)
    while frame is not None:
        filename = os.path.realpath(frame.f_code.co_filename)
        in_agent = os.sep + "moat_iast" + os.sep in filename
        if not in_agent and any(filename.startswith(root + os.sep) for root in roots):
            return filename, frame.f_lineno
        frame = frame.f_back
    return "<unknown>", 0


def emit(line: str) -> None:
    """Appends one report; never raises into the application."""
    global _warned
    path = os.environ.get("MOAT_IAST_OUTPUT")
    if not path:
        return
    try:
        with _lock, open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    except OSError as error:
        if not _warned:
            _warned = True
            print(f"moat-iast: cannot write {path}: {error}", file=sys.stderr)
