"""What every sink hook calls: ask the core whether tainted data reaching the sink is
exploitable, report it with the application frame and the request, and never let an
agent error reach the application."""

from __future__ import annotations

import functools
import os
import re
import sys
from types import FunctionType
from typing import Any, Callable, Optional, TypeVar

from moat_iast import _config, _context, _native, _report

F = TypeVar("F", bound=Callable[..., Any])

_disabled: set = set()
_current = _context._current.get
_may_carry = _native.may_carry_args
_TEXT = (str, bytes)


def _location(skip: int) -> tuple[str, int]:
    roots = _config.get().app_roots
    path, line = _report.app_frame(skip)
    return _report.relative(path, roots), line


def _room(request: Optional[_context.Request]) -> bool:
    return request is None or request.reported < _config.get().max_per_request


# (type, path, line) already reported: with deduplication on, a check that would only
# repeat one of them stops before building the report (a page without HSTS is checked
# on every request).
_reported: set = set()


def _seen(kind: str, path: str, line: int) -> bool:
    return (kind, path, line) in _reported and _config.get().deduplicate


def seen(kind: str, location: tuple) -> bool:
    """Whether a report of `kind` at `location` was made and would only be repeated:
    a check can skip its work."""
    return _seen(kind, location[0], location[1])


def _counted(request: Optional[_context.Request], line: Optional[str], key: tuple) -> None:
    if line is not None and _report.emit(line):
        _reported.add(key)
        if request is not None:
            request.reported += 1


def _failed(error: BaseException) -> None:
    """Turns every check off after an internal error, logged once: the application
    keeps running unobserved rather than risk a second failure."""
    if isinstance(error, (KeyboardInterrupt, SystemExit)):
        raise error
    if "checks" not in _disabled:
        _disabled.add("checks")
        print(f"moat-iast: internal error in a sink check, checks turned off: {error!r}", file=sys.stderr)


def check(kind: str, value: Any, skip: int = 1, location: Optional[tuple[str, int]] = None) -> bool:
    """Reports `kind` (an interface name such as `SQL_INJECTION`) when tainted text in
    `value` makes this sink call exploitable, at the calling application frame or at
    `location` when the caller knows better. True when it is exploitable (reported now
    or already). Cheap when nothing is tainted; `str` subclasses count (Django's
    `SafeString`, `Markup`)."""
    ctx = _context.current()
    if ctx is None or not isinstance(value, _TEXT) or "checks" in _disabled:
        return False
    try:
        if _config.get().force_panic:
            _native._raise_panic_for_tests()
        if not ctx.is_tainted(value):
            return False
        request = _context.request()
        if not _room(request):
            return False
        path, line = location if location is not None else _location(skip)
        if path == "<unknown>":
            return False  # no application code on the stack: nothing to point the user at
        if _seen(kind, path, line):
            return True
        method, route = (request.method, request.route) if request is not None else (None, None)
        report = ctx.report(kind, value, path, line, method, route)
        _counted(request, report, (kind, path, line))
        return report is not None
    except BaseException as error:  # noqa: BLE001 - a Rust panic arrives as a BaseException
        _failed(error)
        return False


def check_any(kind: str, values: Any, skip: int = 1) -> None:
    """`check` for each str or bytes among `values` (arguments of one call)."""
    for value in values:
        if isinstance(value, _TEXT):
            check(kind, value, skip)


def tainted(value: Any) -> bool:
    """Whether `value` holds request data in the current request."""
    ctx = _context.current()
    return ctx is not None and isinstance(value, _TEXT) and ctx.is_tainted(value)


