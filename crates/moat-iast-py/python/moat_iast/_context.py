"""The request being served, one per task or thread: its taint context and what the
reports need to know about it."""

from __future__ import annotations

import contextvars
import random
from typing import Any, Optional

from moat_iast import _config
from moat_iast._native import Context

_current: contextvars.ContextVar[Optional[Context]] = contextvars.ContextVar("moat_iast_context", default=None)
_request: contextvars.ContextVar[Optional["Request"]] = contextvars.ContextVar("moat_iast_request", default=None)


class Request:
    """What reports say about the request, and how many it has made so far."""

    __slots__ = ("method", "route", "reported", "view", "extra")

    def __init__(self, method: Optional[str], route: Optional[str]) -> None:
        self.method = method
        self.route = route
        self.reported = 0
        # The view function serving the request, for checks of the response as a whole.
        self.view: Any = None
        self.extra: dict = {}


def current() -> Optional[Context]:
    """The context of the request being served, or None outside a request."""
    return _current.get()


def request() -> Optional[Request]:
    """The request being served, or None outside one (or when it is not sampled)."""
    return _request.get()


def start(method: Optional[str] = None, route: Optional[str] = None) -> Optional[Context]:
    """Opens a context for a new request and makes it current; None when sampling
    leaves this request out, so it runs without any tracking."""
    config = _config.get()
    if config.sampling < 100.0 and random.random() * 100.0 >= config.sampling:
        _current.set(None)
        _request.set(None)
        return None
    ctx = Context(config.max_tainted)
    _current.set(ctx)
    _request.set(Request(method, route))
    return ctx


def end() -> None:
    """Drops the current request's context and every reference it holds."""
    _current.set(None)
    _request.set(None)
