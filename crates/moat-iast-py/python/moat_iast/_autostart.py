"""Imported by `moat_iast.pth` at interpreter start when `MOAT_IAST_ENABLED` (or
`DD_IAST_ENABLED`) is true: turns the agent on before the program runs."""

try:
    from moat_iast._hook import install

    install()
except Exception as error:  # the agent never stops the application from starting
    import sys

    print(f"moat-iast: agent not started: {error!r}", file=sys.stderr)
