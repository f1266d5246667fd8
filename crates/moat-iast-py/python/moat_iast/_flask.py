"""Flask and Werkzeug: the request cycle opens a taint context, and request data is
tainted where Werkzeug parses it."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from moat_iast import _context


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
    type.__setattr__(cls, name, prop)


def install(flask: ModuleType) -> None:
    """Patches Werkzeug's request data and Flask's request cycle."""
    from werkzeug.sansio.request import Request as SansioRequest
    from werkzeug.wrappers.request import Request as WsgiRequest

    _wrap_cached(SansioRequest, "args", "parameter")
    _wrap_cached(WsgiRequest, "form", "parameter")

    original_wsgi_app = flask.Flask.wsgi_app

    def wsgi_app(self: Any, environ: Any, start_response: Any) -> Any:
        _context.start(environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
        try:
            return original_wsgi_app(self, environ, start_response)
        finally:
            _context.end()

    flask.Flask.wsgi_app = wsgi_app  # type: ignore[method-assign]
