"""Runtime SCA: which distributions the application has actually imported, so the
server can tell a vulnerable library that is loaded from one that only sits in a
lockfile. Reported at start (once the application has had time to import) and then
periodically whenever the set changed, to `MOAT_IAST_LIBRARIES_OUTPUT` as one JSON object
per line, and to `moat serve` when a server is set."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Optional

from moat_iast import _config, _upload


def _packages_distributions() -> dict:
    """Top-level import name to distribution names; `packages_distributions` itself
    only exists from Python 3.10."""
    from importlib import metadata

    if hasattr(metadata, "packages_distributions"):
        return metadata.packages_distributions()
    mapping: dict = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        tops = (dist.read_text("top_level.txt") or "").split()
        if not tops:
            tops = {str(f).split("/")[0].split(".")[0] for f in (dist.files or []) if str(f).endswith(".py")}
        for top in tops:
            mapping.setdefault(top, []).append(name)
    return mapping


def loaded() -> list[dict]:
    """The distributions that provide a module imported so far: name and version,
    sorted by name."""
    try:
        by_package = _packages_distributions()
    except Exception:
        return []
    names = set()
    for module in list(sys.modules):
        top = module.partition(".")[0]
        for dist in by_package.get(top, ()):
            names.add(dist)
    from importlib import metadata

    found = []
    for name in names:
        try:
            version = metadata.version(name)
        except Exception:
            continue
        found.append({"name": name, "version": version})
    return sorted(found, key=lambda d: d["name"].lower())


def record() -> dict:
    """One libraries report: the service, its environment and what it has loaded."""
    config = _config.get()
    return {
        "kind": "libraries",
        "service": config.service,
        "env": config.env,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "language": "python",
        "runtime": f"{sys.implementation.name} {sys.version.split()[0]}",
        "libraries": loaded(),
    }


def _write(path: str, report: dict) -> None:
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(report, separators=(",", ":")) + "\n")
    except OSError as error:
        print(f"moat-iast: cannot write {path}: {error}", file=sys.stderr)


def _run(path: Optional[str], first: float, interval: float) -> None:
    previous: Optional[list] = None
    time.sleep(first)
    while True:
        wait = interval
        try:
            report = record()
            if report["libraries"] != previous:
                previous = report["libraries"]
                if path:
                    _write(path, report)
                upload = _upload.uploader()
                if upload is not None and not upload.libraries(report["libraries"]):
                    previous = None  # sent again at the next round, sooner
                    wait = min(interval, 60.0)
        except Exception as error:  # the thread must outlive any one round
            print(f"moat-iast: libraries report failed: {error}", file=sys.stderr)
        time.sleep(wait)


def install() -> None:
    """Starts the reporting thread when `MOAT_IAST_LIBRARIES_OUTPUT` or a server is set."""
    path = os.environ.get("MOAT_IAST_LIBRARIES_OUTPUT")
    if not path and not _config.get().server_url:
        return
    first = float(os.environ.get("MOAT_IAST_LIBRARIES_DELAY", "5"))
    interval = max(float(os.environ.get("MOAT_IAST_LIBRARIES_INTERVAL", "3600")), 1.0)
    thread = threading.Thread(target=_run, args=(path, first, interval), name="moat-iast-libraries", daemon=True)
    thread.start()
