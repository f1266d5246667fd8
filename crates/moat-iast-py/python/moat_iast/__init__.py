"""Moat's runtime vulnerability detection (IAST) agent for Python.

This first version exposes the Rust core's sink analysers; the hooks that call them from a
running Flask or Django application come next.
"""

from moat_iast._native import __version__, shell_injected, sql_injected

__all__ = ["__version__", "shell_injected", "sql_injected"]
