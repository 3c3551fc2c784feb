"""Configuration in one place: defaults in :class:`Settings`, overridden by ``KG_*`` environment
variables, overridden by explicit arguments (CLI flags, test mappings). Nothing reads the environment at
import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path


def _project_root() -> Path:
    """The checkout that holds ontology/ and data/ (the package lives in src/kooperationsgraph)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "ontology").is_dir() and (parent / "data").is_dir():
            return parent
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=_project_root)
    store_path: Path | None = None  # default: <root>/var/store
    backend: str = "embedded"  # "embedded" | "remote"
    endpoint: str | None = None
    update_endpoint: str | None = None
    graph_store_endpoint: str | None = None
    remote_user: str | None = None
    remote_password: str | None = field(default=None, repr=False)
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    max_nesting: int = 200
    max_upload_bytes: int = 5_000_000
    write_token: str | None = field(default=None, repr=False)  # contribute + review (README "Write model")
    contribute_tokens: tuple[str, ...] = field(default=(), repr=False)  # may submit change sets
    review_tokens: tuple[str, ...] = field(default=(), repr=False)  # may accept/reject (and submit)
    auto_accept: bool = False  # a passing write by a reviewer's token is applied at once (no waiting)
    service_allowlist: tuple[str, ...] = ()
    query_workers: int = 2  # worker processes for free-text queries (/sparql, CLI): the "user" lane
    page_workers: int = 2  # worker processes for the application's own queries (pages, catalogue): "app" lane
    query_memory_mb: int = 2048  # address-space cap per query worker (RLIMIT_AS); 0: no cap
    max_result_bytes: int = 64_000_000  # cap on one serialised result (413 above)
    admission_wait: float = 10.0  # seconds a request waits for a free worker of its lane before 503
    parse_memory_mb: int = 1024  # address-space cap of the child process that parses uploads
    parse_timeout: float = 30.0  # seconds an upload may take to parse
    reason_on_build: bool = True
    #: Whole-store validation copies the store into memory (fast queries, about 1.2 KiB a quad) while its table
    #: files take at most this many MB (about 4 M quads); a larger store is validated on a hard-linked scratch
    #: copy on disk (:mod:`.store.scratch`: no memory for the data, queries 2-5x slower).
    validate_in_memory_max_mb: int = 600

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def var_dir(self) -> Path:
        return self.root / "var"

    @property
    def store_dir(self) -> Path:
        return self.store_path or (self.var_dir / "store")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then ``KG_<FIELD>`` variables, then ``overrides`` (None values are ignored)."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get("KG_" + f.name.upper())
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _coerce(name: str, raw: str) -> object:
    if name in {"root", "store_path"}:
        return Path(raw)
    if name in {"query_timeout", "admission_wait", "parse_timeout"}:
        return float(raw)
    if name in {"max_query_length", "max_nesting", "max_upload_bytes", "query_workers",
                "page_workers", "query_memory_mb", "max_result_bytes", "parse_memory_mb",
                "validate_in_memory_max_mb"}:
        return int(raw)
    if name == "reason_on_build":
        return raw.lower() not in {"0", "false", "no"}
    if name == "auto_accept":
        return raw.lower() in {"1", "true", "yes"}
    if name in {"service_allowlist", "contribute_tokens", "review_tokens"}:
        return tuple(x for x in raw.split(",") if x)
    return raw
