"""The import hook: rewrites the application's own modules as they are imported.

Only modules whose file lies under an application root (the working directory by
default, or the `os.pathsep`-separated `MOAT_IAST_APP_ROOTS`) and outside the standard
library and site-packages are rewritten. Rewritten code is never written to
`__pycache__`, so running without the agent later uses the plain bytecode.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from types import ModuleType
from typing import Optional, Sequence

from moat_iast import _config, _ops, _patches
from moat_iast._rewrite import OPS, rewrite


class _RewritingLoader(importlib.machinery.SourceFileLoader):
    def get_code(self, fullname: str):  # type: ignore[override]
        source = self.get_data(self.path)
        try:
            return rewrite(source.decode("utf-8"), self.path)
        except Exception:
            # Fail open: a module the rewriter cannot handle runs as written.
            return super().source_to_code(source, self.path)

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__[OPS] = _ops
        super().exec_module(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None):
        if fullname.startswith("moat_iast"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return None
        origin = os.path.realpath(spec.origin or "")
        if not _config.is_application(origin):
            return None
        spec.loader = _RewritingLoader(fullname, spec.origin)
        return spec


_installed: Optional[_Finder] = None


def install() -> None:
    """Turns the agent on: the rewriting finder first on `sys.meta_path`, the standard
    library's sinks, and the framework and library hooks that wait for their module.
    Calling it again does nothing."""
    global _installed
    if _installed is not None:
        return
    # Read the settings before the finder runs: reading them imports modules, which
    # would ask the finder, which needs the settings.
    _config.get()
    _installed = _Finder()
    sys.meta_path.insert(0, _installed)
    sys.meta_path.insert(0, _patches.PendingFinder())
    import importlib

    # Each area of hooks installs itself; one that fails leaves the others working.
    for area in _AREAS:
        try:
            module = importlib.import_module(f"moat_iast.{area}")
        except ModuleNotFoundError as error:
            if error.name != f"moat_iast.{area}":
                print(f"moat-iast: {area} not hooked: {error!r}", file=sys.stderr)
            continue
        try:
            module.install()
        except Exception as error:  # fail open: the application runs without these hooks
            print(f"moat-iast: {area} not hooked: {error!r}", file=sys.stderr)


# Modules with an `install()` that hooks one area: sinks of the standard library and of
# libraries, propagation through library functions, and the web frameworks (which wait
# for their module with `_patches.when_imported`).
_AREAS = ("_stdlib_sinks", "_library_sinks", "_xml_crypto_sinks", "_propagation", "_randomness", "_frameworks", "_sca")
