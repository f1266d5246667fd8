"""Flask/Werkzeug sources and the sqlite3 sink, installed when those modules are used."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from moat_iast import _context, _report

_ROOTS: list[str] = []


def _taint_multidict(data: Any, kind: str) -> Any:
    ctx = _context.current()
    if ctx is None:
        return data
    for key, values in data.lists():
        for value in values:
            if type(value) is str:
                ctx.taint(value, kind, key)
    return data


def _wrap_cached(cls: type, name: str, kind: str) -> None:
    original = cls.__dict__.get(name)
    # werkzeug's cached_property is a property (`fget`); functools' has `func`.
    func = getattr(original, "fget", None) or getattr(original, "func", None)
    if func is None:
        return

    def compute(self: Any) -> Any:
        return _taint_multidict(func(self), kind)

    # werkzeug's cached_property stores the value in the instance dict under the name.
    prop = type(original)(compute, name)
    cls_setattr = type.__setattr__
    cls_setattr(cls, name, prop)


def _request_info() -> tuple[Any, Any]:
    try:
        from flask import has_request_context, request

        if has_request_context():
            return request.method, request.path
    except Exception:
        pass
    return None, None


def _check(sink: str, value: Any) -> None:
    """Asks the core whether tainted text makes this sink call vulnerable; reports if so."""
    ctx = _context.current()
    if ctx is None or type(value) is not str or not ctx.is_tainted(value):
        return
    try:
        path, line = _report.app_frame(_ROOTS)
        method, request_path = _request_info()
        where = os.path.relpath(path, _ROOTS[0]) if _ROOTS and path.startswith(_ROOTS[0]) else path
        report = ctx.report(sink, value, where, line, method, request_path)
        if report is not None:
            _report.emit(report)
    except Exception:
        pass



class _Cursor(sqlite3.Cursor):
    def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _check("sql", sql)
        return super().execute(sql, *args)


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:  # type: ignore[override]
        return super().cursor(factory)

    def execute(self, sql: Any, *args: Any) -> Any:  # type: ignore[override]
        _check("sql", sql)
        return super().execute(sql, *args)


def _install_shell() -> None:
    import subprocess

    original_system = os.system

    def system(command: Any) -> int:
        _check("shell", command)
        return original_system(command)

    os.system = system

    original_popen_init = subprocess.Popen.__init__

    def popen_init(self: Any, args: Any, *rest: Any, **kwargs: Any) -> None:
        if kwargs.get("shell"):
            _check("shell", args)
        original_popen_init(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = popen_init  # type: ignore[method-assign]


def install(roots: list[str]) -> None:
    """Patches Werkzeug's request data, Flask's request cycle, sqlite3 and shell calls."""
    _ROOTS[:] = roots
    _install_shell()
    original_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("factory", _Connection)
        return original_connect(*args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]

    try:
        from werkzeug.sansio.request import Request as SansioRequest
        from werkzeug.wrappers.request import Request as WsgiRequest
        import flask
    except ImportError:
        return
    _wrap_cached(SansioRequest, "args", "parameter")
    _wrap_cached(WsgiRequest, "form", "parameter")

    original_wsgi_app = flask.Flask.wsgi_app

    def wsgi_app(self: Any, environ: Any, start_response: Any) -> Any:
        _context.start()
        try:
            return original_wsgi_app(self, environ, start_response)
        finally:
            _context.end()

    flask.Flask.wsgi_app = wsgi_app  # type: ignore[method-assign]
