"""Per-key rates that hold across worker processes: one token bucket per key in a small SQLite file of the
home (``rates.sqlite``), taken from by a single UPSERT statement.

With ``serve --workers N`` each worker is its own process; a counter in each would let a key through N times
its rate. SQLite's write lock makes the one statement that refills the bucket, takes a token and says whether
it could atomic across every process on the home, and it costs about as much as the audit append each answer
already makes. The buckets need not survive a crash (a restart at worst refills them), so the file is written
without fsync (``synchronous=OFF``). The clock is the wall clock, the one all processes share."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from chipscreen.service.sqlite_files import open_shared

RATES_FILE = "rates.sqlite"
DDL = "CREATE TABLE IF NOT EXISTS rate_buckets (key_id TEXT PRIMARY KEY, tokens REAL NOT NULL, at REAL NOT NULL, " \
      "granted INTEGER NOT NULL)"
# ?1 key id, ?2 rate (tokens a minute, also the burst), ?3 now (s). FILL is the bucket refilled to now; a token
# is taken if there is a whole one. SQLite evaluates every SET expression on the row as it was, so FILL is
# the same in all three; ``granted`` says whether a token was taken, ``tokens`` what is left.
FILL = "min(?2, tokens + max(0.0, ?3 - at) * ?2 / 60.0)"
TAKE = f"""
INSERT INTO rate_buckets (key_id, tokens, at, granted) VALUES (?1, ?2 - 1.0, ?3, 1)
ON CONFLICT (key_id) DO UPDATE SET
  tokens = CASE WHEN {FILL} >= 1.0 THEN {FILL} - 1.0 ELSE {FILL} END,
  granted = {FILL} >= 1.0,
  at = ?3
RETURNING granted, tokens"""


class RateLimiter:
    """A token bucket per key: ``rate`` requests a minute, in bursts of up to ``rate``, shared by every process
    serving the same home."""

    def __init__(self, home: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = home / RATES_FILE
        self._clock = clock
        self._con = open_shared(self.path, DDL, synchronous="OFF")
        self._lock = threading.Lock()

    def take(self, key_id: str, rate: int) -> float:
        """0 when the request may go ahead, else the seconds until it may."""
        with self._lock:
            granted, tokens = self._con.execute(TAKE, (key_id, float(rate), self._clock())).fetchone()
        if granted:
            return 0.0
        return (1.0 - float(tokens)) * 60.0 / rate

    def close(self) -> None:
        self._con.close()
