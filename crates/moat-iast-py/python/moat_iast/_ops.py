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


def _propagate(fn_name: str, *args: Any) -> None:
    ctx = current()
    if ctx is None:
        return
    try:
        getattr(ctx, fn_name)(*args)
    except Exception:  # the agent never breaks the application
        pass


def mod(left: Any, right: Any) -> Any:
    """`left % right`; for strings, taint is found again in the formatted result."""
    result = left % right
    if type(result) is str and current() is not None:
        if isinstance(right, tuple):
            inputs = [left, *right]
        elif isinstance(right, dict):
            inputs = [left, *right.values()]
        else:
            inputs = [left, right]
        _propagate("propagate_found", result, inputs)
    return result


def slice_of(value: Any, lower: Any, upper: Any, step: Any) -> Any:
    """`value[lower:upper:step]`."""
    key = slice(lower, upper, step)
    result = value[key]
    if type(value) is str and current() is not None:
        start, stop, stride = key.indices(len(value))
        if stride == 1:
            _propagate("propagate_slice", result, value, start, max(start, stop))
        else:
            _propagate("propagate_found", result, [value])
    return result


_CASE = frozenset({"upper", "lower", "casefold", "title", "capitalize", "swapcase"})
# Methods whose results are pieces of the string, in order: taint follows by position.
_PIECES = frozenset(
    {"strip", "lstrip", "rstrip", "removeprefix", "removesuffix", "split", "rsplit", "splitlines",
     "partition", "rpartition"}
)
# Methods that build new text: tainted runs are found again in the result.
_FOUND = frozenset({"format", "format_map", "replace", "center", "ljust", "rjust", "zfill", "expandtabs"})
METHODS = _CASE | _PIECES | _FOUND


def method(obj: Any, name: str, args: list, kwargs: dict) -> Any:
    """`obj.name(*args, **kwargs)`, with taint carried when `obj` is a str."""
    result = getattr(obj, name)(*args, **kwargs)
    if type(obj) is not str or current() is None:
        return result
    if name in _PIECES:
        pieces = result if isinstance(result, (list, tuple)) else [result]
        cursor = 0
        for piece in pieces:
            if type(piece) is not str or not piece:
                continue
            at = obj.find(piece, cursor)
            if at >= 0:
                _propagate("propagate_slice", piece, obj, at, at + len(piece))
                cursor = at + len(piece)
        return result
    if name == "replace" and len(args) == 2 and not kwargs:
        _propagate("propagate_replace", result, obj, args[0], args[1])
        return result
    inputs = [obj, *args, *kwargs.values()]
    if isinstance(result, (list, tuple)):
        for item in result:
            if type(item) is str:
                _propagate("propagate_found", item, inputs)
    elif type(result) is str:
        if name in _CASE:
            _propagate("propagate_case", result, obj)
        else:
            _propagate("propagate_found", result, inputs)
    return result
