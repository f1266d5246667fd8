"""Taint through the library functions an application passes request data to: URL
codecs and parsing, base64, JSON, regular expressions, `string.Template`, paths, HTML
and shell escaping, Jinja rendering.

Each patch calls the original function first and returns what it returned (a parsed
URL is the one exception: a fresh tuple, see `_split_url`), then works out which
characters of the result came from tainted input. Sanitisers mark the result secure
for exactly what they neutralise:

| function                         | secure for                                         |
|----------------------------------|----------------------------------------------------|
| `html.escape`, `markupsafe.escape` | XSS (not when the value holds `:`: it may still be a `javascript:` URL) |
| `urllib.parse.quote`, `quote_plus` | XSS, HEADER_INJECTION, COMMAND_INJECTION, LDAP_INJECTION (note 1) |
| `shlex.quote`                    | COMMAND_INJECTION                                  |
| `markupsafe.Markup(text)`        | XSS: declaring text safe HTML is the XSS sink itself, checked there |
| `os.path.basename`, `werkzeug.utils.secure_filename` | PATH_TRAVERSAL (not for `.` or `..`) |
| `json.dumps`                     | HEADER_INJECTION (control characters are escaped); not SQL or XSS |

Note 1: less what `safe=` lets through; never PATH_TRAVERSAL (`.` and `/` survive), SSRF,
or SQL (`-` survives: `--`).

`re.escape` is not a sanitiser of any class checked here (it escapes for regular
expressions), nor is base64 or JSON decoding: decoders drop every secure mark.
"""

from __future__ import annotations

import functools
import os
import re
from types import ModuleType
from typing import Any, Callable, List, Optional

from moat_iast import _context, _native, _ops, _patches, _sinks, _spans
from moat_iast._ops import _TEXT, _arg, _safely

_PATCHED = _sinks.PROPAGATION_MARK
_current = _context._current.get
_may_carry = _native.may_carry_args


def _after(owner: Any, attr: str, propagate: Callable[[Any, Any, tuple, dict], Any], native: bool = False) -> None:
    """Wraps `owner.attr`: the original runs, then, inside a request and when an
    argument may hold request data, `propagate(ctx, result, args, kwargs)` as a
    fail-open hook; when it returns something other than None, that is returned instead
    (an equal fresh object). See `_sinks.core_wrapper` for when the wrapper is the
    core's (`native` asks for it on the hottest hooks). `owner` may also be a dict of
    functions (Jinja's filters), `attr` a key."""
    table = isinstance(owner, dict)
    original = owner.get(attr) if table else getattr(owner, attr, None)
    if original is None or getattr(original, _PATCHED, False):
        return
    hook = _sinks.hook(f"propagation {getattr(owner, '__name__', type(owner).__name__)}.{attr}")(propagate)
    wrapper = _sinks.core_wrapper(original, hook, "after", native)
    if wrapper is None:

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            ctx = _current()
            if ctx is not None and _may_carry(ctx, args, kwargs):
                replacement = hook(ctx, result, args, kwargs)
                if replacement is not None:
                    return replacement
            return result

    setattr(wrapper, _PATCHED, True)
    if table:
        owner[attr] = wrapper
    else:
        _sinks.replace(owner, attr, wrapper)


def _around(owner: Any, attr: str, run: Callable[[Any, Any, tuple, dict], Any]) -> None:
    """Wraps `owner.attr` with `run(original, ctx, args, kwargs)` inside a request: for
    patches that must adjust the call itself (a callable to record what it returns).
    `run` calls the original exactly once and guards its own work."""
    original = getattr(owner, attr, None)
    if original is None or getattr(original, _PATCHED, False):
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = _context.current()
        if ctx is None:
            return original(*args, **kwargs)
        return run(original, ctx, args, kwargs)

    setattr(wrapper, _PATCHED, True)
    setattr(owner, attr, wrapper)


def _tainted(ctx: Any, value: Any) -> bool:
    return type(value) in _TEXT and ctx.is_tainted(value)


# ---------------------------------------------------------------------------------------
# urllib.parse
# ---------------------------------------------------------------------------------------

_ALWAYS_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")


