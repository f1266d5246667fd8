"""Where each character of an operation's result came from, for operations whose result
is not a plain copy of their input: codecs, escapes, decoders, path normalisation.

Such an operation is described by *segments*: `(in_start, in_end, out_start, out_end)`,
in order, saying that the input characters `in_start:in_end` became the output
characters `out_start:out_end`. A segment of equal lengths maps character by character
(`"abc"` kept as `"abc"`); any other maps as a block (`"%41"` became `"A"`, `"<"` became
`"&lt;"`): a tainted input character anywhere in the block taints the whole block.
`runs` turns the input's taint ranges into ranges of the output.

Ranges written this way (`Context.taint_runs`) keep their origin but not their secure
marks: the core does not expose those. Decoders should drop them anyway (`unquote`
undoes `quote`); for encoders the caller marks what the encoding neutralises again.
"""

from __future__ import annotations

import codecs
from typing import Any, Callable, List, Optional, Sequence, Tuple

Run = Tuple[int, int, str, str]
Segment = Tuple[int, int, int, int]

# Past this many characters, per-character mappings written in Python cost more than
# they are worth: the result is tainted as a whole instead.
MAX_MAPPED = 200_000


class Segments:
    """Builds segments in order, merging neighbouring character-for-character ones."""

    __slots__ = ("items", "src", "dst")

    def __init__(self, src: int = 0, dst: int = 0) -> None:
        self.items: List[Segment] = []
        self.src = src
        self.dst = dst

    def add(self, consumed: int, produced: int) -> None:
        """The next `consumed` input characters became the next `produced` output ones."""
        if consumed == produced and self.items:
            a, b, c, d = self.items[-1]
            if b - a == d - c and b == self.src and d == self.dst:
                self.items[-1] = (a, b + consumed, c, d + produced)
                self.src += consumed
                self.dst += produced
                return
        self.items.append((self.src, self.src + consumed, self.dst, self.dst + produced))
        self.src += consumed
        self.dst += produced

    def skip(self, consumed: int = 0, produced: int = 0) -> None:
        """Input dropped or output added by the operation itself (a quote it wraps the
        value in): no taint moves."""
        self.src += consumed
        self.dst += produced


def runs(ranges: Sequence[Run], segments: Sequence[Segment]) -> List[Run]:
    """The output ranges of the input's `ranges` (sorted, as `Context.ranges` gives them)."""
    out: List[Run] = []
    first = 0
    count = len(segments)
    for start, length, kind, name in ranges:
        end = start + length
        while first < count and segments[first][1] <= start:
            first += 1
        low = high = -1
        at = first
        while at < count and segments[at][0] < end:
            a, b, c, d = segments[at]
            at += 1
            if b <= a:
                continue
            if b - a == d - c:
                s, e = c + max(start, a) - a, c + min(end, b) - a
            else:
                s, e = c, d
            if e > s:
                if low < 0:
                    low = s
                high = e
        if high > low >= 0:
            out.append((low, high - low, kind, name))
    return out


def clip(ranges: Sequence[Run], start: int, end: int, to: int) -> List[Run]:
    """The ranges inside characters `start:end` of the input, moved so `start` is `to`."""
    out: List[Run] = []
    for s, length, kind, name in ranges:
        a, b = max(s, start), min(s + length, end)
        if a < b:
            out.append((a - start + to, b - a, kind, name))
    return out


def shifted(ranges: Sequence[Run], by: int) -> List[Run]:
    return [(s + by, length, kind, name) for s, length, kind, name in ranges]


def merged(found: Sequence[Run]) -> List[Run]:
    """Runs sorted, touching runs of one origin made one."""
    out: List[Run] = []
    for run in sorted(found):
        if out:
            start, length, kind, name = out[-1]
            if run[0] == start + length and run[2] == kind and run[3] == name:
                out[-1] = (start, length + run[1], kind, name)
                continue
        out.append(run)
    return out


def apply(ctx: Any, result: Any, found: List[Run]) -> None:
    """Taints `result` with `found` runs (nothing when there are none)."""
    if found:
        ctx.taint_runs(result, merged(found))


