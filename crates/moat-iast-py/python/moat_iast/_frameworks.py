"""Web frameworks are hooked when the application imports them."""

from __future__ import annotations

from types import ModuleType

from moat_iast import _patches


def _flask(module: ModuleType) -> None:
    from moat_iast import _flask

    _flask.install(module)


def _django(module: ModuleType) -> None:
    from moat_iast import _django

    _django.install(module)


def install() -> None:
    """Waits for each supported framework's import."""
    _patches.when_imported("flask", _flask)
    _patches.when_imported("django", _django)
