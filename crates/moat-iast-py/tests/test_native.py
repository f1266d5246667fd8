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
