"""Arrow arrays built from, and read as, their buffers, for the paths a warm command takes.

``pyarrow.array`` asks whether pandas is installed before it looks at its argument, and ``Array.to_numpy``
imports it too: half a second that a warm ``check`` paid to turn a few thousand node names into one column
or to read the cached index's numbers.
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


def number_view(arr: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """The array's values in place (read-only) from its data buffer; ValueError unless it holds exactly
    ``dtype`` without nulls (a cache file whose columns are not what this code wrote)."""
    expected = np.dtype(dtype)
    if arr.type != pa.from_numpy_dtype(expected) or arr.null_count:
        raise ValueError(f"expected {expected} without nulls, found {arr.type}")
    return np.frombuffer(arr.buffers()[1], dtype=expected, count=len(arr), offset=arr.offset * expected.itemsize)
