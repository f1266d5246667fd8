"""`moat-iast run <command...>`: runs a command with the agent on, like `ddtrace-run`."""

from __future__ import annotations

import os
import shutil
import sys

USAGE = "usage: moat-iast run <command> [args...]"


def _main_script(command: list[str]) -> list[str]:
    """`python app.py ...` becomes `python -m moat_iast._runpy app.py ...`, so the main
    script is rewritten like the modules it imports."""
    name = os.path.basename(command[0])
    if name.startswith("python") and len(command) > 1 and command[1].endswith(".py") and os.path.isfile(command[1]):
        return [command[0], "-m", "moat_iast._runpy", *command[1:]]
    return command


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2 or args[0] != "run":
        print(USAGE, file=sys.stderr)
        return 2
    command = _main_script(args[1:])
    program = shutil.which(command[0])
    if program is None:
        print(f"moat-iast: {command[0]}: command not found", file=sys.stderr)
        return 127
    # `moat_iast.pth`, installed with the package, starts the agent in every interpreter
    # that sees this variable: the command and the workers it forks or spawns.
    os.environ["MOAT_IAST_ENABLED"] = "true"
    os.execv(program, command)
    return 0  # not reached: execv replaces the process


if __name__ == "__main__":
    sys.exit(main())
