"""Import benchmark: a generated workbook with N data rows (fictional, example namespace) — cooperations,
actors, memberships and agreements that reference each other by name and existing actors and municipalities
by IRI and ARS — imported and validated as ``kooperationsgraph import FILE --dry-run`` does (read through the
parse gate, rows → RDF, diff against the store, validation with the project's rules). Prints the time and the
peak memory (parent process, tracemalloc; the reader child's memory is capped separately) of each run and the
median of the runs.

    python bench/import_rows.py --rows 10000 --runs 3
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kooperationsgraph.config import Settings
from kooperationsgraph.sheets.importer import import_file
from kooperationsgraph.sheets.model import load_profile
from kooperationsgraph.sheets.template import headers
from kooperationsgraph.store import open_store

SEATS = ["053340002002", "057580012012", "053140000000", "110000000000", "084210000000"]
EXISTING = ["akteur:stawag", "akteur:mainova", "akteur:enercity", "akteur:n-ergie", "akteur:badenova"]


def workbook(rows: int) -> bytes:
    """Four rows per group: a cooperation, an actor, a membership of the actor, an agreement."""
    from openpyxl import Workbook

    profile = load_profile(Settings())
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {s.name: (s, wb.create_sheet(s.name)) for s in profile.sheets}
    for s, ws in sheets.values():
        for h in headers(s):
            ws.append(h)

    def put(name: str, values: dict[str, object]) -> None:
        s, ws = sheets[name]
        keys = headers(s)[2]
        ws.append([values.get(k) for k in keys])

    for i in range(rows // 4):
        koop = f"Bench-Kooperation {i} (fiktiv)"
        actor = f"Bench-Stadtwerk {i} (fiktiv)"
        put("Kooperationen", {"@id": f"ex:bench-koop-{i}", "rdfs:label@de": koop, "rdf:type": "Netzwerk/Verbund",
                              "kg:sektor": "Energie", "kg:gruendungsjahr": 2020 + i % 5,
                              "kg:ziel": "Krisenkoordination", "dcterms:source": "Fiktives Beispiel (Benchmark)"})
        put("Akteure", {"@id": f"ex:bench-akteur-{i}", "rdfs:label@de": actor, "rdf:type": "Stadtwerk",
                        "kg:sektor": "Energie", "kg:sitz": SEATS[i % len(SEATS)],
                        "dcterms:source": "Fiktives Beispiel (Benchmark)"})
        put("Mitgliedschaften", {"kg:kooperation": koop, "kg:mitglied": actor, "kg:rolle": "Mitglied",
                                 "kg:seit": "01.01.2021"})
        put("Vereinbarungen", {"@id": f"ex:bench-vereinbarung-{i}", "rdfs:label@de": f"Bench-Vertrag {i} (fiktiv)",
                               "rdf:type": "Kooperationsvertrag", "kg:abschlussdatum": "02.03.2026",
                               "kg:regelt": koop, "kg:partei": f"{actor}\n{EXISTING[i % len(EXISTING)]}",
                               "dcterms:source": "Fiktives Beispiel (Benchmark)"})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def one(path: Path) -> None:
    """One run in this (fresh) process: prints seconds, peak RSS in MiB and the summary as JSON."""
    settings = dataclasses.replace(Settings.from_env(), max_upload_bytes=1 << 30)
    backend = open_store(settings)
    data = path.read_bytes()
    t0 = time.perf_counter()
    result = import_file(data, "bench.xlsx", settings, backend)
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": dt, "peak_mib": peak, "summary": result.summary("en")}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        return one(args.one)
    data = workbook(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        path.write_bytes(data)
        print(f"workbook: {args.rows:,} rows, {len(data):,} bytes; python {sys.version.split()[0]}, "
              f"{platform.machine()}, {os.cpu_count()} cores")
        times, peaks = [], []
        for run in range(args.runs):
            out = subprocess.run([sys.executable, __file__, "--one", str(path)], check=True, capture_output=True,
                                 text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            times.append(r["seconds"])
            peaks.append(r["peak_mib"])
            print(f"run {run + 1}: {r['seconds']:.2f} s, peak RSS {r['peak_mib']:.0f} MiB – {r['summary']}")
    print(f"median of {args.runs}: {statistics.median(times):.2f} s, peak RSS {statistics.median(peaks):.0f} MiB "
          "(the reader child process is capped separately)")


if __name__ == "__main__":
    main()
