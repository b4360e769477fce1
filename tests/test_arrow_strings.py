"""A string array built from its buffers is the array ``pa.array`` builds, and needs no pandas."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pytest

from chipscreen.arrow_strings import string_array


@pytest.mark.parametrize("values", [[], [None], [""], ["Huawei", None, "", "北京智谱华章", "Белый", None, "x" * 300],
                                    [None] * 9 + ["a"], [f"node {i}" for i in range(1000)]])
def test_the_same_array_as_pa_array(values: list[str | None]) -> None:
    built = string_array(values)
    assert built.type == pa.string() and built.equals(pa.array(values, pa.string()))
    assert built.to_pylist() == values and built.null_count == values.count(None)


def test_pandas_is_not_imported() -> None:
    probe = ("import sys; from chipscreen.arrow_strings import string_array; string_array(['a', None]); "
             "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
