"""Start the real server (``kooperationsgraph serve``: waitress) as a subprocess on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live_server(store: Path, log_dir: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    cmd = [str(Path(sys.executable).with_name("kooperationsgraph")), "--store", str(store), "serve",
           "--port", str(port), *extra]
    log = (log_dir / f"server-{port}.log").open("w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # bounded polling until the server answers; no wall-clock assertion
            try:
                urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited with {proc.returncode}; see {log.name}") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