def _safe_chars(safe: Any) -> frozenset:
    if isinstance(safe, bytes):
        safe = safe.decode("latin-1")
    if not isinstance(safe, str):
        return _ALWAYS_SAFE
    return _ALWAYS_SAFE | frozenset(c for c in safe if ord(c) < 128)


def _quote_neutralises(safe: frozenset) -> List[str]:
    """What `quote` leaves no way to exploit, given the characters it keeps."""
    kept = safe - _ALWAYS_SAFE
    kinds = []
    # `:` lets a `javascript:` URL through; `&` with `;` a character reference of one.
    if not kept & frozenset("<>\"'`:") and not {"&", ";"} <= kept:
        kinds.append("XSS")
    if not kept & frozenset("\r\n\x00"):
        kinds.append("HEADER_INJECTION")
    if kept <= frozenset("/"):
        kinds.append("COMMAND_INJECTION")
    if not kept & frozenset("()*\\\x00"):
        kinds.append("LDAP_INJECTION")
    return kinds


def _quoted(ctx: Any, result: Any, value: Any, safe: Any, plus: bool, encoding: Any, errors: Any) -> None:
    if not _tainted(ctx, value) or type(result) is not str:
        return
    chars = _safe_chars(safe)
    if result == value:
        ctx.propagate_same(result, value)
    else:
        _spans.derive(ctx, result, value, _spans.url_quote(value, chars, plus, encoding, errors, len(result)))
    kinds = _quote_neutralises(chars)
    if kinds and ctx.is_tainted(result):
        ctx.mark_secure(result, result, kinds)


def _quote(plus: bool) -> Callable[[Any, Any, tuple, dict], None]:
    default = "" if plus else "/"

    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        _quoted(
            ctx, result, _arg(args, kwargs, 0, "string"), _arg(args, kwargs, 1, "safe", default), plus,
            _arg(args, kwargs, 2, "encoding"), _arg(args, kwargs, 3, "errors"),
        )

    return propagate


