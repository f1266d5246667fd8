"""Loaded by `moat-iast run` through PYTHONPATH: turns the agent on before the program."""

try:
    from moat_iast._hook import install

    install()
except Exception as error:  # the agent never stops the application from starting
    import sys

    print(f"moat-iast: agent not started: {error}", file=sys.stderr)
