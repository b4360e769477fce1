"""Runs inside a separate environment that has nomenklatura installed (see bench_names_quality.py).

Reads JSON lines {"schema", "name1", "name2"} on stdin, writes {"score": float} per line, then a last line
{"seconds": total scoring time}. Kept apart from chipscreen so nomenklatura's own pinned dependencies
(followthemoney, rigour) never mix with the product's.
"""

from __future__ import annotations

import json
import sys
import time

from followthemoney import model
from nomenklatura.matching import get_algorithm


def main() -> None:
    algo = get_algorithm(sys.argv[1] if len(sys.argv) > 1 else "logic-v2")
    assert algo is not None
    config = algo.default_config()
    pairs = [json.loads(line) for line in sys.stdin if line.strip()]
    ents = []
    for i, p in enumerate(pairs):
        schema = p.get("schema") or "LegalEntity"
        left = model.make_entity(schema)
        left.id = f"q{i}"
        left.add("name", p["name1"])
        right = model.make_entity(schema)
        right.id = f"r{i}"
        right.add("name", p["name2"])
        ents.append((left, right))
    t0 = time.perf_counter()
    scores = [algo.compare(left, right, config).score for left, right in ents]
    seconds = time.perf_counter() - t0
    out = sys.stdout
    for s in scores:
        out.write(json.dumps({"score": s}) + "\n")
    out.write(json.dumps({"seconds": seconds}) + "\n")


if __name__ == "__main__":
    main()
