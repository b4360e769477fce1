"""Transaction decisions: ``decide(tx) -> Decision`` and ``replay(txs, a, b)``.

``Decider(store, rulebook=None, snapshot=None)`` keeps the engines warm for batches; ``decide`` uses a
default one on the latest snapshot. Every decision names the rulebook and the list snapshot it used.
"""

from chipscreen.decide.engine import Decider, DecisionOutcome, decide
from chipscreen.decide.replay import ReplayReport, replay

__all__ = ["Decider", "DecisionOutcome", "ReplayReport", "decide", "replay"]
