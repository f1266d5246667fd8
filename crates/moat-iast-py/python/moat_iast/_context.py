"""The taint context of the request being served, one per task or thread."""

from __future__ import annotations

import contextvars
from typing import Optional

from moat_iast._native import Context

_current: contextvars.ContextVar[Optional[Context]] = contextvars.ContextVar("moat_iast_context", default=None)


def current() -> Optional[Context]:
    """The context of the request being served, or None outside a request."""
    return _current.get()


def start() -> Context:
    """Opens a context for a new request and makes it current."""
    ctx = Context()
    _current.set(ctx)
    return ctx


def end() -> None:
    """Drops the current request's context and every reference it holds."""
    _current.set(None)
