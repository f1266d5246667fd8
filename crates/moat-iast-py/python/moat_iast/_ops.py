"""String operations the rewriter substitutes for the application's own: each computes
the result exactly as Python would, then tells the core how taint moves. Outside a
request, or with untainted inputs, the only cost is one context lookup."""

from __future__ import annotations

from typing import Any, Iterable

from moat_iast._context import current


def add(left: Any, right: Any) -> Any:
    result = left + right
    if type(result) is str:
        ctx = current()
        if ctx is not None:
            try:
                ctx.propagate_concat(result, left, right)
            except Exception:  # the agent never breaks the application
                pass
    return result


def format_value(value: Any, conversion: int, spec: str) -> str:
    """One `{value!r:spec}` of an f-string, formatted as Python formats it."""
    if conversion == 115:
        converted = str(value)
    elif conversion == 114:
        converted = repr(value)
    elif conversion == 97:
        converted = ascii(value)
    else:
        converted = value
    result = format(converted, spec)
    if type(value) is str and conversion in (-1, 115) and spec == "":
        ctx = current()
        if ctx is not None:
            try:
                ctx.propagate_same(result, value)
            except Exception:
                pass
    return result


def join_parts(parts: list) -> str:
    """An f-string assembled from its formatted pieces."""
    result = "".join(parts)
    ctx = current()
    if ctx is not None:
        try:
            ctx.propagate_parts(result, "", parts)
        except Exception:
            pass
    return result


def join(separator: Any, iterable: Iterable[Any]) -> Any:
    """`separator.join(iterable)`, for calls on any object that has `join`."""
    if type(separator) is not str:
        return separator.join(iterable)
    parts = list(iterable)
    result = separator.join(parts)
    ctx = current()
    if ctx is not None:
        try:
            ctx.propagate_parts(result, separator, parts)
        except Exception:
            pass
    return result
