"""A throw-away Virtuoso for tests and benchmarks: ``virtuoso-t`` started with a temporary ini on free
loopback ports (never a system service), stopped at the end. Stop/start keep the database files, so a test
can take the server away mid-request and bring it back.

    with VirtuosoServer(tmp_path) as v:
        print(v.endpoint)   # http://127.0.0.1:<port>/sparql
"""

from __future__ import annotations

import configparser
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

DEFAULT_INIS = (
    Path("/etc/virtuoso-opensource-7/virtuoso.ini"),
    Path("/var/lib/virtuoso-opensource-7/db/virtuoso.ini"),
)
#: dba's default password in a fresh Virtuoso database (the database lives in a temp dir only).
DBA_USER = "dba"
DBA_PASSWORD = "dba"


class VirtuosoMissing(RuntimeError):  # noqa: N818 - reads as a state, like FileNotFoundError
    """virtuoso-t is not installed: run `make system-deps` (Debian package virtuoso-opensource)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_ini() -> Path:
    for p in DEFAULT_INIS:
        if p.is_file():
            return p
    found = sorted(Path("/etc").glob("virtuoso-opensource-*/virtuoso.ini"))
    found += sorted(Path("/var/lib").glob("virtuoso-opensource-*/db/virtuoso.ini"))
    if not found:
        raise VirtuosoMissing("no default virtuoso.ini found; run `make system-deps`")
    return found[0]


def write_ini(workdir: Path, sql_port: int, http_port: int, extra_dirs: tuple[str, ...] = ()) -> Path:
    """The package's default ini with database files, ports and allowed dirs moved into ``workdir``."""
    cp = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";",))
    cp.optionxform = str  # type: ignore[assignment,method-assign]  # keep Virtuoso's key case
    cp.read(default_ini())
    db = cp["Database"]
    for key, name in (("DatabaseFile", "kg.db"), ("ErrorLogFile", "kg.log"), ("LockFile", "kg.lck"),
                      ("TransactionFile", "kg.trx"), ("xa_persistent_file", "kg.pxa")):
        db[key] = str(workdir / name)
    tmp = cp["TempDatabase"]
    tmp["DatabaseFile"] = str(workdir / "kg-temp.db")
    tmp["TransactionFile"] = str(workdir / "kg-temp.trx")
    par = cp["Parameters"]
    par["ServerPort"] = f"127.0.0.1:{sql_port}"
    dirs = [d.strip() for d in par.get("DirsAllowed", ".").split(",")]
    par["DirsAllowed"] = ", ".join([*dirs, str(workdir), *extra_dirs])
    par["NumberOfBuffers"] = "170000"  # ~1.3 GB page cache: enough for 1 M triples in memory
    par["MaxDirtyBuffers"] = "130000"
    par["MaxClientConnections"] = "20"
    # MOVE of a 1 M-triple graph is one transaction; the default after-image limit (50 MB) aborts it (SR325)
    par["TransactionAfterImageLimit"] = "1500000000"
    http = cp["HTTPServer"]
    http["ServerPort"] = f"127.0.0.1:{http_port}"
    http["ServerThreads"] = "20"
    http["MaxClientConnections"] = "20"
    cp["URIQA"]["DefaultHost"] = f"127.0.0.1:{http_port}"
    sparql = cp["SPARQL"]
    sparql["ResultSetMaxRows"] = "10000000"  # the default 10 000 would silently truncate large results
    sparql["MaxQueryExecutionTime"] = "600"
    # 0: no refusal by *estimated* cost (Virtuoso's estimate for property paths inside OPTIONAL is off by
    # orders of magnitude and would refuse queries that run in milliseconds)
    sparql["MaxQueryCostEstimationTime"] = "0"
    if cp.has_section("Plugins"):
        cp.remove_section("Plugins")  # optional hosting plugins: not needed, and noisy when missing
    ini = workdir / "virtuoso.ini"
    with ini.open("w") as fh:
        cp.write(fh, space_around_delimiters=True)
    return ini


class VirtuosoServer:
    """One Virtuoso process on free loopback ports with its database in ``workdir``."""

    def __init__(self, workdir: Path, *, extra_dirs: tuple[str, ...] = ()):
        self.binary = shutil.which("virtuoso-t")
        if self.binary is None:
            raise VirtuosoMissing("virtuoso-t not found; install it with `make system-deps` "
                                  "(Debian package virtuoso-opensource)")
        self.workdir = workdir = workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.ini = write_ini(workdir, self.sql_port, self.http_port, extra_dirs)
        self.proc: subprocess.Popen[bytes] | None = None

    # -- addresses --------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    @property
    def update_endpoint(self) -> str:
        """Digest-protected endpoint that accepts SPARQL Update for users with SPARQL_UPDATE (dba)."""
        return self.base + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    # -- life cycle -------------------------------------------------------------------------------
    def start(self, timeout: float = 120.0) -> VirtuosoServer:
        if self.proc is not None and self.proc.poll() is None:
            return self
        log = (self.workdir / "stdout.log").open("ab")
        self.proc = subprocess.Popen(
            [self.binary or "virtuoso-t", "+configfile", str(self.ini), "+foreground"],
            cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        """Poll the HTTP port until a trivial query answers (generous: slow CI machines)."""
        deadline = time.monotonic() + timeout
        url = self.endpoint + "?query=ASK%7B%7D"
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.proc.returncode}; see {self.workdir}/kg.log")
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = exc
            time.sleep(0.3)
        raise RuntimeError(f"Virtuoso did not answer on {self.endpoint} within {timeout:.0f} s: {last}")

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the process (``shutdown`` with a checkpoint, else SIGTERM, then SIGKILL); the database files
        stay for a later start()."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        try:
            self.isql("shutdown;", timeout=timeout)
            proc.wait(timeout)
            return
        except (RuntimeError, subprocess.TimeoutExpired, OSError):
            pass
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)
        lck = self.workdir / "kg.lck"
        if lck.exists():
            lck.unlink()

    def isql(self, sql: str, timeout: float = 600.0) -> str:
        """Run SQL through isql-vt as dba (e.g. the bulk loader)."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if isql is None:
            raise VirtuosoMissing("isql-vt not found (Debian package virtuoso-opensource)")
        out = subprocess.run([isql, str(self.sql_port), DBA_USER, DBA_PASSWORD, f"exec={sql}"],
                             capture_output=True, text=True, timeout=timeout, check=False)
        if out.returncode != 0 or "*** Error" in out.stdout:
            raise RuntimeError(f"isql failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
        return out.stdout

    def bulk_load(self, directory: Path, pattern: str, graph: str) -> None:
        """Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run``); ``directory`` must be in DirsAllowed."""
        self.isql(f"ld_dir('{directory}', '{pattern}', '{graph}'); rdf_loader_run(); checkpoint;")

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __del__(self) -> None:  # last resort: never leave a server running
        proc = getattr(self, "proc", None)
        if proc is not None and proc.poll() is None:
            os.kill(proc.pid, 15)
