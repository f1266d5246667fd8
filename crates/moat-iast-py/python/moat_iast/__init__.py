"""Moat's runtime vulnerability detection (IAST) agent for Python.

This first version holds the Rust core's sink analysers, the per-request taint context,
and the AST rewriter that routes an application's string building through the core;
the import hook, the framework sources and the sink hooks come next.
"""

from moat_iast._native import __version__, shell_injected, sql_injected

__all__ = ["__version__", "shell_injected", "sql_injected"]