def derive(ctx: Any, result: Any, value: Any, segments: Optional[Sequence[Segment]]) -> None:
    """Taints `result` from `value` through `segments`; wholly when there are none (the
    mapping was not worked out)."""
    if segments is None:
        whole(ctx, result, value)
    else:
        apply(ctx, result, runs(ctx.ranges(value), segments))


def whole(ctx: Any, result: Any, value: Any) -> None:
    """`result` is derived from `value` in a way not mapped character by character: all
    of it takes the origin of `value`'s first tainted range, and no secure mark (the
    operation may have undone what made `value` safe, as decoding does)."""
    found = ctx.ranges(value) if len(result) > 0 else None
    if found:
        ctx.taint_runs(result, [(0, len(result), found[0][2], found[0][3])])


def found_or_whole(ctx: Any, result: Any, inputs: Sequence[Any]) -> None:
    """Tainted runs of `inputs` found again in `result`; when none is (the operation
    rewrote them, as `normpath` rewrites `a/../b`), the whole result from the first
    tainted input, so a flow is never lost."""
    ctx.propagate_found(result, list(inputs))
    if not ctx.is_tainted(result) and len(result) > 0:
        for value in inputs:
            if type(value) in (str, bytes) and ctx.is_tainted(value):
                whole(ctx, result, value)
                return


# ---------------------------------------------------------------------------------------
# Codecs
# ---------------------------------------------------------------------------------------


def _codec(encoding: Any) -> str:
    try:
        return codecs.lookup(encoding if isinstance(encoding, str) else "utf-8").name
    except LookupError:
        return ""


