"""Decision throughput: 100,000 transactions over 20,000 distinct parties (target: at most 60 s on 2 cores).

Parties are real list names (about one in five, some with trade abbreviations) and generated unlisted
company names; dates run from 2022 to 2026 so that every rule version is exercised; items are the shipped
catalog. Baseline in the same run: the same engine without its per-party and per-rule caches (a fresh
resolver per transaction), timed on a sample and extrapolated.

    .venv/bin/python benchmarks/bench_decide.py [--transactions 100000] [--parties 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.decide import Decider
from chipscreen.decide.parties import PartyResolver
from chipscreen.model import Transaction
from chipscreen.ownership.load import load as load_ownership
from chipscreen.paths import data_dir
from chipscreen.rules import catalog
from chipscreen.store import Store

KINDS = ("export", "export", "export", "reexport", "in_country_transfer", "lease", "cloud_service")
COUNTRIES = ("CN", "CN", "CN", "HK", "SG", "MY", "AE", "IN", "DE", "JP", "US", "VN", "MO", "IL", "SA")
WORDS = (
    "Quantum",
    "Horizon",
    "Lotus",
    "Summit",
    "Cedar",
    "Aurora",
    "Pioneer",
    "Vertex",
    "Harbor",
    "Nimbus",
    "Orchid",
    "Falcon",
    "Jade",
    "Crystal",
    "Sterling",
    "Meridian",
    "Zenith",
    "Atlas",
    "Beacon",
    "Cobalt",
)
FORMS = ("Co., Ltd.", "Technology Co., Ltd.", "Pte. Ltd.", "LLC", "GmbH", "Sdn. Bhd.", "Inc.", "Limited")


def make_parties(store: Store, n: int, rng: random.Random) -> list[tuple[str, str]]:
    listed = [(e.party.name, e.party.country or "CN") for e in store.entries(lists=["EL", "MEU"])]
    rng.shuffle(listed)
    parties = listed[: n // 5]
    while len(parties) < n:
        name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.randint(1, 999)} {rng.choice(FORMS)}"
        parties.append((name, rng.choice(COUNTRIES)))
    return parties


def make_transactions(parties: list[tuple[str, str]], n: int, rng: random.Random) -> list[Transaction]:
    items = [e.item.id for e in catalog()]
    start = dt.date(2022, 6, 1).toordinal()
    end = dt.date(2026, 11, 1).toordinal()
    txs = []
    for i in range(n):
        name, country = parties[i % len(parties)] if i < len(parties) else rng.choice(parties)
        kind = rng.choice(KINDS)
        roles = {"lease": ("lessor", "lessee"), "cloud_service": ("provider", "customer")}.get(
            kind, ("exporter", "end_user")
        )
        txs.append(
            Transaction.model_validate(
                {
                    "id": f"b{i}",
                    "date": dt.date.fromordinal(rng.randint(start, end)).isoformat(),
                    "kind": kind,
                    "item": rng.choice(items),
                    "quantity": rng.randint(1, 512),
                    "from": "US" if kind in ("export", "cloud_service") else country,
                    "to": country,
                    "acquired": "2022-05-01" if kind in ("lease", "cloud_service") and rng.random() < 0.5 else None,
                    "parties": [
                        {"role": roles[0], "name": "Example Distribution LLC", "country": "US"},
                        {"role": roles[1], "name": name, "country": country},
                    ],
                }
            )
        )
    return txs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--transactions", type=int, default=100_000)
    ap.add_argument("--parties", type=int, default=20_000)
    ap.add_argument("--baseline-sample", type=int, default=300)
    args = ap.parse_args()
    rng = random.Random(20261129)
    home = Path(tempfile.mkdtemp(prefix="bench-decide-"))
    try:
        t0 = time.perf_counter()
        store = open_store(home)
        load_ownership(store, data_dir() / "scenarios" / "ownership.csv")
        print(f"store with bundled lists + scenario ownership: {time.perf_counter() - t0:.1f} s")
        parties = make_parties(store, args.parties, rng)
        txs = make_transactions(parties, args.transactions, rng)
        distinct = len({(p.name, p.country) for t in txs for p in t.parties})
        print(f"{len(txs):,} transactions, {distinct:,} distinct parties")

        t0 = time.perf_counter()
        decider = Decider(store)
        warm = time.perf_counter() - t0
        t0 = time.perf_counter()
        required = 0
        for tx in txs:
            required += decider.decide(tx).license_required
        elapsed = time.perf_counter() - t0
        rate = len(txs) / elapsed
        print(
            f"chipscreen: {elapsed:.1f} s for {len(txs):,} decisions ({rate:,.0f}/s; engines warmed in {warm:.1f} s); "
            f"licence required in {required:,}; target <= 60 s: {'PASS' if elapsed <= 60 else 'FAIL'}"
        )

        sample = txs[: args.baseline_sample]
        t0 = time.perf_counter()
        for tx in sample:
            fresh = Decider(store, resolver=PartyResolver(store))
            fresh.decide(tx)
        base = (time.perf_counter() - t0) / len(sample)
        print(
            f"baseline (no caches, fresh resolver per transaction): {base * 1000:.1f} ms/decision -> "
            f"{base * len(txs):.0f} s extrapolated for {len(txs):,}; speed-up x{base * len(txs) / elapsed:.1f}"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory: {peak:,.0f} MB")
        store.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
