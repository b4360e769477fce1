"""Ownership and control: the OFAC / BIS 50% rules, ultimate parents and headquarters, listed relatives.

Public API (imported lazily so that ``chipscreen --help`` does not pay for numpy/scipy)::

    from chipscreen.ownership import Control, load_file
    load_file(store, Path("owners.csv"))                 # csv | ftm | gleif | bods, detected
    st = Control(store).as_of(date).status("Acme Ltd")   # -> ControlStatus (pydantic, JSON-ready)
    st.captured, st.regimes["bis_affiliates"].proof, st.look_through_ppm, st.ultimate_parent, st.relatives

The legal status is a least fixpoint over blocked owners (never a product of percentages), computed on
integer ppm shares; see ``status.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chipscreen.ownership.control import Control, ControlStatus, ControlView
    from chipscreen.ownership.load import LoadSummary
    from chipscreen.ownership.load import load as load_file

__all__ = ["Control", "ControlStatus", "ControlView", "LoadSummary", "load_file"]


def __getattr__(name: str) -> Any:
    if name in ("Control", "ControlStatus", "ControlView"):
        from chipscreen.ownership import control

        return getattr(control, name)
    if name == "LoadSummary":
        from chipscreen.ownership.load import LoadSummary

        return LoadSummary
    if name == "load_file":
        from chipscreen.ownership.load import load

        return load
    raise AttributeError(name)
