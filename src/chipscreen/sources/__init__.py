"""One module per external list format; ``parse_file`` picks the reader (or takes ``--format``).

The readers (``registry``) are imported when first asked for, not with the package: every command imports
``sources.base`` (the shapes the store keeps), and importing all the readers with it cost a warm ``screen``
half a second for parsers it never runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chipscreen.sources.registry import READERS, Reader, detect_format, parse_file

__all__ = ["READERS", "Reader", "detect_format", "parse_file"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from chipscreen.sources import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
