"""Operations the rewriter substitutes for the application's own: each computes the
result exactly as Python would (same value, same type, same exceptions, arguments
evaluated in the same order), then tells the core how taint moves. Outside a request
the only cost is one context lookup; inside one, untainted text costs one call into the
core that finds nothing.

What is followed, by where the characters go: `+` and `+=`, `%` and `%=`, f-strings,
`str()`, `repr()`, `bytes()`, `format()`, slices (any step), `join`, the methods of
`str` and `bytes` that copy, cut, pad, re-case, encode or decode text, the methods of
compiled regular expressions and of their matches, and `io.StringIO`.

Indexing (`s[i]`) is not followed: a one-character `str` is a shared singleton in
CPython (`"a"` is the same object everywhere), so the core never tracks text shorter
than two characters, and indexing is left as fast as it was.

Validation is followed too: a tainted value the code tests before use is marked secure
in place for what the test proves (see `validated`, `isin`, `_startswith`).
"""

from __future__ import annotations

import builtins
import io
import re
from types import BuiltinMethodType
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from moat_iast import _context, _native, _spans
from moat_iast._context import request

# The request's taint context or None: the context variable's own getter, one C call
# (what `_context.current()` returns, without a Python frame around it).
try:
    current = _context._current.get
except AttributeError:  # pragma: no cover - a _context without the variable
    current = _context.current

_TEXT = (str, bytes)
_Pattern = type(re.compile(""))
_Match = type(re.match("", ""))
_StringIO = io.StringIO
_GUARD = (KeyboardInterrupt, SystemExit)

# ---------------------------------------------------------------------------------------
# Vulnerability types a check proves safe
# ---------------------------------------------------------------------------------------

EVERY_TYPE = (
    "SQL_INJECTION", "NOSQL_INJECTION", "COMMAND_INJECTION", "CODE_INJECTION", "PATH_TRAVERSAL", "SSRF",
    "LDAP_INJECTION", "XPATH_INJECTION", "HEADER_INJECTION", "UNVALIDATED_REDIRECT", "XSS",
    "TRUST_BOUNDARY_VIOLATION", "UNTRUSTED_DESERIALIZATION", "XXE",
)

# Characters each injection class can be exploited without: a value made only of these
# (checked whole by `isdigit`, or by an anchored regular expression) cannot change a
# statement, command, path, filter or page of that class. SSRF and redirects are not
# here: a plain word (`localhost`) is enough to pick a host.
_HARMLESS = {
    "SQL_INJECTION": re.compile(r"(?:[\w.:]|-(?!-))*"),
    "NOSQL_INJECTION": re.compile(r"[\w.\-@ ]*"),
    "COMMAND_INJECTION": re.compile(r"[\w.\-/:@%+=,]*"),
    "CODE_INJECTION": re.compile(r"[\w.]*"),
    "LDAP_INJECTION": re.compile(r"[^()*\\\x00]*"),
    "XPATH_INJECTION": re.compile(r"[\w.\-]*"),
    "HEADER_INJECTION": re.compile(r"[^\r\n\x00]*"),
    # `:` starts a `javascript:` URL; `&` a character reference that spells one.
    "XSS": re.compile(r"[^<>\"'`:&]*"),
}


def _path_safe(text: str) -> bool:
    """A relative path without `..` segments or NUL: it stays under whatever directory
    it is joined to."""
    if not text or text[0] in "/\\" or "\x00" in text:
        return False
    return ".." not in text.replace("\\", "/").split("/")


