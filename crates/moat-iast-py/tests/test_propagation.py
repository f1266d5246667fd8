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
    assert ctx.vulnerable("SQL_INJECTION", ns["q"])


def test_a_quoted_value_is_not_injection(ctx):
    name = ctx.taint("alice", "parameter", "name")
    ns = run("q = \"SELECT * FROM t WHERE name = '\" + name + \"'\"", name=name)
    assert ctx.is_tainted(ns["q"])
    assert not ctx.vulnerable("SQL_INJECTION", ns["q"])


def test_fstrings_and_join_propagate(ctx):
    table = ctx.taint("users; DROP TABLE x", "query", "t")
    ns = run("q = f'SELECT {col!s} FROM {table}'\nr = ', '.join(['a', table])", table=table, col="id")
    assert ns["q"] == "SELECT id FROM users; DROP TABLE x"
    assert ctx.vulnerable("SQL_INJECTION", ns["q"])
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


def test_percent_and_format_find_the_value_again(ctx):
    user = ctx.taint("1 OR 1=1", "parameter", "id")
    ns = run("a = 'SELECT * FROM t WHERE id = %s' % user\nb = 'WHERE id = {}'.format(user)\nc = '%(v)s' % {'v': user}", user=user)
    assert ctx.vulnerable("SQL_INJECTION", ns["a"])
    assert ctx.ranges(ns["b"]) == [(11, 8, "parameter", "id")]
    assert ctx.is_tainted(ns["c"])


def test_slices_and_methods_keep_taint_where_the_characters_go(ctx):
    value = ctx.taint("  Alice; DROP  ", "parameter", "name")
    ns = run(
        "s = value[2:7]\nu = value.upper()\nparts = value.strip().split(';')\nr = value.replace('DROP', 'KEEP')\nstep = value[::2]",
        value=value,
    )
    assert ns["s"] == "Alice" and ctx.ranges(ns["s"]) == [(0, 5, "parameter", "name")]
    assert ctx.ranges(ns["u"]) == [(0, 15, "parameter", "name")]
    assert [ctx.is_tainted(p) for p in ns["parts"]] == [True, True]
    assert ns["r"] == "  Alice; KEEP  "
    assert ctx.is_tainted(ns["r"])
    assert ns["step"] == value[::2]


def test_rewritten_methods_behave_like_the_originals(ctx):
    ns = run(
        "class Fmt:\n    def format(self, x):\n        return ('custom', x)\n"
        "a = Fmt().format(1)\nb = 'a-b'.split('-', maxsplit=1)\nc = [1, 2, 3][1:]\nd = 7 % 3\ne = 'x'.center(5, '*')"
    )
    assert (ns["a"], ns["b"], ns["c"], ns["d"], ns["e"]) == (("custom", 1), ["a", "b"], [2, 3], 1, "**x**")
