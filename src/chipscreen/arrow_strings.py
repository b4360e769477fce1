"""Arrow string arrays built from their buffers, for the paths a warm command takes.

``pyarrow.array`` asks whether pandas is installed before it looks at its argument, and so imports it: half
a second that a warm ``check`` paid to turn a few thousand node names into one column.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa


def string_array(values: Sequence[str | None]) -> pa.Array:
    """``pa.array(values, pa.string())``, without pandas."""
    data = [b"" if v is None else v.encode() for v in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, data), dtype=np.int64, count=len(data)), out=offsets[1:])
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(data))
    nulls = len(data) - int(valid.sum())
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if nulls else None
    array = pa.Array.from_buffers(pa.large_string(), len(data), [bitmap, pa.py_buffer(offsets),
                                                                   pa.py_buffer(b"".join(data))], null_count=nulls)
    return array.cast(pa.string())
