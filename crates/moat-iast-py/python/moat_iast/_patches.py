"""Patches that wait for their module: a library sink is hooked when the application
imports the library, so the agent adds no import of its own."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any, Callable, Optional, Sequence

_pending: dict = {}


def when_imported(name: str, patch: Callable[[ModuleType], None]) -> None:
    """Runs `patch(module)` once `name` is imported (now, if it already is)."""
    module = sys.modules.get(name)
    if module is not None:
        _apply(patch, module)
    else:
        _pending.setdefault(name, []).append(patch)


def _apply(patch: Callable[[ModuleType], None], module: ModuleType) -> None:
    try:
        patch(module)
    except Exception as error:  # fail open: the library runs unhooked
        print(f"moat-iast: could not hook {module.__name__}: {error!r}", file=sys.stderr)


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, name: str) -> None:
        self._loader = loader
        self._name = name

    def create_module(self, spec: Any) -> Optional[ModuleType]:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        # Loaders that report the module's loader (pkgutil, importlib.resources) see the real one.
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        for patch in _pending.pop(self._name, []):
            _apply(patch, module)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._loader, attr)


class PendingFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of a module some patch waits for."""

    def find_spec(self, fullname: str, path: Optional[Sequence[str]], target: Optional[ModuleType] = None) -> Any:
        if fullname not in _pending:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, fullname)
                return spec
        return None
