"""Importing the official list formats (issue 15): time and peak RSS of parsing the full UN consolidated XML,
OFAC's enhanced XML (the zipped consolidated export) and a trade.gov CSL JSON download of ~26,000 records
(target: <= 20 s), each in a child process so that its peak RSS is its own.

Baselines in the same run:
- the CSL JSON: the CSL CSV reader on the same rows (the format it replaces as the feed), and ``json.loads``
  of the whole file (what the JSON reader did before it streamed);
- the XML files: ``ElementTree.parse`` of the whole document (the tree a non-streaming reader holds, before
  it has made a single entry), and a child that imports chipscreen and parses nothing (the floor of every
  peak RSS figure);
- streaming: the UN list repeated ``--scale`` times into one large file (default 40, about 80 MB), to show
  that peak memory follows the entries kept, not the file's size.

    .venv/bin/python benchmarks/bench_import.py [--scale 40] [--csl-rows 26000]

The CSL JSON is built here from ``../shared/data/csl/consolidated_2022-04.csv`` (14,160 rows) written in
the download's JSON shape (``csl_json_shape.py``); rows past the first 14,160 repeat earlier ones with a
numbered name, so that every record is a separate entry.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csl_json_shape import csv_rows, write_json

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
UN = SHARED / "un" / "UN_consolidated_2026-02-27.xml"
OFAC = SHARED / "ofac" / "CONS_ENHANCED_2025-01.ZIP"
CSL = SHARED / "csl" / "consolidated_2022-04.csv"
TARGET_CSL_SECONDS = 20.0


def child(kind: str, path: Path) -> None:
    """Run one measurement in this process and print it as JSON: seconds, peak RSS (MB), what was read.

    Every child first imports chipscreen and warms its country table (rigour's territory names, built once
    per process on the first lookup, several seconds on a loaded machine): the figures are the parsing's."""
    from chipscreen.countries import to_iso2
    from chipscreen.sources import parse_file

    to_iso2("China")
    t0 = time.perf_counter()
    if kind == "nothing":
        what = "imported chipscreen.sources, built the country table"
    elif kind == "etree":
        root = ElementTree.parse(path).getroot()
        what = f"{sum(1 for _ in root.iter()):,} elements in one tree"
    elif kind == "json.loads":
        doc = json.loads(path.read_text(encoding="utf-8"))
        what = f"{len(doc['results']):,} records in one document"
    else:
        ds = parse_file(path, fmt=kind)
        what = f"{ds.entry_count:,} entries from {ds.rows_read:,} records, {len(ds.relations):,} links"
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "what": what}))


def measure(kind: str, path: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise SystemExit(f"{kind} {path}: failed\n{out.stderr}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def show(label: str, size_mb: float, m: dict[str, object], note: str = "") -> None:
    print(f"  {label:<34} {size_mb:7.1f} MB file  {float(str(m['seconds'])):7.2f} s  peak RSS "
          f"{float(str(m['rss_mb'])):7.0f} MB  {m['what']}{note}")


def scaled_un(tmp: Path, times: int) -> Path:
    """The UN list with its records repeated ``times`` times, each copy's DATAIDs made distinct."""
    text = UN.read_text(encoding="utf-8")
    people = re.findall(r"<INDIVIDUAL>.*?</INDIVIDUAL>", text, re.S)
    bodies = re.findall(r"<ENTITY>.*?</ENTITY>", text, re.S)
    path = tmp / "un_scaled.xml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(text[: text.index("<INDIVIDUALS>")] + "<INDIVIDUALS>\n")
        for copy in range(times):
            for rec in people:
                fh.write(re.sub(r"<DATAID>(\d+)", rf"<DATAID>\g<1>{copy:04d}", rec) + "\n")
        fh.write("</INDIVIDUALS>\n<ENTITIES>\n")
        for copy in range(times):
            for rec in bodies:
                fh.write(re.sub(r"<DATAID>(\d+)", rf"<DATAID>\g<1>{copy:04d}", rec) + "\n")
        fh.write("</ENTITIES>\n</CONSOLIDATED_LIST>\n")
    return path


def csl_files(tmp: Path, rows: int) -> tuple[Path, Path]:
    """The same ``rows`` CSL rows as trade.gov's JSON and as its CSV."""
    import csv

    base = list(csv_rows(CSL))
    out = []
    for i in range(rows):
        row = dict(base[i % len(base)])
        if i >= len(base):  # a repeat: another party (the name and OFAC's number make the id)
            row["name"] = f"{row['name']} {i // len(base)}"
            row["entity_number"] = f"{row['entity_number']}{i // len(base)}" if row["entity_number"] else ""
        out.append(row)
    as_json, as_csv = tmp / "consolidated.json", tmp / "consolidated.csv"
    write_json(out, as_json)
    with as_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    return as_json, as_csv


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    ap.add_argument("--scale", type=int, default=40)
    ap.add_argument("--csl-rows", type=int, default=26_000)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        mb = lambda p: p.stat().st_size / 1e6  # noqa: E731
        floor = measure("nothing", UN)
        print("Floor (every child imports chipscreen and builds its country table before the clock starts):")
        show("nothing", 0.0, floor)
        print("UN Security Council consolidated XML:")
        show("un-xml (streamed)", mb(UN), measure("un-xml", UN))
        show("baseline: ElementTree.parse", mb(UN), measure("etree", UN))
        big = scaled_un(tmp, args.scale)
        show(f"un-xml x{args.scale} (streamed)", mb(big), measure("un-xml", big))
        show(f"baseline: ElementTree.parse x{args.scale}", mb(big), measure("etree", big))
        print("OFAC enhanced XML (consolidated, zipped):")
        with zipfile.ZipFile(OFAC) as z:
            bare = tmp / "CONS_ENHANCED.XML"
            bare.write_bytes(z.read("CONS_ENHANCED.XML"))
        show("ofac-xml from the zip (streamed)", mb(OFAC), measure("ofac-xml", OFAC))
        show("baseline: ElementTree.parse", mb(bare), measure("etree", bare))
        print(f"trade.gov CSL JSON, {args.csl_rows:,} records:")
        as_json, as_csv = csl_files(tmp, args.csl_rows)
        got = measure("csl-json", as_json)
        verdict = "PASS" if float(str(got["seconds"])) <= TARGET_CSL_SECONDS else "FAIL"
        show("csl-json (streamed)", mb(as_json), got, f"  (target <= {TARGET_CSL_SECONDS:.0f} s: {verdict})")
        show("baseline: csl-csv, same rows", mb(as_csv), measure("csl-csv", as_csv))
        show("baseline: json.loads of the file", mb(as_json), measure("json.loads", as_json))


if __name__ == "__main__":
    main()
