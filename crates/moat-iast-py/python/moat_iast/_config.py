"""The agent's settings, read once from the environment (documented in docs/iast.md).

Every `MOAT_IAST_*` variable has a `DD_IAST_*` or `DD_*` twin where Datadog's agent has
one, so users migrating keep their settings; Moat's name wins when both are set.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from dataclasses import dataclass, field
from typing import Optional


def _env(name: str, *aliases: str) -> Optional[str]:
    for key in (name, *aliases):
        value = os.environ.get(key)
        if value is not None and value != "":
            return value
    return None


def _flag(value: Optional[str], default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _number(name: str, value: Optional[str], default: float, low: float, high: float) -> float:
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        print(f"moat-iast: {name}={value!r} is not a number; using {default}", file=sys.stderr)
        return default
    return min(max(number, low), high)


@dataclass(frozen=True)
class Config:
    """What the environment asked for."""

    enabled: bool = False
    output: Optional[str] = None
    service: Optional[str] = None
    env: Optional[str] = None
    server_url: Optional[str] = None
    api_key: Optional[str] = None
    # Percentage of requests analysed; the others run without any taint tracking.
    sampling: float = 100.0
    max_per_request: int = 10
    max_tainted: int = 10_000
    queue_size: int = 1000
    deduplicate: bool = True
    app_roots: list = field(default_factory=list)
    # The standard library and site-packages, never the application even when they sit
    # under an application root (a `./.venv` inside the project).
    library_dirs: list = field(default_factory=list)
    # Testing only: every sink check panics inside the Rust core, to prove fail-open.
    force_panic: bool = False


def load() -> Config:
    """Reads the settings from `os.environ`."""
    roots = _env("MOAT_IAST_APP_ROOTS")
    return Config(
        enabled=_flag(_env("MOAT_IAST_ENABLED", "DD_IAST_ENABLED"), False),
        output=_env("MOAT_IAST_OUTPUT"),
        service=_env("MOAT_IAST_SERVICE", "DD_SERVICE"),
        env=_env("MOAT_IAST_ENV", "DD_ENV"),
        server_url=_env("MOAT_IAST_SERVER_URL", "MOAT_SERVER"),
        api_key=_env("MOAT_IAST_API_KEY", "MOAT_API_KEY"),
        sampling=_number("MOAT_IAST_SAMPLING", _env("MOAT_IAST_SAMPLING", "DD_IAST_REQUEST_SAMPLING"), 100.0, 0.0, 100.0),
        max_per_request=int(
            _number("MOAT_IAST_MAX_PER_REQUEST", _env("MOAT_IAST_MAX_PER_REQUEST", "DD_IAST_VULNERABILITIES_PER_REQUEST"), 10, 1, 10_000)
        ),
        max_tainted=int(_number("MOAT_IAST_MAX_TAINTED", _env("MOAT_IAST_MAX_TAINTED"), 10_000, 100, 10_000_000)),
        queue_size=int(_number("MOAT_IAST_QUEUE_SIZE", _env("MOAT_IAST_QUEUE_SIZE"), 1000, 1, 1_000_000)),
        deduplicate=_flag(_env("MOAT_IAST_DEDUPLICATE", "DD_IAST_DEDUPLICATION_ENABLED"), True),
        force_panic=_flag(_env("MOAT_IAST_FORCE_PANIC"), False),
        library_dirs=library_dirs(),
        app_roots=[os.path.realpath(r) for r in (roots.split(os.pathsep) if roots else [os.getcwd()]) if r],
    )


def library_dirs() -> list:
    """Where the standard library and installed packages live, resolved."""
    dirs = set()
    for name in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(name)
        if path:
            dirs.add(os.path.realpath(path))
    for path in sys.path:
        if "site-packages" in path or "dist-packages" in path:
            dirs.add(os.path.realpath(path))
    return sorted(dirs)


def inside(path: str, dirs: list) -> bool:
    """Whether `path` is one of `dirs` or below one."""
    return any(path == d or path.startswith(d + os.sep) for d in dirs)


def is_application(path: str) -> bool:
    """Whether a resolved file path is the application's own code."""
    config = get()
    return inside(path, config.app_roots) and not inside(path, config.library_dirs)


_config: Optional[Config] = None


def get() -> Config:
    """The settings, read on first use."""
    global _config
    if _config is None:
        _config = load()
    return _config


def reset() -> None:
    """Forgets the settings so the next `get` reads the environment again (tests)."""
    global _config
    _config = None