def _text_of(value: Any) -> Optional[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return None


def validated(ctx: Any, value: Any) -> None:
    """`value` passed a check of all of its characters: marks it secure in place for
    every class its characters cannot exploit."""
    text = _text_of(value)
    if text is None or not ctx.is_tainted(value):
        return
    kinds = [kind for kind, harmless in _HARMLESS.items() if harmless.fullmatch(text)]
    if _path_safe(text):
        kinds.append("PATH_TRAVERSAL")
    if kinds:
        ctx.mark_secure(value, value, kinds)


def path_checked(ctx: Any, value: Any) -> None:
    """The code looked for `..` or a leading `/` in `value` and found neither: marks it
    secure for PATH_TRAVERSAL, when nothing else in it climbs or roots the path."""
    text = _text_of(value)
    if text is not None and _path_safe(text) and ctx.is_tainted(value):
        ctx.mark_secure(value, value, ["PATH_TRAVERSAL"])


def _contained(ctx: Any, value: Any, base: Any) -> None:
    """`value.startswith(base)` held, `base` an absolute directory of the application's:
    `value` (a resolved path) is inside it."""
    text = _text_of(value)
    if text is None or type(base) is not type(value) or ctx.is_tainted(base):
        return
    prefix = _text_of(base) or ""
    if not prefix.startswith("/") or ".." in text.split("/"):
        return
    # `/srv/files_old` starts with `/srv/files` too: the prefix must end a segment.
    if not (prefix.endswith("/") or len(text) == len(prefix) or text[len(prefix)] == "/"):
        return
    if ctx.is_tainted(value):
        ctx.mark_secure(value, value, ["PATH_TRAVERSAL"])


def _safely(fn: Callable[..., Any], *args: Any) -> None:
    """Runs a propagation step; the agent never breaks the application (a panic in the
    core surfaces as a `BaseException`)."""
    try:
        fn(*args)
    except _GUARD:
        raise
    except BaseException:  # noqa: BLE001
        pass


# ---------------------------------------------------------------------------------------
# Operators
# ---------------------------------------------------------------------------------------


def _embedded(ctx: Any, result: Any, value: Any) -> None:
    """`result` holds `value` once, padded (`ljust`, `format(s, ">10")`): exact when
    found whole, else the tainted runs found again (a precision cut them)."""
    if result is value:
        return
    at = result.find(value) if len(value) else -1
    if at >= 0:
        ctx.propagate_parts(result, result[:0], [result[:at], value, result[at + len(value):]])
    else:
        ctx.propagate_found(result, [value])


def _converted(ctx: Any, result: Any, value: Any, conversion: str) -> None:
    """`result` is `value` formatted after conversion `"s"`, `"r"` or `"a"` (or none)."""
    if not isinstance(value, _TEXT):
        if isinstance(value, (list, tuple, set, frozenset, dict)) and isinstance(result, str):
            items = list(value.keys()) + list(value.values()) if isinstance(value, dict) else list(value)
            _shown(ctx, result, [item for item in items[:256] if type(item) in _TEXT and ctx.is_tainted(item)])
        return
    if not ctx.is_tainted(value):
        return
    if conversion == "r" and isinstance(value, str) and type(result) is str:
        shown = builtins.repr(value)
        if result == shown:
            _spans.derive(ctx, result, value, _spans.quoted_repr(value, result))
            return
    if conversion in ("", "s") and result == value:
        ctx.propagate_same(result, value)
        return
    if type(result) is type(value) or (isinstance(result, str) and isinstance(value, str)):
        _embedded(ctx, result, value)
    else:
        ctx.propagate_found(result, [value])


def _shown(ctx: Any, result: str, items: List[Any]) -> None:
    """`result` is a container's text (`str([a, b])`): each item appears as its
    `repr`, escapes and all."""
    found = []
    for item in items:
        shown = builtins.repr(item)
        at = result.find(shown)
        if at < 0:
            continue
        if isinstance(item, str):
            segments = _spans.quoted_repr(item, shown)
        else:
            text = item.decode("latin-1")
            segments = _spans.per_char_checked(text, _byte_repr_length, len(shown), 2, 1)
        if segments is None:
            continue
        found.extend(_spans.shifted(_spans.runs(ctx.ranges(item), segments), at))
    _spans.apply(ctx, result, found)


def _byte_repr_length(char: str) -> int:
    """Length of one byte (read as Latin-1) inside `repr(some_bytes)`."""
    return len(builtins.repr(char.encode("latin-1"))) - 3


_CONVERSIONS = {-1: "", 115: "s", 114: "r", 97: "a"}
# Values whose text is the program's whatever their value: no taint to follow.
_NUMBERS = frozenset({int, float, bool, complex, type(None)})


def _format_value(value: Any, conversion: int, spec: Any) -> str:
    """One `{value!r:spec}` of an f-string, formatted as Python formats it, inside a
    request: what the core's `format_value` leaves (neither a plain `str` nor a number)."""
    if conversion == 115:
        converted = str(value)
    elif conversion == 114:
        converted = repr(value)
    elif conversion == 97:
        converted = ascii(value)
    else:
        converted = value
    result = format(converted, spec)
    if result is not value and type(value) not in _NUMBERS:
        ctx = current()
        if ctx is not None:
            _safely(_converted, ctx, result, value, _CONVERSIONS.get(conversion, ""))
    return result


def join(bound: Any, iterable: Iterable[Any]) -> Any:
    """`separator.join(iterable)`, for calls on any object that has `join` (the rewriter
    passes the bound method, looked up where the original looked it up)."""
    ctx = current()
    separator = getattr(bound, "__self__", None)
    if ctx is None or not (type(separator) is str or type(separator) is bytes):
        return bound(iterable)
    parts = iterable if type(iterable) is list else list(iterable)
    result = bound(parts)
    if result is not separator:
        try:
            ctx.propagate_parts(result, separator, parts)
        except _GUARD:
            raise
        except BaseException:  # noqa: BLE001
            pass
    return result


def _sliced(ctx: Any, result: Any, value: Any, key: slice) -> None:
    start, stop, step = key.indices(len(value))
    if step == 1:
        ctx.propagate_slice(result, value, start, max(start, stop))
        return
    # Output character i came from value[start + i * step]: each tainted range keeps the
    # output characters whose source lies in it, one contiguous run.
    found = []
    count = len(result)
    for s, length, kind, name in ctx.ranges(value):
        e = s + length
        if step > 0:
            first = max(0, -((start - s) // step))
            last = min(count - 1, (e - 1 - start) // step)
        else:
            first = max(0, -((e - 1 - start) // -step))
            last = min(count - 1, (start - s) // -step)
        if first <= last:
            found.append((first, last - first + 1, kind, name))
    found.sort()
    _spans.apply(ctx, result, found)


def slice_of(value: Any, lower: Any, upper: Any, step: Any) -> Any:
    """`value[lower:upper:step]`."""
    result = value[lower:upper:step]
    if result is not value and (type(value) is str or type(value) is bytes):
        ctx = current()
        if ctx is not None:
            try:
                if ctx.is_tainted(value):
                    _sliced(ctx, result, value, slice(lower, upper, step))
            except _GUARD:
                raise
            except BaseException:  # noqa: BLE001
                pass
    return result


# ---------------------------------------------------------------------------------------
# Comparisons that validate
# ---------------------------------------------------------------------------------------

_ALLOW_LISTS = (set, frozenset, list, tuple, dict)
_PATH_MARKERS = frozenset({"..", "../", "..\\", "/..", "/", "\\"})
_MAX_ALLOW_LIST = 10_000


def _member(ctx: Any, item: Any, container: Any, found: bool) -> None:
    kind = type(container)
    if kind is str or kind is bytes:
        # `".." in value`: found nothing, so the value has no `..` (or `/`).
        if not found and _text_of(item) in _PATH_MARKERS:
            path_checked(ctx, container)
        return
    if not found or kind not in _ALLOW_LISTS or not ctx.is_tainted(item):
        return
    if len(container) > _MAX_ALLOW_LIST:
        return
    # An allow-list is the application's own values: none of them is request data.
    for entry in container:
        if type(entry) in _TEXT and ctx.is_tainted(entry):
            return
    ctx.mark_secure(item, item, list(EVERY_TYPE))


def isin(item: Any, container: Any) -> bool:
    """`item in container` (`not in` is `not isin(...)`). A tainted value found in an
    allow-list of the application's constants is safe for every class; a value found
    to hold no `..` is safe from path traversal."""
    found = item in container
    if type(item) is str or type(item) is bytes:
        # Only two shapes can validate: a substring not found in text, or a value found
        # in a collection.
        kind = type(container)
        if (kind is str or kind is bytes) if not found else kind in _ALLOW_LISTS:
            ctx = current()
            if ctx is not None:
                try:
                    if ctx.is_tainted(item if found else container):
                        _member(ctx, item, container, found)
                except _GUARD:
                    raise
                except BaseException:  # noqa: BLE001
                    pass
    return found


def _common(ctx: Any, fn: Any, paths: Any, base: Any, result: Any, equal: bool) -> None:
    if type(result) is not bool or result is not equal:
        return  # the paths do not share `base`
    if getattr(fn, "__name__", "") != "commonpath" or type(base) is not str:
        return
    if ctx.is_tainted(base) or not base.startswith("/") or not isinstance(paths, (list, tuple)):
        return
    for path in paths:
        if type(path) is str and path is not base and ".." not in path.split("/"):
            if ctx.is_tainted(path):
                ctx.mark_secure(path, path, ["PATH_TRAVERSAL"])


def commonpath_is(fn: Any, paths: Any, base: Any, equal: bool) -> bool:
    """`fn(paths) == base` (`!=` when not `equal`), as in `os.path.commonpath([BASE,
    full]) == BASE`: when it holds, each resolved tainted path is inside `BASE`."""
    common = fn(paths)
    result = common == base if equal else common != base
    ctx = current()
    if ctx is not None:
        _safely(_common, ctx, fn, paths, base, result, equal)
    return result


def commonpath_is_reversed(base: Any, fn: Any, paths: Any, equal: bool) -> bool:
    """`base == fn(paths)` (or `!=`), the operands evaluated in that order."""
    common = fn(paths)
    result = base == common if equal else base != common
    ctx = current()
    if ctx is not None:
        _safely(_common, ctx, fn, paths, base, result, equal)
    return result


# ---------------------------------------------------------------------------------------
# Methods of str and bytes
# ---------------------------------------------------------------------------------------


def _arg(args: tuple, kwargs: dict, index: int, name: str, default: Any = None) -> Any:
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _kept_characters(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict, name: str) -> None:
    """Case changes and the `strip` family: the core's rule (`_native`'s method calls
    follow them without coming here)."""
    ctx.follow_text_method(result, owner, name)


def _pieces(ctx: Any, owner: Any, pieces: Iterable[Any], gap: Optional[int]) -> None:
    """Each piece of `owner`, in order, keeps the taint of its characters. With `gap`
    (the length of an explicit separator) pieces follow each other exactly."""
    cursor = 0
    for piece in pieces:
        if not isinstance(piece, _TEXT):
            continue
        if gap is not None:
            at = cursor
        else:
            at = owner.find(piece, cursor)
            if at < 0:
                continue
        if piece and piece is not owner:
            ctx.propagate_slice(piece, owner, at, at + len(piece))
        cursor = at + len(piece) + (gap or 0)


def _split(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict, name: str) -> None:
    if name in ("partition", "rpartition"):
        _pieces(ctx, owner, result, 0)
        return
    if name == "splitlines":
        keepends = _arg(args, kwargs, 0, "keepends", False)
        _pieces(ctx, owner, result, 0 if keepends else None)
        return
    sep = _arg(args, kwargs, 0, "sep")
    if sep is None:
        _pieces(ctx, owner, result, None)
    elif name == "split":
        _pieces(ctx, owner, result, len(sep))
    else:
        # rsplit: pieces are listed left to right, the first may hold separators.
        at = len(owner)
        positions = []
        for piece in reversed(result):
            at -= len(piece)
            positions.append(at)
            at -= len(sep)
        for piece, at in zip(reversed(result), positions):
            if piece and piece is not owner:
                ctx.propagate_slice(piece, owner, at, at + len(piece))


def _replaced(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is owner or len(args) < 2:
        return
    old, new = args[0], args[1]
    count = _arg(args, kwargs, 2, "count", -1)
    if not isinstance(old, _TEXT) or not isinstance(new, _TEXT):
        return
    if count < 0 or not old or count >= owner.count(old):
        if not old and count >= 0:
            ctx.propagate_found(result, [owner, new])
        else:
            ctx.propagate_replace(result, owner, old, new)
        return
    # Only the first `count` occurrences were replaced.
    pieces = owner.split(old, count)
    found = []
    source = ctx.ranges(owner)
    inserted = ctx.ranges(new)
    src = out = 0
    for index, piece in enumerate(pieces):
        if index:
            found.extend(_spans.shifted(inserted, out))
            out += len(new)
            src += len(old)
        found.extend(_spans.clip(source, src, src + len(piece), out))
        src += len(piece)
        out += len(piece)
    _spans.apply(ctx, result, found)


def _padded(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is owner:
        return
    _embedded(ctx, result, owner)


def _zfilled(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is owner:
        return
    if owner[:1] in ("+", "-", b"+", b"-"):
        ranges = ctx.ranges(owner)
        tail = len(result) - len(owner) + 1
        _spans.apply(ctx, result, _spans.clip(ranges, 0, 1, 0) + _spans.clip(ranges, 1, len(owner), tail))
    else:
        _embedded(ctx, result, owner)


def _tabs(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is owner or not isinstance(owner, str):
        if result is not owner:
            _spans.whole(ctx, result, owner)
        return
    size = _arg(args, kwargs, 0, "tabsize", 8)
    _spans.derive(ctx, result, owner, _spans.expand_tabs(owner, size, len(result)))


def _expanded_inputs(owner: Any, args: tuple, kwargs: dict) -> List[Any]:
    """The format string and what its fields can read: arguments, and one level into
    containers and objects (`{0[name]}`, `{user.name}`)."""
    inputs = [owner]
    for value in (*args, *kwargs.values()):
        if isinstance(value, _TEXT):
            inputs.append(value)
            continue
        if isinstance(value, dict):
            items = list(value.values())
        elif isinstance(value, (list, tuple)):
            items = list(value)
        else:
            items = list(getattr(value, "__dict__", {}).values())
        inputs.extend(item for item in items[:256] if isinstance(item, _TEXT))
    return inputs


def _formatted(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    ctx.propagate_found(result, _expanded_inputs(owner, args, kwargs))


def _translated(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is owner:
        return
    if len(result) == len(owner):
        _spans.apply(ctx, result, ctx.ranges(owner))
    else:
        _spans.whole(ctx, result, owner)


def coded(ctx: Any, result: Any, value: Any, encoding: Any, errors: Any) -> None:
    """`result` is `value` encoded (`str` to `bytes`) or decoded (`bytes` to `str`)."""
    if result is value or not ctx.is_tainted(value):
        return
    if isinstance(value, str):
        text, other, encoding_text = value, len(result), True
    else:
        text, other, encoding_text = result, len(value), False
    if isinstance(value, str) and isinstance(result, bytes):
        if len(result) == len(value) and result.decode("latin-1") == value:
            ctx.propagate_same(result, value)
            return
    elif isinstance(value, bytes) and isinstance(result, str):
        if len(result) == len(value) and value.decode("latin-1") == result:
            ctx.propagate_same(result, value)
            return
    segments = _spans.codec_segments(text, encoding, errors, other, encoding_text)
    if segments is None:
        _spans.whole(ctx, result, value)
        return
    _spans.apply(ctx, result, _spans.runs(ctx.ranges(value), segments))


def _encode(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    default = "utf-8"
    coded(ctx, result, owner, _arg(args, kwargs, 0, "encoding", default), _arg(args, kwargs, 1, "errors", "strict"))


def _startswith(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    prefix = _arg(args, kwargs, 0, "prefix")
    prefixes = prefix if isinstance(prefix, tuple) else (prefix,)
    texts = [_text_of(p) for p in prefixes]
    if not result and any(t in ("/", "\\") for t in texts):
        path_checked(ctx, owner)
    elif result and len(prefixes) == 1 and len(args) <= 1 and texts[0] and len(texts[0]) > 1:
        _contained(ctx, owner, prefixes[0])


def _is_kind(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if result is True:
        validated(ctx, owner)


Handler = Callable[[Any, Any, Any, tuple, dict], None]


def _named(fn: Callable[..., None], name: str) -> Handler:
    return lambda ctx, result, owner, args, kwargs: fn(ctx, result, owner, args, kwargs, name)


_TEXT_METHODS: Dict[str, Handler] = {
    **{
        name: _named(_kept_characters, name)
        for name in ("upper", "lower", "casefold", "title", "capitalize", "swapcase")
        + ("strip", "lstrip", "rstrip", "removeprefix", "removesuffix")
    },
    **{name: _named(_split, name) for name in ("split", "rsplit", "splitlines", "partition", "rpartition")},
    "replace": _replaced,
    **{name: _padded for name in ("center", "ljust", "rjust")},
    "zfill": _zfilled,
    "expandtabs": _tabs,
    "format": _formatted,
    "format_map": _formatted,
    "translate": _translated,
    "encode": _encode,
    "decode": _encode,
    "startswith": _startswith,
    **{name: _is_kind for name in ("isdigit", "isdecimal", "isnumeric", "isalnum", "isalpha", "isidentifier")},
}


# ---------------------------------------------------------------------------------------
# Regular expressions: compiled patterns and matches (C types, followed where the
# application calls them; `_propagation` patches the `re` module's functions)
# ---------------------------------------------------------------------------------------


def regex_pieces(ctx: Any, pattern: Any, string: Any, result: Any, kind: str, maxsplit: int = 0) -> None:
    """Taint for `findall` and `split` results, from the match spans."""
    if not ctx.is_tainted(string):
        return
    if kind == "findall":
        groups = pattern.groups
        for item, match in zip(result, pattern.finditer(string)):
            if groups <= 1:
                index = 1 if groups == 1 else 0
                _group_piece(ctx, item, match, index)
            else:
                for index, piece in enumerate(item, 1):
                    _group_piece(ctx, piece, match, index)
        return
    # split: pieces between matches, with the groups each match captured.
    at = 0
    out = iter(result)
    for number, match in enumerate(pattern.finditer(string)):
        if maxsplit and number >= maxsplit:
            break
        piece = next(out, None)
        if isinstance(piece, _TEXT) and piece:
            ctx.propagate_slice(piece, string, at, match.start())
        for index in range(1, pattern.groups + 1):
            _group_piece(ctx, next(out, None), match, index)
        at = match.end()
    piece = next(out, None)
    if isinstance(piece, _TEXT) and piece:
        ctx.propagate_slice(piece, string, at, len(string))


def _group_piece(ctx: Any, piece: Any, match: Any, index: Any) -> None:
    if not isinstance(piece, _TEXT) or not piece:
        return
    start, end = match.span(index)
    if start >= 0 and end - start == len(piece):
        ctx.propagate_slice(piece, match.string, start, end)


def regex_sub(
    ctx: Any, pattern: Any, repl: Any, string: Any, result: Any, count: int, replacements: Optional[list]
) -> None:
    """Taint for `sub`/`subn` results: kept text keeps its taint, each replacement brings
    its own (a template's group references bring the matched text's)."""
    text = result[0] if isinstance(result, tuple) else result
    if text is string or not isinstance(text, _TEXT):
        return
    source = ctx.ranges(string)
    inserted = ctx.ranges(repl) if isinstance(repl, _TEXT) else []
    if not source and not inserted and not replacements:
        return
    template = isinstance(repl, _TEXT) and (b"\\" in repl if isinstance(repl, bytes) else "\\" in repl)
    found = []
    at = out = 0
    for number, match in enumerate(pattern.finditer(string)):
        if count and number >= count:
            break
        start, end = match.span()
        found.extend(_spans.clip(source, at, start, out))
        out += start - at
        if replacements is not None:
            piece = replacements[number] if number < len(replacements) else ""
            found.extend(_spans.shifted(ctx.ranges(piece), out) if isinstance(piece, _TEXT) else [])
            size = len(piece) if isinstance(piece, _TEXT) else 0
        elif template:
            piece = match.expand(repl)
            size = len(piece)
            covered = _spans.clip(source, start, end, 0)
            if covered and size:
                found.append((out, size, covered[0][2], covered[0][3]))
            elif inserted and size:
                found.append((out, size, inserted[0][2], inserted[0][3]))
        else:
            size = len(repl)
            found.extend(_spans.shifted(inserted, out))
        out += size
        at = end
    found.extend(_spans.clip(source, at, len(string), out))
    if out + len(string) - at == len(text):
        _spans.apply(ctx, text, sorted(found))
    else:
        _spans.found_or_whole(ctx, text, [string, repl])


def _source(pattern: Any) -> Optional[str]:
    source = pattern.pattern if isinstance(pattern, _Pattern) else pattern
    if isinstance(source, bytes):
        return source.decode("latin-1")
    return source if isinstance(source, str) else None


def anchored(pattern: Any, flags: int = 0) -> bool:
    """Whether a pattern must match up to the end: it ends with `$` or `\\Z` (not in
    MULTILINE mode, where `$` ends any line)."""
    source = _source(pattern)
    flags |= pattern.flags if isinstance(pattern, _Pattern) else 0
    if source is None or flags & re.MULTILINE:
        return False
    if flags & re.VERBOSE:
        source = source.rstrip()
    body = source[:-1]
    slashes = len(body) - len(body.rstrip("\\"))
    if source.endswith("Z"):
        return slashes % 2 == 1
    return source.endswith("$") and slashes % 2 == 0


def regex_checked(ctx: Any, match: Any, pattern: Any, how: str, flags: int = 0) -> None:
    """A successful `fullmatch`, or a `match`/`search` anchored at both ends, that
    covered the whole value validates it (`$` also matches before a final newline: a
    match that stopped there proves nothing about that newline)."""
    if match is None or not ctx.is_tainted(match.string):
        return
    if how == "search" and not (_source(pattern) or "").startswith(("^", "\\A")):
        return
    if how != "fullmatch" and not anchored(pattern, flags):
        return
    whole = len(match.string)
    if match.start() == 0 and match.end() == whole and match.pos == 0 and match.endpos == whole:
        validated(ctx, match.string)


# Methods whose result can be tainted by their arguments when the text is not.
_ARGUMENT_TAINT = frozenset({"format", "format_map", "replace"})


def _pattern_call(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict, name: str) -> None:
    if name in ("match", "fullmatch", "search"):
        regex_checked(ctx, result, owner, name)
    elif name in ("findall", "split"):
        string = _arg(args, kwargs, 0, "string")
        maxsplit = _arg(args, kwargs, 1, "maxsplit", 0) if name == "split" else 0
        if isinstance(string, _TEXT):
            regex_pieces(ctx, owner, string, result, name, maxsplit)


def _group(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if not ctx.is_tainted(owner.string):
        return
    if len(args) <= 1:
        _group_piece(ctx, result, owner, args[0] if args else 0)
    else:
        for piece, index in zip(result, args):
            _group_piece(ctx, piece, owner, index)


def _groups(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if ctx.is_tainted(owner.string):
        for index, piece in enumerate(result, 1):
            _group_piece(ctx, piece, owner, index)


def _groupdict(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if ctx.is_tainted(owner.string):
        for name, piece in result.items():
            _group_piece(ctx, piece, owner, name)


def _expand(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict) -> None:
    if not ctx.is_tainted(owner.string):
        return
    pieces = []
    for index in range(owner.re.groups + 1):
        piece = owner.group(index)
        if isinstance(piece, _TEXT) and piece:
            _group_piece(ctx, piece, owner, index)
            pieces.append(piece)
    _spans.found_or_whole(ctx, result, [*pieces, *args[:1]])


_PATTERN_METHODS: Dict[str, Handler] = {
    name: _named(_pattern_call, name) for name in ("match", "fullmatch", "search", "findall", "split")
}
_MATCH_METHODS: Dict[str, Handler] = {"group": _group, "groups": _groups, "groupdict": _groupdict, "expand": _expand}


# ---------------------------------------------------------------------------------------
# io.StringIO: what was written where, per request
# ---------------------------------------------------------------------------------------

_WRITES = "moat_iast.stringio"


def _writes(buffer: Any, create: bool) -> Optional[list]:
    info = request()
    if info is None:
        return None
    table = info.extra.get(_WRITES)
    if table is None:
        if not create:
            return None
        table = info.extra[_WRITES] = {}
    entry = table.get(id(buffer))
    if entry is None or entry[0] is not buffer:
        if not create:
            return None
        # The buffer is held until the request ends, so its id is not reused.
        entry = table[id(buffer)] = (buffer, [])
    return entry[1]


def _wrote(ctx: Any, buffer: Any, at: int, text: Any) -> None:
    if type(text) is str and text and ctx.is_tainted(text):
        writes = _writes(buffer, True)
        if writes is not None:
            writes.append((at, text))


def _read(ctx: Any, buffer: Any, result: Any, at: int) -> None:
    """`result` is the buffer's text from `at`: taint of the writes it still holds."""
    writes = _writes(buffer, False)
    if not writes or type(result) is not str or not result:
        return
    end = at + len(result)
    found = []
    covered: List[Tuple[int, int]] = []
    # Latest first: a later write over the same characters replaced the earlier one.
    for start, text in reversed(writes):
        a, b = max(at, start), min(end, start + len(text))
        if a >= b or any(x < b and a < y for x, y in covered):
            continue
        covered.append((a, b))
        ranges = ctx.ranges(text)
        if result[a - at : b - at] == text[a - start : b - start]:
            found.extend(_spans.clip(ranges, a - start, b - start, a - at))
            continue
        # Partly overwritten (seek and write again): only the characters still equal.
        i = a
        while i < b:
            if result[i - at] != text[i - start]:
                i += 1
                continue
            j = i
            while j < b and result[j - at] == text[j - start]:
                j += 1
            found.extend(_spans.clip(ranges, i - start, j - start, i - at))
            i = j
    found.sort()
    _spans.apply(ctx, result, found)


def _io_after(ctx: Any, result: Any, owner: Any, args: tuple, kwargs: dict, name: str, before: Any) -> None:
    if name == "write":
        text = _arg(args, kwargs, 0, "s")
        _wrote(ctx, owner, before, text)
    elif name == "writelines":
        at = before
        for text in args[0] if args else ():
            _wrote(ctx, owner, at, text)
            at += len(text) if type(text) is str else 0
    elif name == "getvalue":
        _read(ctx, owner, result, 0)
    elif name in ("read", "readline"):
        _read(ctx, owner, result, before)
    elif name == "readlines":
        at = before
        for line in result:
            _read(ctx, owner, line, at)
            at += len(line)


_IO_METHODS = frozenset({"write", "writelines", "getvalue", "read", "readline", "readlines"})


def _stringio(ctx: Any, buffer: Any, args: tuple, kwargs: dict) -> None:
    initial = _arg(args, kwargs, 0, "initial_value", "")
    _wrote(ctx, buffer, 0, initial)


# ---------------------------------------------------------------------------------------
# Method calls and builtin calls
# ---------------------------------------------------------------------------------------

# Sinks that are methods of C types the agent cannot patch (lxml's `_Element.xpath`),
# checked where the application calls them: name -> [(types, check(owner, args, kwargs))].
# The names are fixed here, because modules are rewritten before the libraries that
# register the checks may be imported.
_CALL_SINKS: Dict[str, list] = {"xpath": []}


def call_sink(name: str, types: tuple, check: Callable[[Any, tuple, dict], None]) -> None:
    """Runs `check(owner, args, kwargs)` before the application calls `owner.name(...)`
    on an instance of `types`, inside a request; `check` is fail-open."""
    _CALL_SINKS[name].append((types, check))


# Every method name the rewriter routes through `method`.
METHODS = frozenset(_TEXT_METHODS) | frozenset(_PATTERN_METHODS) | frozenset(_MATCH_METHODS) | _IO_METHODS | {
    "sub", "subn"
} | frozenset(_CALL_SINKS)


def method(bound: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
    """`obj.name(*args, **kwargs)`, where `bound` is `obj.name` already looked up."""
    ctx = current()
    if ctx is None:
        return bound(*args, **kwargs)
    return _method(ctx, bound, name, args, kwargs)


def _method(ctx: Any, bound: Any, name: str, args: tuple, kwargs: dict) -> Any:
    owner = getattr(bound, "__self__", None)
    kind = type(owner)
    if kind is str or kind is bytes or (isinstance(owner, _TEXT) and type(bound) is BuiltinMethodType):
        handler = _TEXT_METHODS.get(name)
        if handler is None:
            return bound(*args, **kwargs)
        result = bound(*args, **kwargs)
        try:
            if name in _ARGUMENT_TAINT or ctx.is_tainted(owner):
                handler(ctx, result, owner, args, kwargs)
        except _GUARD:
            raise
        except BaseException:  # noqa: BLE001
            pass
        return result
    if kind is _Pattern:
        if name in ("sub", "subn"):
            return _pattern_sub(ctx, bound, owner, name, args, kwargs)
        handler = _PATTERN_METHODS.get(name)
        result = bound(*args, **kwargs)
        if handler is not None:
            _safely(handler, ctx, result, owner, args, kwargs)
        return result
    if kind is _Match:
        handler = _MATCH_METHODS.get(name)
        result = bound(*args, **kwargs)
        if handler is not None:
            _safely(handler, ctx, result, owner, args, kwargs)
        return result
    if kind is _StringIO and name in _IO_METHODS:
        before = None
        try:
            before = owner.tell() if name not in ("getvalue",) else 0
        except _GUARD:
            raise
        except BaseException:  # noqa: BLE001 - closed buffer: the call raises itself
            pass
        result = bound(*args, **kwargs)
        if before is not None:
            if name == "writelines" and args and not isinstance(args[0], (list, tuple)):
                return result
            _safely(_io_after, ctx, result, owner, args, kwargs, name, before)
        return result
    for types, check in _CALL_SINKS.get(name, ()):
        if isinstance(owner, types):
            check(owner, args, kwargs)
    return bound(*args, **kwargs)


def record_replacements(repl: Any) -> Tuple[Any, Optional[list]]:
    """A callable replacement wrapped to remember what it returned (it cannot be called
    twice); a template or text is left as it is."""
    if isinstance(repl, _TEXT) or not callable(repl):
        return repl, None
    returned: list = []

    def recording(match: Any) -> Any:
        piece = repl(match)
        returned.append(piece)
        return piece

    return recording, returned


def _followed_sub(ctx: Any, repl: Any, string: Any) -> bool:
    try:
        return isinstance(string, _TEXT) and (
            callable(repl) or ctx.is_tainted(string) or (isinstance(repl, _TEXT) and ctx.is_tainted(repl))
        )
    except _GUARD:
        raise
    except BaseException:  # noqa: BLE001
        return False


def _pattern_sub(ctx: Any, bound: Any, owner: Any, name: str, args: tuple, kwargs: dict) -> Any:
    repl = _arg(args, kwargs, 0, "repl")
    string = _arg(args, kwargs, 1, "string")
    if not _followed_sub(ctx, repl, string):
        return bound(*args, **kwargs)
    wrapped, returned = record_replacements(repl)
    if returned is not None:
        if args:
            args = (wrapped, *args[1:])
        else:
            kwargs = {**kwargs, "repl": wrapped}
    result = bound(*args, **kwargs)
    count = _arg(args, kwargs, 2, "count", 0)
    _safely(regex_sub, ctx, owner, repl, string, result, count, returned)
    return result


def _str_call(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    if not args or result is args[0]:
        return
    value = args[0]
    if isinstance(value, bytes) and (len(args) > 1 or kwargs):
        coded(ctx, result, value, _arg(args, kwargs, 1, "encoding", "utf-8"), _arg(args, kwargs, 2, "errors", "strict"))
    else:
        _converted(ctx, result, value, "s")


def _repr_call(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    if args:
        _converted(ctx, result, args[0], "r")


def _bytes_call(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    if not args or result is args[0]:
        return
    value = args[0]
    if isinstance(value, str):
        coded(ctx, result, value, _arg(args, kwargs, 1, "encoding", "utf-8"), _arg(args, kwargs, 2, "errors", "strict"))
    elif isinstance(value, bytes):
        ctx.propagate_same(result, value)


def _format_call(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    if args and result is not args[0]:
        _converted(ctx, result, args[0], "")


def _stringio_call(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    _stringio(ctx, result, args, kwargs)


_CALLS: Dict[str, Tuple[Any, Callable[[Any, Any, tuple, dict], None]]] = {
    "str": (builtins.str, _str_call),
    "repr": (builtins.repr, _repr_call),
    "bytes": (builtins.bytes, _bytes_call),
    "format": (builtins.format, _format_call),
    "StringIO": (io.StringIO, _stringio_call),
}
# Every callable name the rewriter routes through `call`.
CALLS = frozenset(_CALLS)


def call(fn: Any, name: str, /, *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)` where `fn` was written `name`: followed only when it is
    still the builtin (or `io.StringIO`), whatever the module bound to the name."""
    result = fn(*args, **kwargs)
    ctx = current()
    if ctx is not None:
        entry = _CALLS.get(name)
        if entry is not None and fn is entry[0]:
            _safely(entry[1], ctx, result, args, kwargs)
    return result


# ---------------------------------------------------------------------------------------
# The core's fast paths
# ---------------------------------------------------------------------------------------

# `+`, `%`, f-strings and fixed-arity method calls replace a bytecode of the application
# each: the core's versions run them with no Python frame, and hand what they do not
# follow themselves to `_method` and `_format_value` above.
_native.register_ops(current, _method, _format_value)
add = _native.add
iadd = _native.iadd
mod = _native.mod
imod = _native.imod
join_parts = _native.join_parts
format_value = _native.format_value
method0 = _native.method0
method1 = _native.method1
method2 = _native.method2