def _quote_from_bytes(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    _quoted(ctx, result, _arg(args, kwargs, 0, "bs"), _arg(args, kwargs, 1, "safe", "/"), False, None, None)


def _unquoted(ctx: Any, result: Any, value: Any, plus: bool, encoding: Any, errors: Any) -> None:
    if result is value or type(value) is not str or type(result) is not str or not ctx.is_tainted(value):
        return
    _spans.derive(ctx, result, value, _spans.url_unquote(value, result, plus, encoding, errors))


def _unquote(plus: bool) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        _unquoted(
            ctx, result, _arg(args, kwargs, 0, "string"), plus,
            _arg(args, kwargs, 1, "encoding", "utf-8"), _arg(args, kwargs, 2, "errors", "replace"),
        )

    return propagate


def _query_texts(query: Any) -> List[Any]:
    pairs = query.items() if hasattr(query, "items") else query
    texts = []
    for pair in pairs:
        for part in pair:
            if type(part) in _TEXT:
                texts.append(part)
            elif isinstance(part, (list, tuple)):
                texts.extend(p for p in part if type(p) in _TEXT)
    return texts


def _urlencode(parse: ModuleType) -> Callable[[Any, Any, tuple, dict], Any]:
    def run(original: Any, ctx: Any, args: tuple, kwargs: dict) -> Any:
        quoted: list = []
        try:
            query = _arg(args, kwargs, 0, "query")
            if not (hasattr(query, "items") or isinstance(query, (list, tuple))):
                return original(*args, **kwargs)
            if not any(ctx.is_tainted(t) for t in _query_texts(query)):
                return original(*args, **kwargs)
            # The module's `quote_plus` (patched: it carries taint) unless the caller
            # chose another; each quoted piece is remembered and found in the result.
            via = _arg(args, kwargs, 5, "quote_via", None) or parse.quote_plus

            def recording(text: Any, *rest: Any, **options: Any) -> Any:
                piece = via(text, *rest, **options)
                try:
                    if _tainted(ctx, text) and type(piece) is str and not ctx.is_tainted(piece):
                        _spans.found_or_whole(ctx, piece, [text])
                    quoted.append(piece)
                except Exception:
                    pass
                return piece

            if len(args) > 5:
                args = (*args[:5], recording, *args[6:])
            else:
                kwargs = {**kwargs, "quote_via": recording}
        except Exception:
            return original(*args, **kwargs)
        result = original(*args, **kwargs)
        if quoted:
            _safely(ctx.propagate_found, result, quoted)
        return result

    return run


def _parse_qsl(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    """Keys and values of a query string, each decoded from its own span of it."""
    qs = _arg(args, kwargs, 0, "qs")
    if type(qs) is not str or not ctx.is_tainted(qs) or not isinstance(result, list):
        return
    keep_blank = _arg(args, kwargs, 1, "keep_blank_values", False)
    encoding = _arg(args, kwargs, 3, "encoding", "utf-8")
    errors = _arg(args, kwargs, 4, "errors", "replace")
    separator = _arg(args, kwargs, 6, "separator", "&")
    ranges = ctx.ranges(qs)
    spans = []
    at = 0
    for field in qs.split(separator) if isinstance(separator, str) and separator else [qs]:
        start = at
        at += len(field) + len(separator or "")
        if not field:
            continue
        name, equals, value = field.partition("=")
        if not equals and not keep_blank:
            continue
        if value or keep_blank:
            split = start + len(name)
            spans.append(((start, split), (split + 1, start + len(field)) if equals else (split, split)))
    if len(spans) != len(result):
        for pair in result:
            for text in pair:
                if type(text) is str and text:
                    _spans.whole(ctx, text, qs)
        return
    for pair, bounds in zip(result, spans):
        for text, (a, b) in zip(pair, bounds):
            if type(text) is not str or not text:
                continue
            raw = qs[a:b]
            segments = _spans.url_unquote(raw, text, True, encoding, errors)
            if segments is None:
                _spans.apply(ctx, text, [(0, len(text), r[2], r[3]) for r in _spans.clip(ranges, a, b, 0)[:1]])
            else:
                _spans.apply(ctx, text, _spans.runs(_spans.clip(ranges, a, b, 0), segments))


# `urlsplit` caches its results (an lru_cache since 3.11): a tainted component handed
# out from the cache would taint the same text for later, unrelated calls. Tainted
# components are fresh copies in a fresh tuple instead.
def _fresh(text: str) -> str:
    return text[:1] + text[1:]


def _split_url(ctx: Any, result: Any, args: tuple, kwargs: dict) -> Any:
    url = _arg(args, kwargs, 0, "url")
    if type(url) is not str or not ctx.is_tainted(url) or not hasattr(result, "_replace"):
        return None
    ranges = ctx.ranges(url)
    # Recent versions drop leading C0 controls and spaces, and every tab and newline.
    text = url.lstrip("".join(chr(c) for c in range(0x21)))
    offset = len(url) - len(text)
    if any(c in text for c in "\t\r\n"):
        positions = [offset + i for i, c in enumerate(text) if c not in "\t\r\n"]
        text = "".join(c for c in text if c not in "\t\r\n")
    else:
        positions = None
    lowered = text.lower()
    changes = {}
    cursor = 0
    for field, value in zip(result._fields, result):
        if type(value) is not str or len(value) < 2:
            continue
        at = lowered.find(value.lower(), cursor) if field == "scheme" else text.find(value, cursor)
        if at < 0 or (field == "scheme" and at != 0):
            continue
        cursor = at + len(value)
        if positions is None:
            found = _spans.clip(ranges, offset + at, offset + cursor, 0)
        else:
            segments = [(positions[at + i], positions[at + i] + 1, i, i + 1) for i in range(len(value))]
            found = _spans.runs(ranges, segments)
        if found:
            copy = _fresh(value)
            _spans.apply(ctx, copy, found)
            changes[field] = copy
    return result._replace(**changes) if changes else None


_DESTINATION = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?://[^/?#]*)?")


def _urljoin(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    base, url = _arg(args, kwargs, 0, "base"), _arg(args, kwargs, 1, "url")
    if type(result) is not str or not (_tainted(ctx, base) or _tainted(ctx, url)):
        return
    inputs = [v for v in (base, url) if type(v) is str]
    ctx.propagate_found(result, inputs)
    if ctx.is_tainted(result) or not _tainted(ctx, url):
        if not ctx.is_tainted(result):
            _spans.found_or_whole(ctx, result, inputs)
        return
    # A relative reference keeps the base's scheme and host: when its text was
    # resolved away (`../x`), what follows the host is the request's, not the host.
    relative = type(url) is str and not _DESTINATION.match(url) and not url.startswith("//")
    if relative:
        host = _DESTINATION.match(result)
        start = host.end() if host else 0
        origin = ctx.ranges(url)[0]
        if start < len(result):
            _spans.apply(ctx, result, [(start, len(result) - start, origin[2], origin[3])])
    else:
        _spans.found_or_whole(ctx, result, inputs)


def _unsplit(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    parts = [p for p in (_arg(args, kwargs, 0, "components") or ()) if type(p) in _TEXT]
    if type(result) in _TEXT and any(ctx.is_tainted(p) for p in parts):
        ctx.propagate_found(result, parts)


def _install_urllib(parse: ModuleType) -> None:
    _after(parse, "quote", _quote(False))
    _after(parse, "quote_plus", _quote(True))
    _after(parse, "quote_from_bytes", _quote_from_bytes)
    _after(parse, "unquote", _unquote(False))
    _after(parse, "unquote_plus", _unquote(True))
    _around(parse, "urlencode", _urlencode(parse))
    _after(parse, "parse_qsl", _parse_qsl)
    code = getattr(parse.parse_qs, "__code__", None)
    if code is None or "parse_qsl" not in code.co_names:
        _after(parse, "parse_qs", _parse_qs)
    _after(parse, "urlsplit", _split_url)
    _after(parse, "urlparse", _split_url)
    _after(parse, "urljoin", _urljoin)
    _after(parse, "urlunsplit", _unsplit)
    _after(parse, "urlunparse", _unsplit)


def _parse_qs(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    # Only when `parse_qs` does not go through the module's `parse_qsl`.
    qs = _arg(args, kwargs, 0, "qs")
    if type(qs) is str and ctx.is_tainted(qs) and isinstance(result, dict):
        for key, values in result.items():
            for text in [key, *values]:
                if type(text) is str and text and not ctx.is_tainted(text):
                    _spans.found_or_whole(ctx, text, [qs])


# ---------------------------------------------------------------------------------------
# base64
# ---------------------------------------------------------------------------------------

_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
_B32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_B16 = frozenset("0123456789ABCDEFabcdef")


def _as_text(value: Any) -> Optional[str]:
    if type(value) is str:
        return value
    if type(value) is bytes:
        return value.decode("latin-1")
    return None


def _encoder(chars: int, produced: int, line: int = 0) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        value = args[0] if args else next(iter(kwargs.values()), None)
        if type(value) is bytes and type(result) is bytes and ctx.is_tainted(value):
            _spans.derive(ctx, result, value, _spans.base_encode(len(value), len(result), chars, produced, line))

    return propagate


def _decoder(
    alphabet: frozenset, chars: int, produced: int, extra: str = "", casefold: bool = False
) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        value = args[0] if args else next(iter(kwargs.values()), None)
        text = _as_text(value)
        if text is None or type(result) is not bytes or not ctx.is_tainted(value):
            return
        allowed = alphabet | frozenset(extra)
        altchars = _arg(args, kwargs, 1, "altchars")
        if chars == 4 and isinstance(altchars, (str, bytes)):
            allowed |= frozenset(_as_text(altchars) or "")
        if casefold or _arg(args, kwargs, 1, "casefold", False) is True:
            allowed |= frozenset(c.lower() for c in alphabet)
        positions = [i for i, c in enumerate(text) if c in allowed] if len(text) <= _spans.MAX_MAPPED else []
        segments = _spans.base_groups(positions, len(result), chars, produced) if positions else None
        _spans.derive(ctx, result, value, segments)

    return propagate


def _install_base64(module: ModuleType) -> None:
    for name in ("b64encode", "standard_b64encode", "urlsafe_b64encode"):
        _after(module, name, _encoder(3, 4))
    _after(module, "encodebytes", _encoder(3, 4, 76))
    _after(module, "b32encode", _encoder(5, 8))
    _after(module, "b16encode", _encoder(1, 2))
    _after(module, "b64decode", _decoder(_B64, 4, 3))
    _after(module, "standard_b64decode", _decoder(_B64, 4, 3))
    _after(module, "urlsafe_b64decode", _decoder(_B64, 4, 3, "-_"))
    _after(module, "decodebytes", _decoder(_B64, 4, 3))
    _after(module, "b32decode", _decoder(_B32, 8, 5))
    _after(module, "b16decode", _decoder(_B16, 2, 1))


# ---------------------------------------------------------------------------------------
# json
# ---------------------------------------------------------------------------------------

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
# Bounds on the walk of a document's values, so huge documents cost a bounded time.
_MAX_NODES = 20_000


def _strings(value: Any, budget: int = _MAX_NODES) -> List[str]:
    """The `str` keys and values of a decoded document, in document order."""
    out: List[str] = []
    stack = [value]
    while stack and budget > 0:
        item = stack.pop()
        budget -= 1
        kind = type(item)
        if kind is str:
            out.append(item)
        elif kind is dict:
            children = []
            for key, child in item.items():
                children.append(key)
                children.append(child)
            stack.extend(reversed(children))
        elif kind is list or kind is tuple:
            stack.extend(reversed(item))
    return out


def _loads(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    """Each decoded string from the literal it was written as: literals are matched to
    the decoded strings in document order (a repeated key keeps its first object)."""
    source = _arg(args, kwargs, 0, "s")
    if type(source) not in _TEXT or not ctx.is_tainted(source):
        return
    strings = [s for s in _strings(result) if len(s) >= 2]
    if not strings:
        return
    text = source if type(source) is str else source.decode("latin-1")
    if type(source) is bytes:
        try:
            if source.decode("utf-8") != text:  # not ASCII: offsets differ
                text = None  # type: ignore[assignment]
        except UnicodeError:
            text = None  # type: ignore[assignment]
    if text is None or len(text) > 10 * _spans.MAX_MAPPED:
        for s in strings:
            _spans.whole(ctx, s, source)
        return
    ranges = ctx.ranges(source)
    literals = _JSON_STRING.finditer(text)
    pending = None
    from json.decoder import scanstring as scan

    for value in strings:
        if ctx.is_tainted(value):
            continue
        match = pending
        pending = None
        tries = 0
        while tries < 64:
            if match is None:
                match = next(literals, None)
                if match is None:
                    break
            try:
                decoded = scan(text, match.start() + 1)[0]
            except ValueError:
                decoded = None
            if decoded == value:
                break
            match = None
            tries += 1
        if match is None:
            _spans.whole(ctx, value, source)
            continue
        a, b = match.start() + 1, match.end() - 1
        inside = _spans.clip(ranges, a, b, 0)
        body = text[a:b]
        segments = [(0, len(body), 0, len(body))] if "\\" not in body else _spans.json_string(body)
        if segments is None:
            _spans.apply(ctx, value, [(0, len(value), r[2], r[3]) for r in inside[:1]])
        else:
            _spans.apply(ctx, value, _spans.runs(inside, segments))


def _dumps(json: ModuleType) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        if type(result) is not str or len(ctx) == 0:
            return
        value = _arg(args, kwargs, 0, "obj")
        tainted = [s for s in _strings(value) if len(s) >= 2 and ctx.is_tainted(s)]
        if not tainted:
            return
        ascii_only = _arg(args, kwargs, 2, "ensure_ascii", True)
        encode = json.encoder.encode_basestring_ascii if ascii_only else json.encoder.encode_basestring
        found = []
        for text in dict.fromkeys(tainted):
            encoded = encode(text)
            ranges = ctx.ranges(text)
            if encoded[1:-1] == text:
                segments: Optional[list] = [(0, len(text), 1, len(text) + 1)]
            else:
                segments = _spans.per_char_checked(text, lambda c: len(encode(c)) - 2, len(encoded), 1, 1)
            moved = _spans.runs(ranges, segments) if segments is not None else [(1, len(encoded) - 2, *ranges[0][2:])]
            at = result.find(encoded)
            while at >= 0:
                found.extend(_spans.shifted(moved, at))
                at = result.find(encoded, at + len(encoded))
        found.sort()
        _spans.apply(ctx, result, found)
        if ctx.is_tainted(result):
            ctx.mark_secure(result, result, ["HEADER_INJECTION"])

    return propagate


def _install_json(json: ModuleType) -> None:
    _after(json, "loads", _loads)
    _after(json, "dumps", _dumps(json))


# ---------------------------------------------------------------------------------------
# re
# ---------------------------------------------------------------------------------------


def _compiled(pattern: Any, flags: Any) -> Any:
    if isinstance(pattern, _ops._Pattern):
        return pattern
    return re.compile(pattern, flags or 0)


def _re_sub(original: Any, ctx: Any, args: tuple, kwargs: dict) -> Any:
    pattern = _arg(args, kwargs, 0, "pattern")
    repl = _arg(args, kwargs, 1, "repl")
    string = _arg(args, kwargs, 2, "string")
    returned = None
    try:
        follow = type(string) in _TEXT and (callable(repl) or ctx.is_tainted(string) or _tainted(ctx, repl))
        if follow:
            wrapped, returned = _ops.record_replacements(repl)
            if returned is not None:
                if len(args) > 1:
                    args = (args[0], wrapped, *args[2:])
                else:
                    kwargs = {**kwargs, "repl": wrapped}
    except Exception:
        follow = False
    result = original(*args, **kwargs)
    if follow:
        count = _arg(args, kwargs, 3, "count", 0)
        flags = _arg(args, kwargs, 4, "flags", 0)
        _safely(lambda: _ops.regex_sub(ctx, _compiled(pattern, flags), repl, string, result, count, returned))
    return result


def _re_pieces(kind: str) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        string = _arg(args, kwargs, 1, "string")
        if not _tainted(ctx, string):
            return
        if kind == "split":
            maxsplit = _arg(args, kwargs, 2, "maxsplit", 0)
            flags = _arg(args, kwargs, 3, "flags", 0)
        else:
            maxsplit, flags = 0, _arg(args, kwargs, 2, "flags", 0)
        _ops.regex_pieces(ctx, _compiled(_arg(args, kwargs, 0, "pattern"), flags), string, result, kind, maxsplit)

    return propagate


def _re_check(how: str) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        if result is not None:
            flags = _arg(args, kwargs, 2, "flags", 0) or 0
            _ops.regex_checked(ctx, result, _arg(args, kwargs, 0, "pattern"), how, flags)

    return propagate


def _re_escape(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "pattern")
    if result is value or not _tainted(ctx, value):
        return
    backslash = "\\" if type(result) is str else 92
    build = _spans.Segments()
    at = 0
    for _ in range(len(value)):
        width = 2 if result[at] == backslash else 1
        build.add(1, width)
        at += width
    _spans.derive(ctx, result, value, build.items if at == len(result) else None)


def _install_re(module: ModuleType) -> None:
    _around(module, "sub", _re_sub)
    _around(module, "subn", _re_sub)
    _after(module, "findall", _re_pieces("findall"))
    _after(module, "split", _re_pieces("split"))
    for how in ("match", "fullmatch", "search"):
        _after(module, how, _re_check(how))
    _after(module, "escape", _re_escape)


# ---------------------------------------------------------------------------------------
# string.Template, html, shlex
# ---------------------------------------------------------------------------------------


def _substituted(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    template = args[0] if args else None
    inputs = [getattr(template, "template", None)]
    mapping = args[1] if len(args) > 1 else None
    if isinstance(mapping, dict):
        inputs.extend(mapping.values())
    inputs.extend(kwargs.values())
    ctx.propagate_found(result, [i for i in inputs if type(i) in _TEXT])


def _no_scheme(value: str) -> bool:
    """Escaped text is safe HTML unless it may be a URL with a scheme (`javascript:`)
    that an attribute would run: escaping leaves the `:` alone."""
    return ":" not in value


def _html_escape(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "s")
    if type(value) is not str or not ctx.is_tainted(value):
        return
    quote = bool(_arg(args, kwargs, 1, "quote", True))
    if result is not value:
        _spans.escaped(ctx, result, value, _spans.HTML_QUOTED if quote else _spans.HTML_UNQUOTED)
    if quote and _no_scheme(value):
        ctx.mark_secure(result, result, ["XSS"])


def _html_unescape(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "s")
    if result is not value and _tainted(ctx, value):
        _spans.found_or_whole(ctx, result, [value])


def _shlex_quote(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "s")
    if type(value) is not str or not ctx.is_tainted(value):
        return
    if result == value:
        ctx.propagate_same(result, value)  # nothing to quote: the same text
    else:
        _spans.escaped(ctx, result, value, _spans.SHELL_QUOTED, prefix=1, suffix=1)
    ctx.mark_secure(result, result, ["COMMAND_INJECTION"])


def _shlex_split(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "s")
    if _tainted(ctx, value):
        for piece in result:
            if type(piece) is str and piece:
                _spans.found_or_whole(ctx, piece, [value])


def _shlex_join(shlex: ModuleType) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        words = list(_arg(args, kwargs, 0, "split_command") or ())
        if not any(_tainted(ctx, w) for w in words):
            return
        pieces = [shlex.quote(w) for w in words]
        if " ".join(pieces) == result:
            ctx.propagate_parts(result, " ", pieces)

    return propagate


def _install_string(module: ModuleType) -> None:
    _after(module.Template, "substitute", _substituted)
    _after(module.Template, "safe_substitute", _substituted)


def _install_html(module: ModuleType) -> None:
    _after(module, "escape", _html_escape)
    _after(module, "unescape", _html_unescape)


def _install_shlex(module: ModuleType) -> None:
    _after(module, "quote", _shlex_quote)
    _after(module, "split", _shlex_split)
    _after(module, "join", _shlex_join(module))


# ---------------------------------------------------------------------------------------
# os.path (the library-sinks area patches `join`)
# ---------------------------------------------------------------------------------------


def _normalised(ctx: Any, result: Any, text: str, ranges: list, inputs: list) -> None:
    mapped = _spans.normpath(text, ranges)
    if mapped is not None and mapped[0] == result:
        _spans.apply(ctx, result, mapped[1])
    else:
        _spans.found_or_whole(ctx, result, inputs)


def _path_result(kind: str) -> Callable[[Any, Any, tuple, dict], None]:
    def propagate(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        value = args[0] if args else next(iter(kwargs.values()), None)
        if type(value) is not str or type(result) is not str or not ctx.is_tainted(value):
            return
        if os.path.__name__ != "posixpath":
            _spans.found_or_whole(ctx, result, [value])
            return
        ranges = ctx.ranges(value)
        if kind == "normpath":
            _normalised(ctx, result, value, ranges, [value])
            return
        if ctx.is_tainted(result):
            return  # built by the patched functions it calls
        if value.startswith("/"):
            text = value
        else:
            cwd = os.getcwd()
            prefix = cwd if cwd.endswith("/") else cwd + "/"
            text, ranges = prefix + value, _spans.shifted(ranges, len(prefix))
        _normalised(ctx, result, text, ranges, [value])

    return propagate


def _basename(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "p")
    if type(value) not in _TEXT or type(result) is not type(value) or not ctx.is_tainted(value):
        return
    if result is not value and result:
        at = len(value) - len(result)
        ctx.propagate_slice(result, value, at, len(value))
    if result not in (".", "..", b".", b"..") and ctx.is_tainted(result):
        ctx.mark_secure(result, result, ["PATH_TRAVERSAL"])


def _path_pieces(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = args[0] if args else next(iter(kwargs.values()), None)
    if type(value) not in _TEXT or not ctx.is_tainted(value):
        return
    pieces = result if isinstance(result, tuple) else (result,)
    cursor = 0
    for piece in pieces:
        if type(piece) is type(value) and piece and piece is not value:
            at = value.find(piece, cursor)
            if at >= 0:
                ctx.propagate_slice(piece, value, at, at + len(piece))
                cursor = at + len(piece)


def _install_paths(module: ModuleType) -> None:
    path = module.path
    _after(path, "normpath", _path_result("normpath"))
    _after(path, "abspath", _path_result("abspath"))
    _after(path, "realpath", _path_result("realpath"))
    _after(path, "basename", _basename)
    _after(path, "dirname", _path_pieces)
    _after(path, "split", _path_pieces)
    _after(path, "splitext", _path_pieces)


# ---------------------------------------------------------------------------------------
# markupsafe, Jinja, Werkzeug
# ---------------------------------------------------------------------------------------


def _markup_escape(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = args[0] if args else None
    if not isinstance(value, str) or not ctx.is_tainted(value):
        return
    if hasattr(value, "__html__"):
        # Already markup: kept as it is, marks and all.
        if result is not value and result == value:
            ctx.propagate_same(result, value)
        return
    if result is not value:
        ctx.propagate_markup_escape(result, value)


def _markup_new(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    """`Markup(text)` keeps the text's taint. Declaring text safe HTML is itself the XSS
    sink (checked where it happens, see `_flask`): the markup made is not reported again
    in every page it ends up in."""
    base = args[1] if len(args) > 1 else kwargs.get("base")
    if isinstance(base, _TEXT) and result is not base and ctx.is_tainted(base):
        text = base if isinstance(base, str) else None
        if text is not None and result == text:
            ctx.propagate_same(result, base)
        else:
            _spans.found_or_whole(ctx, result, [base])
        if type(base) in _TEXT and ctx.is_tainted(result):
            ctx.mark_secure(result, result, ["XSS"])


def _install_markupsafe(module: ModuleType) -> None:
    # Jinja calls these for every value it prints: the core's wrapper, whatever they are.
    _after(module, "escape", _markup_escape, native=True)
    _after(module, "escape_silent", _markup_escape, native=True)
    _after(module.Markup, "__new__", _markup_new, native=True)


def _markupsafe_own(markupsafe: ModuleType) -> bool:
    """Whether `escape` and `Markup.__new__` are still markupsafe's own under the
    agent's hooks: what the core's template escape reproduces for plain values."""
    new = _sinks.unhooked(markupsafe.Markup.__dict__.get("__new__"))
    escape = _sinks.unhooked(markupsafe.escape)
    return all(getattr(f, "__module__", None) in ("markupsafe", "markupsafe._speedups") for f in (new, escape))


def _install_jinja(module: ModuleType) -> None:
    import jinja2.runtime

    markupsafe = __import__("markupsafe")
    _install_markupsafe(markupsafe)
    # Templates take `escape` from jinja2.runtime, which took it from markupsafe when it
    # was imported. They get the core's escape, which hands anything but plain untainted
    # values to markupsafe's hooked one; the hooked one itself when markupsafe was
    # changed by someone else.
    escape = markupsafe.escape
    if _markupsafe_own(markupsafe) and _native.register_template(escape, markupsafe.Markup):
        escape = _native.template_escape
    if _sinks.unhooked(jinja2.runtime.escape) in (_sinks.unhooked(markupsafe.escape), _native.template_escape):
        jinja2.runtime.escape = escape
    # The rendered pieces (template text, escaped or converted values) joined, each
    # piece's taint at its place in the page.
    environment = module.Environment
    if environment.__dict__.get("concat") is not None:
        environment.concat = _native.join_parts
    # Filters that change case or trim build new text in Jinja's code, which is not
    # rewritten: their result keeps the value's characters (`{{ bio|upper|safe }}`).
    # Environments copy this table when they are created.
    import jinja2.filters

    for name, method in (("upper", "upper"), ("lower", "lower"), ("title", "title"), ("capitalize", "capitalize"), ("trim", "strip")):
        _after(jinja2.filters.FILTERS, name, _kept_by_filter(method))


def _kept_by_filter(method: str) -> Callable[[Any, Any, tuple, dict], None]:
    def follow(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
        value = args[0] if args else None
        if isinstance(value, _TEXT) and isinstance(result, _TEXT) and ctx.is_tainted(value):
            ctx.follow_text_method(result, value, method)

    return follow


def _secure_filename(ctx: Any, result: Any, args: tuple, kwargs: dict) -> None:
    value = _arg(args, kwargs, 0, "filename")
    if _tainted(ctx, value) and type(result) is str and result and result not in (".", ".."):
        ctx.mark_secure(result, value, ["PATH_TRAVERSAL"])


def _install_werkzeug_utils(module: ModuleType) -> None:
    _after(module, "secure_filename", _secure_filename)


def install() -> None:
    """Patches each library when the application imports it."""
    for name, patch in (
        ("urllib.parse", _install_urllib),
        ("base64", _install_base64),
        ("json", _install_json),
        ("re", _install_re),
        ("string", _install_string),
        ("html", _install_html),
        ("shlex", _install_shlex),
        ("os", _install_paths),
        ("markupsafe", _install_markupsafe),
        ("jinja2", _install_jinja),
        ("werkzeug.utils", _install_werkzeug_utils),
    ):
        _patches.when_imported(name, patch)