def report_plain(kind: str, evidence: str, skip: int = 1, location: Optional[tuple[str, int]] = None) -> None:
    """Reports a check that follows no data flow (`WEAK_HASH`, `INSECURE_COOKIE`...) at
    the calling application frame, or at `location` when the caller knows better."""
    request = _context.request()
    if not _room(request) or "checks" in _disabled:
        return
    try:
        if _config.get().force_panic:
            _native._raise_panic_for_tests()
        path, line = location if location is not None else _location(skip)
        if path == "<unknown>" or _seen(kind, path, line):
            return
        method, route = (request.method, request.route) if request is not None else (None, None)
        _counted(request, _native.report_plain(kind, evidence, path, line, method, route), (kind, path, line))
    except BaseException as error:  # noqa: BLE001 - a Rust panic arrives as a BaseException
        _failed(error)


def cookie_set(name: str, value: Any, secure: Any, httponly: Any, samesite: Any, location: tuple) -> None:
    """The checks of a cookie the application sets, whatever the framework: a value
    drawn from `random`, and each missing flag (`SameSite=None` counts as missing)."""
    from moat_iast import _randomness

    _randomness.check(value, f"cookie {name!r}", location)
    if not secure:
        report_plain("INSECURE_COOKIE", name, location=location)
    if not httponly:
        report_plain("NO_HTTPONLY_COOKIE", name, location=location)
    if not samesite or str(samesite).lower() == "none":
        report_plain("NO_SAMESITE_COOKIE", name, location=location)


