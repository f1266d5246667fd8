"""`moat-iast run` in a real interpreter: the application's modules are rewritten and
taint flows through them; libraries and the cache are left alone."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

BIN = Path(sys.executable).parent


def write(dir: Path, name: str, text: str) -> None:
    (dir / name).write_text(textwrap.dedent(text))


def test_run_rewrites_application_modules(tmp_path):
    write(
        tmp_path,
        "queries.py",
        """
        def by_id(value):
            return "SELECT * FROM t WHERE id = " + value
        """,
    )
    write(
        tmp_path,
        "main.py",
        """
        from moat_iast import _context
        ctx = _context.start()
        user = ctx.taint("1 OR 1=1", "parameter", "id")
        import queries
        q = queries.by_id(user)
        print(q)
        print("injected" if ctx.vulnerable("SQL_INJECTION", q) else "clean")
        print("rewritten" if hasattr(queries, "__moat_iast_ops__") else "plain")
        import json
        print("library plain" if not hasattr(json, "__moat_iast_ops__") else "library rewritten")
        """,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(BIN / "moat-iast"), "run", sys.executable, "main.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "SELECT * FROM t WHERE id = 1 OR 1=1", "injected", "rewritten", "library plain",
    ]
    # Nothing rewritten was cached for runs without the agent.
    plain = subprocess.run([sys.executable, "-c", "import queries; print(queries.by_id('7'))"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert plain.stdout.strip() == "SELECT * FROM t WHERE id = 7", plain.stderr


def test_run_without_a_command_is_a_usage_error():
    out = subprocess.run([str(BIN / "moat-iast")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "usage: moat-iast run" in out.stderr
    missing = subprocess.run([str(BIN / "moat-iast"), "run", "no-such-program-here"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 127


def test_rewritten_modules_keep_their_own_future_flags(tmp_path):
    # The agent's modules use `from __future__ import annotations`; the application's
    # must not inherit it, or annotations turn into strings under the agent.
    write(
        tmp_path,
        "typed.py",
        """
        def f(x: int) -> str:
            return str(x)
        ANNOTATION = f.__annotations__["x"]
        """,
    )
    write(tmp_path, "main.py", "import typed\nprint(typed.ANNOTATION is int)\ndef g(y: int): pass\nprint(g.__annotations__['y'] is int)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([str(BIN / "moat-iast"), "run", sys.executable, "main.py"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
