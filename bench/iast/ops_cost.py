#!/usr/bin/env python3
"""What the rewrite costs on untainted string operations: six operations run plain,
with one Python call each (the floor of any rewrite), with a call and a core lookup
each (the floor inside a request), and rewritten by the agent outside and inside a
request. Prints nanoseconds per six operations; run with the agent installed
(`pip install ./crates/moat-iast-py`). A figure, not a test: timings depend on the
machine and its load."""

import sys
import timeit

from moat_iast import _context, _ops
from moat_iast._rewrite import OPS, rewrite

SOURCE = """
def plain(a, b, items):
    return (a + b, a % b, a[1:5], a.upper(), f'{a}:{b}', b in items)

def one_call_each(a, b, items):
    return (call(a + b), call(a % b), call(a[1:5]), call(a.upper()), call(f'{a}:{b}'), call(b in items))

def call(value):
    return value

def one_lookup_each(a, b, items):
    return (seen(a + b), seen(a % b), seen(a[1:5]), seen(a.upper()), seen(f'{a}:{b}'), seen(b) and b in items)

def seen(value):
    lookup(value)
    return value
"""


def per_call(fn, *args):
    return min(timeit.repeat(lambda: fn(*args), number=2000, repeat=25)) / 2000


def main() -> int:
    args = ("SELECT * FROM t WHERE id = %s", "name", ("id", "name"))
    floors: dict = {}
    exec(compile(SOURCE, "floors.py", "exec"), floors)
    rewritten: dict = {OPS: _ops}
    exec(rewrite(SOURCE, "rewritten.py"), rewritten)
    plain = per_call(floors["plain"], *args)
    called = per_call(floors["one_call_each"], *args)
    outside = per_call(rewritten["plain"], *args)
    context = _context.start("GET", "/cost")
    try:
        floors["lookup"] = context.is_tainted
        looked = per_call(floors["one_lookup_each"], *args)
        inside = per_call(rewritten["plain"], *args)
    finally:
        _context.end()
    print(f"Python {sys.version.split()[0]}, six untainted string operations:")
    print(f"  plain                          {plain * 1e9:7.0f} ns")
    print(f"  one Python call each           {called * 1e9:7.0f} ns")
    print(f"  a call and a core lookup each  {looked * 1e9:7.0f} ns")
    print(f"  rewritten, outside a request   {outside * 1e9:7.0f} ns ({outside / called:.1f}x its floor)")
    print(f"  rewritten, inside a request    {inside * 1e9:7.0f} ns ({inside / looked:.1f}x its floor)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