_MAX_AGE = re.compile(r"max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def security_headers(header: Callable[[str], Any], location: tuple, hsts_expected: bool = True) -> None:
    """The headers an HTML response should carry, read with `header(name)`: HSTS with
    a non-zero max-age (when the framework would send it at all) and
    `X-Content-Type-Options: nosniff`. Once both findings of `location` are reported
    (and deduplicated), checking each response again would only cost time."""
    if seen("HSTS_HEADER_MISSING", location) and seen("XCONTENTTYPE_HEADER_MISSING", location):
        return
    if hsts_expected:
        hsts = header("Strict-Transport-Security")
        max_age = _MAX_AGE.search(hsts) if isinstance(hsts, str) else None
        if max_age is None or int(max_age.group(1)) == 0:
            evidence = f"Strict-Transport-Security: {hsts}" if hsts else "no Strict-Transport-Security header"
            report_plain("HSTS_HEADER_MISSING", evidence, location=location)
    options = header("X-Content-Type-Options")
    if str(options or "").strip().lower() != "nosniff":
        evidence = f"X-Content-Type-Options: {options}" if options else "no X-Content-Type-Options header"
        report_plain("XCONTENTTYPE_HEADER_MISSING", evidence, location=location)


def core_wrapper(original: Any, hook: Callable[..., Any], when: str, native: bool, **options: Any) -> Optional[Any]:
    """The core's wrapper (`_native.Hooked`, no Python frame on the untainted path) for
    `original` with `hook` run `when` ("before" or "after"): joined into `original`
    when it already is one with that place free, new for builtins and with `native`
    (hooks on the hottest paths). None for other Python functions, which keep a Python
    wrapper: frameworks copy functions by `inspect.isfunction` (Django's managers)."""
    if isinstance(original, _native.Hooked):
        joined = original.joined(hook, when, **options)
        if joined is not None:
            return functools.update_wrapper(joined, original)
    elif not native and isinstance(original, FunctionType):
        return None
    return functools.update_wrapper(_native.Hooked(original, hook, _current, when, **options), original)


def code_location(func: Any) -> Optional[tuple[str, int]]:
    """The application file and first line of a function (a view), when it is the
    application's."""
    code = getattr(func, "__code__", None)
    if code is None:
        code = getattr(getattr(func, "__wrapped__", None), "__code__", None)
    if code is None:
        return None
    roots = _config.get().app_roots
    path = os.path.realpath(code.co_filename)
    if not any(path.startswith(root + os.sep) for root in roots):
        return None
    return _report.relative(path, roots), def_line(code)


def def_line(code: Any) -> int:
    """The `def` line of a function: `co_firstlineno` is its first decorator's."""
    import linecache

    line = code.co_firstlineno
    for offset in range(50):
        text = linecache.getline(code.co_filename, line + offset).lstrip()
        if not text:
            break
        if text.startswith(("def ", "async def ")):
            return line + offset
    return line


def mark_secure(result: Any, value: Any, kinds: tuple) -> None:
    """`result` is `value` sanitised for `kinds`: keeps its taint, safe for those."""
    ctx = _context.current()
    if ctx is None:
        return
    try:
        ctx.mark_secure(result, value, list(kinds))
    except Exception:
        pass


def hook(name: str) -> Callable[[F], F]:
    """Makes an agent hook fail open: an error inside it (or a Rust panic, which
    surfaces as a `BaseException`) disables that hook, is logged once, and the
    application never sees it. The hook body must not call the original function:
    the wrapper returns what the hook returned, and hooks do the original call outside
    (see `wrap`)."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if name in _disabled:
                return None
            try:
                return fn(*args, **kwargs)
            except BaseException as error:  # noqa: BLE001 - a PyO3 panic is a BaseException
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                _disabled.add(name)
                print(f"moat-iast: the {name} hook failed and was turned off: {error!r}", file=sys.stderr)
                return None

        return guarded  # type: ignore[return-value]

    return decorate


def wrap(
    owner: Any,
    attr: str,
    before: Callable[..., Any],
    name: Optional[str] = None,
    always: bool = False,
    tainted_only: bool = False,
    native: bool = False,
) -> None:
    """Replaces `owner.attr` by a function that runs `before(*args, **kwargs)` as a
    fail-open hook, then the original with the same arguments. The hook runs only inside
    an analysed request unless `always` (checks that need no taint, like weak hashing).
    Hooks of different areas on the same function layer, each once: installing the
    same `name` again does nothing. Does nothing when `owner` has no such attribute.
    With `tainted_only`, for method hooks that only follow data flow, the hook is
    skipped when no argument after `self` may hold request data (the untainted fast
    path). See `core_wrapper` for when the wrapper is the core's."""
    original = getattr(owner, attr, None)
    name = name or f"{getattr(owner, '__name__', owner)}.{attr}"
    if original is None or name in getattr(original, "__moat_iast_hooks__", ()):
        return
    guarded = hook(name)(before)
    wrapper = core_wrapper(original, guarded, "before", native, always=always, tainted_only=tainted_only)
    if wrapper is None:

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if always:
                guarded(*args, **kwargs)
            else:
                ctx = _current()
                if ctx is not None and (not tainted_only or _may_carry(ctx, args, kwargs, 1)):
                    guarded(*args, **kwargs)
            return original(*args, **kwargs)

    wrapper.__moat_iast_original__ = original  # type: ignore[attr-defined]
    wrapper.__moat_iast_hooks__ = frozenset(getattr(original, "__moat_iast_hooks__", ())) | {name}  # type: ignore[attr-defined]
    replace(owner, attr, wrapper)


def replace(owner: Any, attr: str, wrapper: Any) -> None:
    """Sets the agent's wrapper as `owner.attr`; a class's `__new__` as the static
    method Python makes of it, so creating an instance does not bind the wrapper
    (one call of the core's `__get__` per `Markup` Jinja prints). Does nothing where
    the owner refuses (a C type that cannot be patched: that hook is not installed)."""
    if attr == "__new__" and isinstance(owner, type):
        wrapper = staticmethod(wrapper)
    try:
        setattr(owner, attr, wrapper)
    except (AttributeError, TypeError):
        pass


# Set on the agent's propagation wrappers (`_propagation`), so none is installed twice.
PROPAGATION_MARK = "__moat_iast_propagation__"


def unhooked(func: Any) -> Any:
    """What `func` is under the agent's own wrappers."""
    if isinstance(func, staticmethod):
        func = func.__func__
    while isinstance(func, _native.Hooked) or hasattr(func, "__moat_iast_original__") or hasattr(func, PROPAGATION_MARK):
        inner = getattr(func, "__wrapped__", None)
        if inner is None:
            break
        func = inner
    return func
