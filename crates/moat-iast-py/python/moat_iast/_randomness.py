"""Weak randomness: values of the `random` module (a Mersenne Twister, predictable from
624 outputs) that end up in a cookie, the session, a token header or a password.

Numbers cannot carry taint marks the way strings do (small ints are shared objects, and
a token is usually built from many draws), so the agent remembers, per thread, the
recent outputs the application drew from `random`, and a sink checks whether its text
contains one of them in a form code usually writes (decimal, hex, the characters of
`choice`/`choices`/`sample` in order). Only draws made directly by application code
count; only text long enough to be a token is matched.
"""

from __future__ import annotations

import os
import random
import sys
import threading
from collections import deque
from typing import Any, Optional

from moat_iast import _config, _sinks

# The shortest text taken as evidence of a random value inside a sink's value.
_MIN_MATCH = 6
_local = threading.local()
_FUNCTIONS = ("random", "uniform", "randint", "randrange", "getrandbits", "choice", "choices", "sample",
              "randbytes", "triangular", "gauss", "normalvariate", "betavariate", "expovariate")


def _state() -> tuple:
    state = getattr(_local, "state", None)
    if state is None:
        # Recent textual forms of drawn numbers, and the characters drawn one by one.
        state = (deque(maxlen=256), [""])
        _local.state = state
    return state


def _from_application() -> bool:
    # Two frames up: past this module's wrapper, the caller of `random.x()`.
    frame = sys._getframe(2)
    filename = frame.f_code.co_filename
    roots = _config.get().app_roots
    return any(filename.startswith(root + os.sep) for root in roots) and os.sep + "moat_iast" + os.sep not in filename


def _remember(name: str, result: Any) -> None:
    forms, chars = _state()
    if isinstance(result, bool):
        return
    if isinstance(result, int):
        for form in (str(result), format(result, "x"), format(result, "X")):
            if len(form) >= _MIN_MATCH:
                forms.append((form, name))
    elif isinstance(result, float):
        text = repr(result)
        digits = text.split(".", 1)[-1] if "." in text else text
        if len(digits) >= _MIN_MATCH:
            forms.append((digits, name))
    elif isinstance(result, str):
        # `choice` over a string: single characters, recorded as one running stream.
        chars[0] = (chars[0] + result)[-512:]
    elif isinstance(result, (bytes, bytearray)):
        for form in (result.hex(),):
            if len(form) >= _MIN_MATCH:
                forms.append((form, name))
    elif isinstance(result, list) and all(isinstance(item, str) for item in result):
        joined = "".join(result)
        if len(joined) >= _MIN_MATCH:
            forms.append((joined, name))
        chars[0] = (chars[0] + joined)[-512:]


def _wrap(name: str) -> None:
    original = getattr(random, name, None)
    if original is None or getattr(original, "__moat_iast_original__", None) is not None:
        return

    def drawn(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        try:
            if _from_application():
                _remember(name, result)
        except Exception:  # the agent never breaks the application
            pass
        return result

    drawn.__moat_iast_original__ = original  # type: ignore[attr-defined]
    drawn.__name__ = name
    drawn.__doc__ = original.__doc__
    setattr(random, name, drawn)


def source_of(value: Any) -> Optional[str]:
    """The `random` function whose output `value` contains, or None."""
    if type(value) is bytes:
        value = value.decode("latin-1")
    if type(value) is not str or len(value) < _MIN_MATCH:
        return None
    state = getattr(_local, "state", None)
    if state is None:
        return None
    forms, chars = state
    for form, name in reversed(forms):
        if form in value:
            return name
    stream = chars[0]
    if len(stream) >= _MIN_MATCH:
        # A run of at least _MIN_MATCH characters of the value drawn in order by `choice`.
        for start in range(0, len(value) - _MIN_MATCH + 1):
            if value[start:start + _MIN_MATCH] in stream:
                return "choice"
    return None


def check(value: Any, what: str, location: Optional[tuple] = None) -> None:
    """Reports WEAK_RANDOMNESS when `value` (a cookie, session value, token or password
    about to be used; `what` says which) holds output of the `random` module."""
    try:
        name = source_of(value)
    except Exception:
        return
    if name is not None:
        _sinks.report_plain("WEAK_RANDOMNESS", f"random.{name}() output used as {what}", location=location)


def install() -> None:
    """Watches the `random` module's functions (not `SystemRandom` or `secrets`)."""
    for name in _FUNCTIONS:
        _wrap(name)
