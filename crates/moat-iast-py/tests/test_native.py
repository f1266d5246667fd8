"""The agent's Rust core as Python sees it, from the installed wheel."""

import moat_iast
from moat_iast import _native


def span(text: str, tainted: str) -> tuple[int, int]:
    start = text.encode().index(tainted.encode())
    return (start, start + len(tainted.encode()))


def test_sql_value_in_quotes_is_safe_and_breakout_is_injection():
    safe = "SELECT * FROM users WHERE name = 'alice'"
    assert not moat_iast.sql_injected(safe, [span(safe, "alice")])
    bad = "SELECT * FROM users WHERE name = '' OR '1'='1'"
    assert moat_iast.sql_injected(bad, [span(bad, "' OR '1'='1")])


def test_shell_argument_is_safe_and_separator_is_injection():
    safe = "ls -l /tmp/report.txt"
    assert not moat_iast.shell_injected(safe, [span(safe, "report.txt")])
    bad = "ls -l /tmp/x; rm -rf /"
    assert moat_iast.shell_injected(bad, [span(bad, "x; rm -rf /")])


def test_offsets_past_the_end_do_not_raise():
    assert not moat_iast.sql_injected("SELECT 1", [(100, 200), (5, 2)])


def test_a_panic_in_the_core_fails_open():
    # Neither an exception nor a BaseException reaches the caller.
    assert _native._panic_for_tests() is False
    assert _native._panic_for_tests() is False


def test_version_is_exposed():
    assert moat_iast.__version__


# ---------------------------------------------------------------------------------------
# The core's hook wrapper
# ---------------------------------------------------------------------------------------

import functools  # noqa: E402
import pickle  # noqa: E402

import pytest  # noqa: E402

from moat_iast import _context  # noqa: E402


def hooked(original, hook, when, **options):
    return functools.update_wrapper(_native.Hooked(original, hook, _context._current.get, when, **options), original)


class Greeter:
    def greet(self, name):
        return f"hello {name}"


def test_a_hooked_function_behaves_like_the_original():
    seen = []
    wrapper = hooked(Greeter.greet, lambda *args, **kwargs: seen.append(args), "before", always=True)
    assert wrapper.__name__ == "greet" and wrapper.__wrapped__ is Greeter.greet
    Greeter.greet = wrapper
    try:
        # Bound like a function on its class, called through the class too.
        assert Greeter().greet("ada") == "hello ada"
        assert Greeter.greet(Greeter(), name="bob") == "hello bob"
        assert len(seen) == 2
    finally:
        Greeter.greet = wrapper.__wrapped__


def test_the_originals_errors_reach_the_caller_and_the_hooks_never_do():
    def fails(value):
        raise ValueError(value)

    def broken_hook(*args, **kwargs):
        raise RuntimeError("hook bug")

    with pytest.raises(ValueError, match="boom"):
        hooked(fails, broken_hook, "before", always=True)("boom")
    ctx = _context.start("GET", "/")
    try:
        value = ctx.taint(("data" + "!")[:-1], "parameter", "q")
        assert hooked(str.upper, broken_hook, "after")(value) == "DATA"
    finally:
        _context.end()


def test_after_hooks_run_only_for_request_data():
    calls = []

    def record(ctx, result, args, kwargs):
        calls.append(result)
        return None

    upper = hooked(str.upper, record, "after")
    assert upper("outside") == "OUTSIDE" and calls == []
    ctx = _context.start("GET", "/")
    try:
        assert upper("plain text") == "PLAIN TEXT" and calls == []
        value = ctx.taint(("data" + "!")[:-1], "parameter", "q")
        assert upper(value) == "DATA" and calls == ["DATA"]
        # A hook's answer other than None replaces the result.
        assert hooked(str.upper, lambda *a: "replaced", "after")(value) == "replaced"
    finally:
        _context.end()


def test_a_sink_and_a_propagation_hook_join_in_one_wrapper():
    order = []
    after = hooked(str.strip, lambda ctx, result, args, kwargs: order.append("after"), "after")
    both = after.joined(lambda *args: order.append("before"), "before")
    assert after.joined(lambda *a: None, "after") is None, "the after place is taken"
    ctx = _context.start("GET", "/")
    try:
        value = ctx.taint((" data " + "!")[:-1], "parameter", "q")
        assert both(value) == "data" and order == ["before", "after"]
    finally:
        _context.end()


def test_a_hooked_module_function_pickles_by_reference():
    import json

    original = json.dumps
    json.dumps = hooked(original, lambda *a, **k: None, "before")
    try:
        assert pickle.loads(pickle.dumps(json.dumps)) is json.dumps
    finally:
        json.dumps = original
