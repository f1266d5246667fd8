"""Taint flows through rewritten application code into the SQL analyser."""

import pytest

from moat_iast import _context, _ops
from moat_iast._rewrite import OPS, rewrite


@pytest.fixture()
def ctx():
    context = _context.start()
    yield context
    _context.end()


def run(source: str, **names):
    namespace = {OPS: _ops, **names}
    exec(rewrite(source, "app.py"), namespace)
    return namespace


def test_concatenation_carries_taint_to_an_injectable_query(ctx):
    user = ctx.taint("1 OR 1=1", "parameter", "id")
    ns = run("q = 'SELECT * FROM t WHERE id = ' + user", user=user)
    assert ns["q"] == "SELECT * FROM t WHERE id = 1 OR 1=1"
    assert ctx.ranges(ns["q"]) == [(27, 8, "parameter", "id")]
    assert ctx.sql_injected(ns["q"])


def test_a_quoted_value_is_not_injection(ctx):
    name = ctx.taint("alice", "parameter", "name")
    ns = run("q = \"SELECT * FROM t WHERE name = '\" + name + \"'\"", name=name)
    assert ctx.is_tainted(ns["q"])
    assert not ctx.sql_injected(ns["q"])


def test_fstrings_and_join_propagate(ctx):
    table = ctx.taint("users; DROP TABLE x", "query", "t")
    ns = run("q = f'SELECT {col!s} FROM {table}'\nr = ', '.join(['a', table])", table=table, col="id")
    assert ns["q"] == "SELECT id FROM users; DROP TABLE x"
    assert ctx.sql_injected(ns["q"])
    assert ctx.ranges(ns["r"]) == [(3, 19, "query", "t")]


def test_behaviour_is_unchanged_for_other_types(ctx):
    ns = run("a = 1 + 2\nb = [1] + [2]\nc = f'{3.14159:.2f}'\nd = b'x' + b'y'\ne = '-'.join(map(str, [1, 2]))")
    assert (ns["a"], ns["b"], ns["c"], ns["d"], ns["e"]) == (3, [1, 2], "3.14", b"xy", "1-2")


def test_outside_a_request_nothing_is_tracked():
    ns = run("q = 'a' + 'bc'")
    assert ns["q"] == "abc"
    assert _context.current() is None


def test_untainted_strings_are_not_stored(ctx):
    run("q = 'SELECT ' + '1'\nr = f'{q} x'")
    assert len(ctx) == 0
