"""chipscreen: may this compute go to this party, on this date, through this chain, and if not, why not?

The public API is small: ``Store`` (dated list snapshots), the engines (``chipscreen.names``,
``chipscreen.ownership``, ``chipscreen.rules``) and ``chipscreen.decide``. The CLI is a thin shell over them.
"""

from chipscreen.errors import ChipscreenError, InputError, NotFoundError
from chipscreen.store import Store

__all__ = ["ChipscreenError", "InputError", "NotFoundError", "Store"]
__version__ = "0.1.0"
