"""Sinks of the standard library: sqlite3, the shell and the programs it starts.
Library sinks outside the standard library live in `_library_sinks`."""

from __future__ import annotations

import os
import sqlite3
import sys
from types import ModuleType
from typing import Any

from moat_iast import _context, _patches, _report, _sinks


class _Cursor(sqlite3.Cursor):
    def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().execute(sql, *args)

    def executemany(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().executemany(sql, *args)

    def executescript(self, sql: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().executescript(sql)


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    # What `sqlite3.Connection.execute` does, spelled out so the statement is checked
    # once, by the cursor: some versions' C code creates the cursor through `cursor()`
    # (ours) and others do not.
    def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        cursor = self.cursor()
        return cursor.execute(sql, *args)

    def executemany(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        cursor = self.cursor()
        return cursor.executemany(sql, *args)

    def executescript(self, sql: Any) -> Any:  # type: ignore[override]
        cursor = self.cursor()
        return cursor.executescript(sql)


def _install_sqlite() -> None:
    # sqlite3's types are C types that cannot be patched; a connection factory whose
    # cursors check their statements does the same job for every connection.
    original_connect = sqlite3.connect
    if getattr(original_connect, "__moat_iast_original__", None) is not None:
        return

    def connect(*args: Any, **kwargs: Any) -> Any:
        if "factory" not in kwargs and len(args) < 6:
            kwargs["factory"] = _Connection
        return original_connect(*args, **kwargs)

    connect.__moat_iast_original__ = original_connect  # type: ignore[attr-defined]
    sqlite3.connect = connect  # type: ignore[assignment]


def _shell_command(command: Any, *args: Any, **kwargs: Any) -> None:
    _sinks.check("COMMAND_INJECTION", command)


# Programs that run their `-c` argument as a shell command line.
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "busybox"})


def _program(program: Any, argv: Any) -> None:
    """A program run without a shell: the request choosing the program is the injection,
    and so is the command line of an explicit `sh -c`."""
    if _sinks.tainted(program):
        _sinks.check("COMMAND_INJECTION", program)
        return
    if type(program) not in (str, bytes) or not isinstance(argv, (list, tuple)):
        return
    if os.path.basename(os.fsdecode(program)) not in _SHELLS:
        return
    for option, command in zip(argv[1:], argv[2:]):
        text = os.fsdecode(option) if type(option) in (str, bytes) else ""
        if text.startswith("-") and not text.startswith("--") and "c" in text:
            _sinks.check("COMMAND_INJECTION", command)
            return


def _popen(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
    shell = kwargs.get("shell", rest[7] if len(rest) > 7 else False)
    if shell:
        _sinks.check("COMMAND_INJECTION", args)
        return
    if isinstance(args, (list, tuple)):
        _program(args[0] if args else None, args)
    else:
        _program(args, None)


def _called_by_os() -> bool:
    """Whether the hooked function was called by the `os` module itself: `spawnlp`
    calls `spawnvp`, which calls `execvp` in the child. The application's own call,
    the outermost, was checked already."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("moat_iast"):
        frame = frame.f_back
    return frame is not None and frame.f_globals.get("__name__") == "os"


def _program_call(vector: bool, environment: bool, leading: int) -> Any:
    """The hook of one `os.exec*` or `os.spawn*` function: `leading` arguments (the
    mode of `spawn*`) before the program, then a vector (`execv(path, args)`) or the
    arguments themselves (`execl(path, *args)`), then `env` for the `e` variants."""

    def before(*args: Any) -> None:
        if len(args) <= leading or _called_by_os():
            return
        file, rest = args[leading], args[leading + 1:]
        if vector:
            argv = rest[0] if rest else None
        else:
            argv = rest[:-1] if environment else rest
        request = _context.request()
        reported = request.reported if request is not None else 0
        _program(file, argv)
        # `exec*` replaces the process next: what was reported is written before it goes.
        if not leading and request is not None and request.reported > reported:
            _report.flush(2.0)

    return before


def _posix_spawn(path: Any, argv: Any = None, *rest: Any, **kwargs: Any) -> None:
    _program(path, argv)


def _asyncio(module: ModuleType) -> None:
    def shell(cmd: Any = None, *args: Any, **kwargs: Any) -> None:
        _sinks.check("COMMAND_INJECTION", cmd)

    def program(program: Any = None, *args: Any, **kwargs: Any) -> None:
        _program(program, (program, *args))

    for owner in (module, module.subprocess):
        _sinks.wrap(owner, "create_subprocess_shell", shell, "asyncio.create_subprocess_shell")
        _sinks.wrap(owner, "create_subprocess_exec", program, "asyncio.create_subprocess_exec")


def _install_shell() -> None:
    import subprocess

    _sinks.wrap(os, "system", _shell_command, "os.system")
    _sinks.wrap(os, "popen", _shell_command, "os.popen")
    _sinks.wrap(subprocess.Popen, "__init__", _popen, "subprocess.Popen")
    for name in ("posix_spawn", "posix_spawnp"):
        _sinks.wrap(os, name, _posix_spawn, f"os.{name}")
    for prefix, leading in (("exec", 0), ("spawn", 1)):
        for variant in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"):
            before = _program_call(variant[0] == "v", variant.endswith("e"), leading)
            _sinks.wrap(os, prefix + variant, before, f"os.{prefix}{variant}")
    _patches.when_imported("asyncio", _asyncio)


def install() -> None:
    """Hooks the standard library's sinks."""
    _install_sqlite()
    _install_shell()
