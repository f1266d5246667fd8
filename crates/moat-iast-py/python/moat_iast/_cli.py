"""`moat-iast run <command...>`: runs a command with the agent on, like `ddtrace-run`."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

USAGE = "usage: moat-iast run <command> [args...]"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] != "run":
        print(USAGE, file=sys.stderr)
        return 2
    command = args[1:]
    program = shutil.which(command[0])
    if program is None:
        print(f"moat-iast: {command[0]}: command not found", file=sys.stderr)
        return 127
    bootstrap = str(Path(__file__).parent / "bootstrap")
    existing = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = bootstrap + (os.pathsep + existing if existing else "")
    os.environ["MOAT_IAST_ENABLED"] = "true"
    os.execv(program, command)
    return 0  # not reached: execv replaces the process


if __name__ == "__main__":
    sys.exit(main())
