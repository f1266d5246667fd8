"""`python -m moat_iast._runpy script.py args...`: runs a script as `__main__` the way
`python script.py` does, but with its code rewritten like any application module.
`moat-iast run python app.py` uses it, since the interpreter compiles a main script
itself and no import hook sees it."""

from __future__ import annotations

import os
import sys
import types


def main() -> None:
    if len(sys.argv) < 2:
        print("usage: python -m moat_iast._runpy <script.py> [args...]", file=sys.stderr)
        sys.exit(2)
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    with open(script, "rb") as source_file:
        source = source_file.read()
    module = types.ModuleType("__main__")
    module.__file__ = script
    module.__builtins__ = __builtins__  # type: ignore[attr-defined]
    try:
        from moat_iast import _ops
        from moat_iast._rewrite import OPS, rewrite

        code = rewrite(source.decode("utf-8"), script)
        module.__dict__[OPS] = _ops
    except Exception:  # fail open: the script runs as written
        code = compile(source, script, "exec", dont_inherit=True)
    sys.modules["__main__"] = module
    exec(code, module.__dict__)


if __name__ == "__main__":
    main()
