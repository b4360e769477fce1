"""Monitoring: the user's own customers, lessees and open transactions, watched for list and rule changes.

``watchset`` reads the watch set into the store (``store.watch``); ``run_monitor`` works out what the
changes since the last run mean for it: newly possible matches and hits (reverse screening of the changed
entries against the watch set's own names index, ``delta``), and open transactions whose decision changes
under a new snapshot or rulebook (``open_transactions``); ``report`` writes the HTML page.
"""

from __future__ import annotations

from chipscreen.monitor.findings import PartyFinding
from chipscreen.monitor.open_transactions import TxFinding
from chipscreen.monitor.run import MonitorReport, run_monitor
from chipscreen.monitor.watchset import add_parties, add_transactions

__all__ = ["MonitorReport", "PartyFinding", "TxFinding", "add_parties", "add_transactions", "run_monitor"]
