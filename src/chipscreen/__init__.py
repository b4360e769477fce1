"""chipscreen: may this compute go to this party, on this date, through this chain, and if not, why not?

The public API is small: ``open_store`` (a ``Store`` of dated list snapshots, with the bundled lists loaded if
it is empty), the engines (``chipscreen.names``, ``chipscreen.ownership``, ``chipscreen.rules``) and
``chipscreen.decide``. The CLI is a thin shell over them.
"""

from chipscreen.bundled import open_store
from chipscreen.errors import ChipscreenError, DataError, InputError, NotFoundError
from chipscreen.store import Store

__all__ = ["ChipscreenError", "DataError", "InputError", "NotFoundError", "Store", "open_store"]
__version__ = "0.1.0"
