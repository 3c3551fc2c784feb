"""Page latency and fair admission against the real server (``kooperationsgraph serve`` subprocess).

    python bench/pages.py [--store var/store] [--rounds 20] [--src SRC]

* entity, list (incl. the 10,787 Gemeinden), search and network pages: median and p95 of ``--rounds`` warm
  requests each, and the first (cold) request's time;
* admission: with N = query workers + 2 runaway queries in flight on ``/sparql``, the time a cheap catalogue
  query (``/queries/kooperationen-pro-ebene``) and an entity page take to answer.

``--src`` runs another checkout's code (its ``src/``) on the same store, for before/after tables. Prints a
Markdown table. Not a test: no limit is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = {
    "entity (cooperation)": "/id/kooperation/trianel",
    "entity (Land)": "/id/land/05",
    "entity (Gemeinde)": "/id/gemeinde/057580012012",
    "list (cooperations)": "/lists/kooperationen",
    "list (Gemeinden, page 2)": "/lists/class/Gemeinde?page=2",
    "list (Gemeinden, page 200)": "/lists/class/Gemeinde?page=200",
    "list (Gemeinden, filter + Land)": "/lists/class/Gemeinde?q=bad&land=https://w3id.org/kooperationsgraph/id/land/09",
    "search": "/search?q=stadtwerke",
    "network": "/network",
    "network (Bayern)": "/network?land=09",
}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "/queries/kooperationen-pro-ebene?format=json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, accept: str = "text/html") -> tuple[int, float]:
    t0 = time.perf_counter()
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - t0


def start(store: Path, src: Path | None, timeout: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [sys.executable, "-m", "kooperationsgraph.cli", "--store", str(store), "serve", "--port", str(port),
           "--timeout", str(timeout)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if fetch(base + "/sparql?query=ASK%7B%7D", "application/json")[0] == 200:
            return proc, base
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        time.sleep(0.2)
    raise SystemExit("server did not start")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--store", type=Path, default=REPO / "var" / "store")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--src", type=Path, help="src/ of another checkout to run instead of this one")
    ap.add_argument("--workers", type=int, default=2, help="query workers of the server (default 2)")
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    store = tmp / "store"
    shutil.copytree(args.store, store)
    proc, base = start(store, args.src, args.timeout)
    try:
        print(f"code: {args.src or REPO / 'src'}; store: {args.store}; rounds: {args.rounds}\n")
        print("| page | first ms | median ms | p95 ms |")
        print("|---|---:|---:|---:|")
        for name, path in PAGES.items():
            _, first = fetch(base + path)  # warm
            times = []
            for _ in range(args.rounds):
                status, dt = fetch(base + path)
                if status != 200:
                    raise SystemExit(f"{path}: HTTP {status}")
                times.append(dt * 1000)
            print(f"| {name} `{path}` | {first * 1000:.0f} | {statistics.median(times):.1f} | {pct(times, 0.95):.1f} |")
        fetch(base + CHEAP, "application/json")
        n = args.workers + 2
        threads = [threading.Thread(target=fetch, args=(base + "/sparql?" + urllib.parse.urlencode(
            {"query": RUNAWAY}), "application/json")) for _ in range(n)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # let the runaway queries take the workers
        status_c, cheap = fetch(base + CHEAP.replace("format=json", "format=csv"), "text/csv")  # not cached yet
        status_e, entity = fetch(base + "/id/kooperation/trianel?round=" + str(time.time()))
        print(f"\nadmission with {n} runaway queries in flight: catalogue query HTTP {status_c} in {cheap:.2f} s, "
              f"entity page HTTP {status_e} in {entity:.2f} s")
        for t in threads:
            t.join()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