def _utf8_length(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


def _char_lengths(text: str, encoding: str, errors: str) -> Optional[Callable[[str], int]]:
    """How many bytes each character of `text` takes in `encoding`."""
    name = _codec(encoding)
    if name in ("ascii", "latin-1", "iso8859-1"):
        return lambda c: 1
    if name == "utf-8" and errors == "strict":
        return _utf8_length

    def measure(char: str) -> int:
        return len(char.encode(encoding, errors))

    return measure if name else None


def codec_segments(
    text: str, encoding: Any, errors: Any, other_length: int, encoding_text: bool
) -> Optional[List[Segment]]:
    """Segments of `text.encode(encoding, errors)` (when `encoding_text`) or of the bytes
    that `text` was decoded from: one character to the bytes it takes. `None` when the
    lengths do not add up (a byte order mark, replaced or ignored errors)."""
    if len(text) > MAX_MAPPED:
        return None
    encoding = encoding if isinstance(encoding, str) else "utf-8"
    errors = errors if isinstance(errors, str) else "strict"
    if len(text) == other_length and _codec(encoding) in ("ascii", "latin-1", "iso8859-1", "utf-8"):
        return [(0, len(text), 0, len(text))]
    measure = _char_lengths(text, encoding, errors)
    if measure is None:
        return None
    build = Segments()
    try:
        for char in text:
            if encoding_text:
                build.add(1, measure(char))
            else:
                build.add(measure(char), 1)
    except (UnicodeError, LookupError):
        return None
    total = build.dst if encoding_text else build.src
    return build.items if total == other_length else None


# ---------------------------------------------------------------------------------------
# Escapes and encodings of text
# ---------------------------------------------------------------------------------------


def per_char(text: str, length: Callable[[str], int], prefix: int = 0, suffix: int = 0) -> Optional[List[Segment]]:
    """Segments of an escape that replaces each character on its own, after `prefix`
    added characters (an opening quote)."""
    if len(text) > MAX_MAPPED:
        return None
    build = Segments(0, prefix)
    for char in text:
        build.add(1, length(char))
    return build.items


def per_char_checked(
    text: str, length: Callable[[str], int], result_length: int, prefix: int = 0, suffix: int = 0
) -> Optional[List[Segment]]:
    """`per_char`, or `None` when the lengths do not give the result's."""
    found = per_char(text, length, prefix)
    if found is None:
        return None
    end = found[-1][3] if found else prefix
    return found if end + suffix == result_length else None


# What each character becomes in an escape, for `Context.propagate_escaped` (any other
# character stays one).
HTML_QUOTED = {"&": 5, "<": 4, ">": 4, '"': 6, "'": 6}
HTML_UNQUOTED = {"&": 5, "<": 4, ">": 4}
SHELL_QUOTED = {"'": 5}  # `'"'"'` inside the single quotes `shlex.quote` adds


def escaped(ctx: Any, result: Any, value: Any, widths: dict, prefix: int = 0, suffix: int = 0) -> None:
    """`result` is `value` escaped character by character (the core maps each range
    over what its characters became); wholly tainted when the widths do not give the
    result, so a flow is never lost."""
    if not ctx.propagate_escaped(result, value, widths, prefix, suffix):
        whole(ctx, result, value)


def quoted_repr(text: str, result: str) -> Optional[List[Segment]]:
    """`repr(text)`: the characters between the quotes Python chose."""
    quote = result[:1]
    if quote not in ("'", '"'):
        return None

    def length(char: str) -> int:
        if char == quote or char == "\\":
            return 2
        inner = repr(char)
        return len(inner) - 2

    return per_char_checked(text, length, len(result), prefix=1, suffix=1)


def url_quote(
    text: Any, safe: frozenset, plus: bool, encoding: Any, errors: Any, result_length: int
) -> Optional[List[Segment]]:
    """`urllib.parse.quote` and `quote_plus` of a `str` or `bytes`."""
    encoding = encoding if isinstance(encoding, str) else "utf-8"
    errors = errors if isinstance(errors, str) else "strict"
    if isinstance(text, bytes):
        text = text.decode("latin-1")

        def length(char: str) -> int:
            return 1 if char in safe or (plus and char == " ") else 3

    else:

        def length(char: str) -> int:
            if char in safe or (plus and char == " "):
                return 1
            return 3 * len(char.encode(encoding, errors))

    try:
        return per_char_checked(text, length, result_length)
    except (UnicodeError, LookupError):
        return None


_HEX = frozenset("0123456789abcdefABCDEF")


def url_unquote(text: str, result: str, plus: bool, encoding: Any, errors: Any) -> Optional[List[Segment]]:
    """`urllib.parse.unquote` (and `unquote_plus`): each output character from a literal
    input character or from the `%xx` escapes of its bytes. `None` when the walk does not
    account for the result exactly (an undecodable sequence was replaced)."""
    if len(text) > MAX_MAPPED:
        return None
    encoding = encoding if isinstance(encoding, str) else "utf-8"
    errors = "surrogateescape" if errors == "surrogateescape" else "strict"
    size = len(text)

    def escaped(i: int) -> bool:
        return i + 3 <= size and text[i] == "%" and text[i + 1] in _HEX and text[i + 2] in _HEX

    build = Segments()
    at = 0
    try:
        for char in result:
            if at >= size:
                return None
            if plus and char == " " and text[at] == "+":
                build.add(1, 1)
                at += 1
            elif escaped(at):
                end = at
                for _ in range(len(char.encode(encoding, errors))):
                    if not escaped(end):
                        return None
                    end += 3
                build.add(end - at, 1)
                at = end
            elif text[at] == char:
                build.add(1, 1)
                at += 1
            else:
                return None
    except (UnicodeError, LookupError):
        return None
    return build.items if at == size else None


def base_groups(src_positions: Sequence[int], out_length: int, chars: int, produced: int) -> Optional[List[Segment]]:
    """A base-N decoding: each group of `chars` kept input characters (at
    `src_positions`) became up to `produced` output bytes."""
    build: List[Segment] = []
    out = 0
    for g in range(0, len(src_positions), chars):
        group = src_positions[g : g + chars]
        take = min(produced, out_length - out)
        if take <= 0:
            break
        build.append((group[0], group[-1] + 1, out, out + take))
        out += take
    return build if out == out_length else None


def base_encode(in_length: int, out_length: int, chars: int, produced: int, line: int = 0) -> Optional[List[Segment]]:
    """A base-N encoding: each group of `chars` input bytes became `produced` characters
    (`line` > 0: a newline after every `line` output characters, as `encodebytes`)."""
    build: List[Segment] = []
    out = 0
    written = 0
    for start in range(0, in_length, chars):
        build.append((start, min(start + chars, in_length), out, out + produced))
        out += produced
        written += produced
        if line and written >= line:
            out += 1
            written = 0
    if line and written:
        out += 1
    return build if out == out_length else None


def json_string(body: str) -> Optional[List[Segment]]:
    """The characters of a JSON string literal's body (without its quotes) to the
    characters `json.loads` decodes them into."""
    if len(body) > MAX_MAPPED:
        return None
    build = Segments()
    at = 0
    size = len(body)
    while at < size:
        if body[at] != "\\":
            nxt = body.find("\\", at)
            run = (nxt if nxt >= 0 else size) - at
            build.add(run, run)
            at += run
            continue
        kind = body[at + 1 : at + 2]
        if kind == "u":
            code = body[at + 2 : at + 6]
            width = 6
            if len(code) == 4 and 0xD800 <= int(code, 16) <= 0xDBFF and body[at + 6 : at + 8] == "\\u":
                low = body[at + 8 : at + 12]
                if len(low) == 4 and 0xDC00 <= int(low, 16) <= 0xDFFF:
                    width = 12
            build.add(width, 1)
            at += width
        else:
            build.add(2, 1)
            at += 2
    return build.items


def expand_tabs(text: str, tabsize: int, result_length: int) -> Optional[List[Segment]]:
    if len(text) > MAX_MAPPED:
        return None
    build = Segments()
    column = 0
    for char in text:
        if char == "\t":
            width = tabsize - column % tabsize if tabsize > 0 else 0
            build.add(1, width)
            column += width
        else:
            build.add(1, 1)
            column = 0 if char in "\n\r" else column + 1
    return build.items if build.dst == result_length else None


# ---------------------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------------------


def normpath(path: str, ranges: Sequence[Run]) -> Optional[Tuple[str, List[Run]]]:
    """`posixpath.normpath` with its taint: kept segments keep their characters' taint.
    When a tainted `..` removes a segment the request did not write, the request has
    climbed above the directory the code chose: the whole result is then tainted (so a
    path check sees the request picking the root), because no `..` is left to show it."""
    if not path:
        return ".", []

    def tainted(start: int, end: int) -> Optional[Run]:
        for run in ranges:
            if run[0] < end and run[0] + run[1] > start:
                return run
        return None

    def fully_tainted(start: int, end: int) -> bool:
        covered = start
        for s, length, _, _ in ranges:
            if s <= covered < s + length:
                covered = s + length
        return covered >= end

    slashes = len(path) - len(path.lstrip("/"))
    initial = 2 if slashes == 2 else (1 if slashes else 0)
    kept: List[Tuple[str, int]] = []
    climbed: Optional[Run] = None
    at = 0
    for part in path.split("/"):
        start = at
        at += len(part) + 1
        if part in ("", "."):
            continue
        if part != ".." or (not initial and not kept) or (kept and kept[-1][0] == ".."):
            kept.append((part, start))
        elif kept:
            removed = kept.pop()
            run = tainted(start, start + 2)
            if run is not None and climbed is None and not fully_tainted(removed[1], removed[1] + len(removed[0])):
                climbed = run
    text = "/" * initial + "/".join(part for part, _ in kept)
    text = text or "."
    if climbed is not None:
        return text, [(0, len(text), climbed[2], climbed[3])]
    found: List[Run] = []
    out = initial
    for index, (part, start) in enumerate(kept):
        if index:
            # A separator between two segments the request wrote is the request's too.
            before = kept[index - 1]
            end = before[1] + len(before[0])
            if tainted(start - 1, start) is not None and tainted(end - 1, end) is not None:
                found.extend(clip(ranges, start - 1, start, out - 1))
        found.extend(clip(ranges, start, start + len(part), out))
        out += len(part) + 1
    return text, found
