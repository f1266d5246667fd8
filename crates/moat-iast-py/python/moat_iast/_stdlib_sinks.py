"""Sinks of the standard library: sqlite3 and the shell. Library sinks outside the
standard library live in `_library_sinks`."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from moat_iast import _sinks


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

    def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().execute(sql, *args)

    def executemany(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().executemany(sql, *args)

    def executescript(self, sql: Any) -> Any:  # type: ignore[override]
        _sinks.check("SQL_INJECTION", sql)
        return super().executescript(sql)


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


def _popen(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
    shell = kwargs.get("shell", rest[7] if len(rest) > 7 else False)
    if shell:
        _sinks.check("COMMAND_INJECTION", args)
        return
    # Without a shell, the request choosing the program is the injection.
    program = args[0] if isinstance(args, (list, tuple)) and args else args
    if _sinks.tainted(program):
        _sinks.check("COMMAND_INJECTION", program)


def _install_shell() -> None:
    import subprocess

    _sinks.wrap(os, "system", _shell_command, "os.system")
    _sinks.wrap(os, "popen", _shell_command, "os.popen")
    _sinks.wrap(subprocess.Popen, "__init__", _popen, "subprocess.Popen")


def install() -> None:
    """Hooks the standard library's sinks."""
    _install_sqlite()
    _install_shell()
